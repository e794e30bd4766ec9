#include "ui/faces.h"

#include <algorithm>

#include "app/kiosk_context.h"

namespace kiosk {

namespace {
constexpr float kPi = 3.14159265f;
}

ImU32 face_colour(int face) {
    switch (face) {
        case 0: return IM_COL32(0xE0, 0x4B, 0x3F, 0xFF);
        case 1: return IM_COL32(0xF5, 0x9E, 0x2A, 0xFF);
        case 2: return IM_COL32(0x8B, 0xC3, 0x4A, 0xFF);
        default: return IM_COL32(0x2E, 0xA0, 0x4F, 0xFF);
    }
}

void draw_face(ImDrawList* draw, ImVec2 c, float r, int face, bool high_contrast) {
    ImU32 ink = IM_COL32(0x2B, 0x21, 0x1C, 0xFF);
    draw->AddCircleFilled(c, r, face_colour(face), 64);
    draw->AddCircle(c, r, high_contrast ? IM_COL32(0, 0, 0, 0xFF) : ink, 64, std::max(2.0f, r * (high_contrast ? 0.07f : 0.04f)));

    // Eyes; the very unhappy face has brows slanting down to the middle.
    float eye_y = c.y - r * 0.22f, eye_dx = r * 0.34f, eye_r = r * 0.10f;
    draw->AddCircleFilled(ImVec2(c.x - eye_dx, eye_y), eye_r, ink, 24);
    draw->AddCircleFilled(ImVec2(c.x + eye_dx, eye_y), eye_r, ink, 24);
    float line = std::max(2.0f, r * 0.08f);
    if (face == 0) {
        draw->AddLine(ImVec2(c.x - eye_dx - r * 0.17f, eye_y - r * 0.30f), ImVec2(c.x - eye_dx + r * 0.15f, eye_y - r * 0.17f),
                      ink, line);
        draw->AddLine(ImVec2(c.x + eye_dx + r * 0.17f, eye_y - r * 0.30f), ImVec2(c.x + eye_dx - r * 0.15f, eye_y - r * 0.17f),
                      ink, line);
    }

    // Mouths: arcs of circles below (frowns) or above (smiles) the mouth line.
    // Screen y grows downwards, so angles 0…π are the lower half of a circle.
    draw->PathClear();
    switch (face) {
        case 0:  // a deep frown
            draw->PathArcTo(ImVec2(c.x, c.y + r * 0.72f), r * 0.42f, kPi * 1.15f, kPi * 1.85f, 24);
            draw->PathStroke(ink, 0, line);
            break;
        case 1:  // a slight frown
            draw->PathArcTo(ImVec2(c.x, c.y + r * 0.95f), r * 0.55f, kPi * 1.30f, kPi * 1.70f, 24);
            draw->PathStroke(ink, 0, line);
            break;
        case 2:  // a smile
            draw->PathArcTo(ImVec2(c.x, c.y + r * 0.02f), r * 0.45f, kPi * 0.20f, kPi * 0.80f, 24);
            draw->PathStroke(ink, 0, line);
            break;
        default: {  // a wide open smile
            ImVec2 mc(c.x, c.y + r * 0.12f);
            draw->PathArcTo(mc, r * 0.48f, 0.0f, kPi, 32);
            draw->PathFillConvex(ink);
            draw->PathArcTo(ImVec2(mc.x, mc.y + r * 0.30f), r * 0.20f, kPi * 1.15f, kPi * 1.85f, 16);
            draw->PathFillConvex(IM_COL32(0xE5, 0x73, 0x73, 0xFF));  // the tongue
            break;
        }
    }
}

bool face_button(KioskContext& ctx, const char* id, int face, const std::string& label, ImVec2 pos, ImVec2 size,
                 bool selected) {
    const Palette& p = palette(ctx.session.high_contrast);
    float s = ui_scale();
    ImGui::SetCursorScreenPos(pos);
    bool tapped = ImGui::InvisibleButton(id, size);
    bool pressed = ImGui::IsItemActive();
    ImVec2 max(pos.x + size.x, pos.y + size.y);
    ctx.widgets.record(id, label, pos, max);

    ImDrawList* draw = ImGui::GetWindowDrawList();
    float sink = pressed ? 4 * s : 0;  // a pressed card sinks a little
    ImVec2 a(pos.x, pos.y + sink), b(max.x, max.y + sink);
    draw->AddRectFilled(a, b, pressed ? p.secondary_pressed : p.surface, 28 * s);
    draw->AddRect(a, b, selected ? face_colour(face) : (ctx.session.high_contrast ? p.border : p.secondary), 28 * s, 0,
                  (selected ? 10 : 4) * s);
    ImFont* font = ctx.fonts.heading(ctx.session.large_text);
    float label_h = wrapped_height(font, label, size.x - 30 * s);
    float radius = std::min(size.x * 0.36f, (size.y - label_h - 70 * s) * 0.5f);
    ImVec2 center((a.x + b.x) / 2, a.y + 30 * s + radius);
    draw_face(draw, center, radius, face, ctx.session.high_contrast);
    draw_text_centered(font, label, ImVec2(center.x, center.y + radius + 20 * s + label_h / 2), p.text, size.x - 30 * s);
    return tapped;
}

}  // namespace kiosk
