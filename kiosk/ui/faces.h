// kiosk/ui/faces.h — the four feedback faces, drawn with ImGui primitives
// (no pictures: crisp at any size, in high contrast too), and a big tappable
// face card with its label in words.
//
// Faces: 0 very unhappy (red, frowning, brows down), 1 unhappy (orange, a
// slight frown), 2 happy (light green, a smile), 3 very happy (green, a wide
// open smile). Colour is never the only cue: the mouth's shape and the label
// say the same.
//
// Index
//   face_colour(face)                              the face's fill colour
//   draw_face(draw, center, radius, face, high_contrast)   one face
//   face_button(ctx, id, face, label, pos, size, selected)  a card with the face and its label; true when tapped
#pragma once

#include <imgui.h>

#include <string>

namespace kiosk {

struct KioskContext;

ImU32 face_colour(int face);
void draw_face(ImDrawList* draw, ImVec2 center, float radius, int face, bool high_contrast);
bool face_button(KioskContext& ctx, const char* id, int face, const std::string& label, ImVec2 pos, ImVec2 size,
                 bool selected);

}  // namespace kiosk
