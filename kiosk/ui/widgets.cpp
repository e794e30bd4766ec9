#include "ui/widgets.h"

#include "ui/fonts.h"

#include <algorithm>
#include <cstring>

namespace kiosk {

const Palette& palette(bool high_contrast) {
    // Normal: calm teal on warm white. High contrast: white and yellow on
    // black, every pair above WCAG AAA (7:1).
    static const Palette normal{
        IM_COL32(246, 248, 247, 255), IM_COL32(255, 255, 255, 255), IM_COL32(28, 38, 48, 255),
        IM_COL32(84, 96, 108, 255),   IM_COL32(13, 110, 103, 255),  IM_COL32(8, 72, 67, 255),
        IM_COL32(255, 255, 255, 255), IM_COL32(226, 236, 234, 255), IM_COL32(196, 214, 210, 255),
        IM_COL32(13, 80, 75, 255),    IM_COL32(176, 129, 32, 255),  IM_COL32(205, 214, 212, 255),
        IM_COL32(20, 30, 40, 170)};
    static const Palette contrast{
        IM_COL32(0, 0, 0, 255),       IM_COL32(0, 0, 0, 255),       IM_COL32(255, 255, 255, 255),
        IM_COL32(255, 255, 255, 255), IM_COL32(255, 214, 0, 255),   IM_COL32(255, 255, 255, 255),
        IM_COL32(0, 0, 0, 255),       IM_COL32(0, 0, 0, 255),       IM_COL32(60, 60, 60, 255),
        IM_COL32(255, 255, 255, 255), IM_COL32(255, 214, 0, 255),   IM_COL32(255, 255, 255, 255),
        IM_COL32(0, 0, 0, 220)};
    return high_contrast ? contrast : normal;
}

float ui_scale() {
    ImVec2 size = ImGui::GetIO().DisplaySize;
    return std::max(0.4f, std::min(size.x / 1920.0f, size.y / 1080.0f));
}

void WidgetRegistry::begin_frame() {
    last_frame_.swap(drawing_);
    drawing_.clear();
}

void WidgetRegistry::record(const std::string& id, const std::string& label, ImVec2 min, ImVec2 max, float text_px) {
    drawing_.push_back({id, label, min, max, text_px});
}

const WidgetRecord* WidgetRegistry::find(const std::string& target) const {
    for (auto* frame : {&drawing_, &last_frame_})
        for (auto& w : *frame)
            if (w.id == target || w.label == target) return &w;
    return nullptr;
}

bool touch_button(WidgetRegistry& registry, const char* id, const std::string& label, ImVec2 pos, ImVec2 size,
                  ButtonStyle style, ImFont* font, bool high_contrast) {
    const Palette& p = palette(high_contrast);
    float s = ui_scale();
    size.x = std::max(size.x, 64.0f * s);  // the smallest target a finger hits reliably
    size.y = std::max(size.y, 64.0f * s);
    ImGui::SetCursorScreenPos(pos);
    bool tapped = ImGui::InvisibleButton(id, size);
    bool pressed = ImGui::IsItemActive();
    ImVec2 max(pos.x + size.x, pos.y + size.y);
    registry.record(id, label, pos, max, font ? font->FontSize : 0.0f);
    if (style == ButtonStyle::primary) registry.mark_primary();
    if (tapped) registry.note_tapped(id, label);

    ImU32 fill, ink;
    switch (style) {
        case ButtonStyle::primary:
        case ButtonStyle::selected:
            fill = pressed ? p.primary_pressed : p.primary;
            ink = p.on_primary;
            break;
        default:
            fill = pressed ? p.secondary_pressed : p.secondary;
            ink = p.on_secondary;
            break;
    }
    ImDrawList* draw = ImGui::GetWindowDrawList();
    float rounding = 14.0f * s;
    ImVec2 offset = pressed ? ImVec2(0, 3.0f * s) : ImVec2(0, 0);  // pressed buttons sink a little
    draw->AddRectFilled(ImVec2(pos.x + offset.x, pos.y + offset.y), ImVec2(max.x + offset.x, max.y + offset.y), fill,
                        rounding);
    if (high_contrast || style == ButtonStyle::selected)
        draw->AddRect(pos, max, high_contrast ? p.border : p.primary_pressed, rounding, 0, 3.0f * s);
    ImGui::PushFont(font);
    draw_text_centered(font, label, ImVec2((pos.x + max.x) / 2 + offset.x, (pos.y + max.y) / 2 + offset.y), ink,
                       size.x - 16.0f * s);
    ImGui::PopFont();
    return tapped;
}

namespace {

// Punctuation that must not start a line in Chinese typesetting (避头标点).
// A line that would start with one keeps it at the end of the line before,
// hanging slightly into the margin, as printed Chinese does.
bool closes_line(const char* p, const char* end) {
    static const char* const kNoLineStart[] = {"，", "。", "、", "；", "：", "？", "！", "）", "」", "』", "》", "”", "’",
                                               "…", ",", ".", ";", ":", "?", "!", ")"};
    for (const char* mark : kNoLineStart) {
        size_t n = std::strlen(mark);
        if (size_t(end - p) >= n && std::memcmp(p, mark, n) == 0) return true;
    }
    return false;
}

size_t utf8_length(unsigned char lead) { return lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : 4; }

// A CJK ideograph or kana (U+2E80 and up, three-byte UTF-8): a character that
// stands for a syllable or a word, and so may not be left alone on a line.
bool is_cjk(const char* p, const char* end) {
    auto b = reinterpret_cast<const unsigned char*>(p);
    if (end - p < 3 || (b[0] >> 4) != 0xE) return false;
    uint32_t cp = uint32_t(b[0] & 0x0F) << 12 | uint32_t(b[1] & 0x3F) << 6 | uint32_t(b[2] & 0x3F);
    return cp >= 0x2E80 && cp < 0xFF00;
}

const char* previous_code_point(const char* begin, const char* at) {
    while (at > begin) {
        --at;
        if ((static_cast<unsigned char>(*at) & 0xC0) != 0x80) break;
    }
    return at;
}

// What is left of the paragraph is one CJK character (and the punctuation that
// must stay with it): an orphan, such as 件 or 科 alone under a title.
bool lone_cjk_left(const char* p, const char* stop) {
    if (!is_cjk(p, stop)) return false;
    p += 3;
    while (p < stop && closes_line(p, stop)) p += utf8_length(static_cast<unsigned char>(*p));
    return p == stop;
}

}  // namespace

std::vector<TextLine> wrap_lines(ImFont* font, const std::string& text, float wrap_width) {
    std::vector<TextLine> lines;
    const char* p = text.c_str();
    const char* end = p + text.size();
    while (p < end) {
        const char* newline = static_cast<const char*>(std::memchr(p, '\n', size_t(end - p)));
        const char* stop = newline ? newline : end;
        const char* line_end = wrap_width > 0 ? font->CalcWordWrapPositionA(1.0f, p, stop, wrap_width) : stop;
        if (line_end <= p) line_end = std::min(stop, p + utf8_length(static_cast<unsigned char>(*p)));
        while (line_end < stop && closes_line(line_end, stop))
            line_end += utf8_length(static_cast<unsigned char>(*line_end));
        // No orphan: the line gives the last line its own last character, when
        // that is a CJK character too and at least two stay behind.
        if (line_end < stop && lone_cjk_left(line_end, stop)) {
            const char* last = previous_code_point(p, line_end);
            if (is_cjk(last, line_end) && previous_code_point(p, last) > p) line_end = last;
        }
        lines.push_back({p, line_end});
        p = line_end;
        while (p < end && (*p == ' ' || *p == '\n')) {
            if (*p == '\n') {
                ++p;
                break;
            }
            ++p;
        }
    }
    return lines;
}

float wrapped_height(ImFont* font, const std::string& text, float wrap_width) {
    return float(wrap_lines(font, text, wrap_width).size()) * font->FontSize;
}

void draw_text_centered(ImFont* font, const std::string& text, ImVec2 center, ImU32 colour, float wrap_width) {
    ImDrawList* draw = ImGui::GetWindowDrawList();
    std::vector<TextLine> lines = wrap_lines(font, text, wrap_width);
    float y = center.y - float(lines.size()) * font->FontSize / 2;
    for (const TextLine& line : lines) {
        ImVec2 size = font->CalcTextSizeA(font->FontSize, FLT_MAX, 0, line.begin, line.end);
        note_glyphs(font, line.begin, line.end);
        draw->AddText(font, font->FontSize, ImVec2(center.x - size.x / 2, y), colour, line.begin, line.end);
        y += font->FontSize;
    }
}

float draw_text_wrapped(ImFont* font, const std::string& text, ImVec2 top_left, ImU32 colour, float wrap_width) {
    ImDrawList* draw = ImGui::GetWindowDrawList();
    std::vector<TextLine> lines = wrap_lines(font, text, wrap_width);
    float y = top_left.y;
    for (const TextLine& line : lines) {
        note_glyphs(font, line.begin, line.end);
        draw->AddText(font, font->FontSize, ImVec2(top_left.x, y), colour, line.begin, line.end);
        y += font->FontSize;
    }
    return y - top_left.y;
}

}  // namespace kiosk
