// kiosk/ui/widgets.h — touch-sized widgets drawn with Dear ImGui, and the
// registry that lets scripts find them.
//
// Every tappable widget is drawn through these functions, so each one is at
// least 64 px at 1080p, shows a pressed state, and is recorded by id and label
// (scripts tap "home.visit_flow" or "就诊流程" alike).
//
// Text is drawn only through the helpers here: they note every character for
// the on-demand glyph atlas (ui/fonts.h).
//
// Index
//   Palette, palette(high_contrast)     the colours of the normal and high-contrast themes
//   ui_scale()                          display height / 1080: every size below is in 1080p pixels × this
//   WidgetRegistry::begin_frame()       start recording a frame (the previous frame's records stay findable)
//   WidgetRegistry::find(target)        a widget of the last frame by id or visible label
//   WidgetRegistry::take_tapped()       the last button tapped since the previous call (id, label), once: the
//                                       app's voice says it (touch_button notes every tap here)
//   touch_button(reg, id, label, pos, size, style, font)   a big button; true on the frame it is tapped
//   draw_text_centered(font, text, center, colour, wrap)   text centred on a point, wrapped to a width
//   draw_text_wrapped(font, text, top_left, colour, wrap)  text from a point, wrapped; returns its height
//   wrapped_height(font, text, wrap)                       the height draw_text_wrapped will use
//   wrap_lines(font, text, wrap)                           where the lines break: ImGui's word wrap, plus
//                                                          Chinese line-breaking (no line starts with ，。、) etc.)
#pragma once

#include <imgui.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace kiosk {

struct Palette {
    ImU32 background, surface, text, text_muted, primary, primary_pressed, on_primary, secondary, secondary_pressed,
        on_secondary, vip, border, overlay;
};
const Palette& palette(bool high_contrast);

float ui_scale();

struct WidgetRecord {
    std::string id;
    std::string label;
    ImVec2 min, max;
    float text_px = 0;  // the pixel size its label is drawn in (0: not known) — for tests that measure
    bool primary = false;  // drawn as the screen's highlighted (primary) button
};

class WidgetRegistry {
public:
    void begin_frame();
    void record(const std::string& id, const std::string& label, ImVec2 min, ImVec2 max, float text_px = 0);
    const WidgetRecord* find(const std::string& target) const;
    void mark_primary() {  // the widget just recorded is the highlighted button
        if (!drawing_.empty()) drawing_.back().primary = true;
    }
    void note_tapped(const std::string& id, const std::string& label) { tapped_ = WidgetRecord{id, label, {}, {}}; }
    std::optional<WidgetRecord> take_tapped() { return std::exchange(tapped_, std::nullopt); }

private:
    std::optional<WidgetRecord> tapped_;
    std::vector<WidgetRecord> drawing_;
    std::vector<WidgetRecord> last_frame_;
};

enum class ButtonStyle { primary, secondary, selected };

bool touch_button(WidgetRegistry& registry, const char* id, const std::string& label, ImVec2 pos, ImVec2 size,
                  ButtonStyle style, ImFont* font, bool high_contrast);
struct TextLine {
    const char* begin;
    const char* end;
};
std::vector<TextLine> wrap_lines(ImFont* font, const std::string& text, float wrap_width);
float wrapped_height(ImFont* font, const std::string& text, float wrap_width);
void draw_text_centered(ImFont* font, const std::string& text, ImVec2 center, ImU32 colour, float wrap_width);
float draw_text_wrapped(ImFont* font, const std::string& text, ImVec2 top_left, ImU32 colour, float wrap_width);

}  // namespace kiosk
