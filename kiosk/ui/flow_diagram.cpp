#include "ui/flow_diagram.h"

#include <algorithm>
#include <cmath>

#include "app/kiosk_context.h"

namespace kiosk {

namespace {

struct BoxFonts {
    ImFont* title;
    ImFont* body;
};

// The widest run of text that cannot be broken: a Latin word. Chinese breaks
// between any two characters, so it never forces a box wider.
float widest_unbreakable_word(ImFont* font, const std::string& text) {
    float widest = 0;
    size_t start = 0;
    for (size_t i = 0; i <= text.size(); ++i) {
        bool breaks = i == text.size() || text[i] == ' ' || static_cast<unsigned char>(text[i]) >= 0xE0;
        if (!breaks) continue;
        if (i > start)
            widest = std::max(widest, font->CalcTextSizeA(font->FontSize, FLT_MAX, 0, text.c_str() + start,
                                                          text.c_str() + i).x);
        start = i + 1;
        while (start < text.size() && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) ++start;
        if (i < text.size() && static_cast<unsigned char>(text[i]) >= 0xE0) i = start - 1;
    }
    return widest;
}

void arrow_head(ImDrawList* draw, ImVec2 tip, ImVec2 direction, float size, ImU32 colour) {
    ImVec2 normal(-direction.y, direction.x);
    ImVec2 back(tip.x - direction.x * size, tip.y - direction.y * size);
    draw->AddTriangleFilled(tip, ImVec2(back.x + normal.x * size * 0.6f, back.y + normal.y * size * 0.6f),
                            ImVec2(back.x - normal.x * size * 0.6f, back.y - normal.y * size * 0.6f), colour);
}

// Draws one lane from `top`; returns the height used.
float draw_lane(KioskContext& ctx, const FlowLane& lane, ImVec2 top_left, float width) {
    const Palette& p = palette(ctx.session.high_contrast);
    bool large = ctx.session.large_text;
    float s = ui_scale();
    ImDrawList* draw = ImGui::GetWindowDrawList();
    BoxFonts fonts{ctx.fonts.heading(large), ctx.fonts.body(large)};
    ImU32 lane_colour = lane.vip ? p.vip : p.primary;

    // Lane heading: a coloured tag, so the VIP path reads as a path of its own.
    const std::string& heading = lane.title.in(ctx.session.lang);
    ImVec2 tag_size = fonts.body->CalcTextSizeA(fonts.body->FontSize, FLT_MAX, 0, heading.c_str());
    ImVec2 tag_max(top_left.x + tag_size.x + 40 * s, top_left.y + tag_size.y + 16 * s);
    draw->AddRectFilled(top_left, tag_max, lane_colour, 10 * s);
    draw_text_wrapped(fonts.body, heading, ImVec2(top_left.x + 20 * s, top_left.y + 8 * s),
                      ctx.session.high_contrast ? p.on_primary : IM_COL32(255, 255, 255, 255), 0);
    float y = tag_max.y + 16 * s;

    // As many boxes per row as fit with every title word unbroken; rows snake on.
    const int n = int(lane.steps.size());
    const float arrow = 44 * s;
    const float pad = 18 * s;
    const float badge = fonts.body->FontSize + 12 * s;
    const float title_x = badge + 12 * s;
    float widest_word = 0;
    for (const FlowStep& step : lane.steps)
        widest_word = std::max(widest_word, widest_unbreakable_word(fonts.title, step.title.in(ctx.session.lang)));
    int per_row = n;
    float box_w = 0;
    for (; per_row > 1; --per_row) {
        box_w = (width - float(per_row - 1) * arrow) / float(per_row);
        if (box_w - 2 * pad - title_x >= widest_word) break;
    }
    box_w = std::min((width - float(per_row - 1) * arrow) / float(per_row), 420 * s);
    float inner = box_w - 2 * pad;

    // Box: [number] title on the first line(s), the short text under it, the
    // promised time at the bottom. Every box of a lane has the same height.
    auto title_wrap = inner - title_x;
    float box_h = 0;
    for (const FlowStep& step : lane.steps) {
        const std::string& within = step.within.in(ctx.session.lang);
        float h = pad + std::max(badge, wrapped_height(fonts.title, step.title.in(ctx.session.lang), title_wrap)) +
                  8 * s + wrapped_height(fonts.body, step.text.in(ctx.session.lang), inner) + pad;
        if (!within.empty())
            h += 12 * s + wrapped_height(fonts.body, ctx.strings.format(ctx.session.lang, "flow.takes", "t", within),
                                         inner) + 8 * s;
        box_h = std::max(box_h, h);
    }
    const int rows = (n + per_row - 1) / per_row;
    const float row_gap = 52 * s;

    for (int i = 0; i < n; ++i) {
        const FlowStep& step = lane.steps[size_t(i)];
        int row = i / per_row, col = i % per_row;
        ImVec2 min(top_left.x + float(col) * (box_w + arrow), y + float(row) * (box_h + row_gap));
        ImVec2 max(min.x + box_w, min.y + box_h);
        draw->AddRectFilled(min, max, p.surface, 18 * s);
        draw->AddRect(min, max, ctx.session.high_contrast ? p.border : lane_colour, 18 * s, 0, 3 * s);

        ImVec2 badge_c(min.x + pad + badge / 2, min.y + pad + badge / 2);
        draw->AddCircleFilled(badge_c, badge / 2, lane_colour);
        draw_text_centered(fonts.body, std::to_string(i + 1), badge_c,
                           ctx.session.high_contrast ? p.on_primary : IM_COL32(255, 255, 255, 255), badge);
        float ty = min.y + pad;
        float title_h = draw_text_wrapped(fonts.title, step.title.in(ctx.session.lang),
                                          ImVec2(min.x + pad + title_x, ty + (badge - fonts.title->FontSize) / 2),
                                          p.text, title_wrap);
        ty += std::max(badge, title_h) + 8 * s;
        draw_text_wrapped(fonts.body, step.text.in(ctx.session.lang), ImVec2(min.x + pad, ty), p.text_muted, inner);
        const std::string& within = step.within.in(ctx.session.lang);
        if (!within.empty()) {
            std::string label = ctx.strings.format(ctx.session.lang, "flow.takes", "t", within);
            float label_h = wrapped_height(fonts.body, label, inner);
            float wy = max.y - pad - label_h;
            draw->AddRectFilled(ImVec2(min.x + pad - 8 * s, wy - 6 * s), ImVec2(max.x - pad + 8 * s, max.y - pad + 6 * s),
                                ctx.session.high_contrast ? p.primary : p.secondary, 8 * s);
            draw_text_wrapped(fonts.body, label, ImVec2(min.x + pad, wy),
                              ctx.session.high_contrast ? p.on_primary : p.on_secondary, inner);
        }
        // Measured by the body face: the step's explanation is the screen's body text.
        ctx.widgets.record("step." + lane.id + "." + step.id, step.title.in(ctx.session.lang), min, max, fonts.body->FontSize);

        if (i + 1 == n) continue;
        float thick = 5 * s;
        if (col + 1 < per_row) {
            // Arrow to the right, to the next box in this row.
            ImVec2 a(max.x + 10 * s, (min.y + max.y) / 2), b(max.x + arrow - 10 * s, a.y);
            draw->AddLine(a, ImVec2(b.x - 12 * s, b.y), lane_colour, thick);
            arrow_head(draw, b, ImVec2(1, 0), 20 * s, lane_colour);
        } else {
            // End of a row: down, back to the left, down into the next row's first box.
            float first_x = top_left.x + box_w / 2;
            ImVec2 a((min.x + max.x) / 2, max.y + 6 * s);
            float mid = max.y + row_gap / 2;
            draw->AddLine(a, ImVec2(a.x, mid), lane_colour, thick);
            draw->AddLine(ImVec2(a.x, mid), ImVec2(first_x, mid), lane_colour, thick);
            draw->AddLine(ImVec2(first_x, mid), ImVec2(first_x, max.y + row_gap - 18 * s), lane_colour, thick);
            arrow_head(draw, ImVec2(first_x, max.y + row_gap - 4 * s), ImVec2(0, 1), 20 * s, lane_colour);
        }
    }
    return (y - top_left.y) + float(rows) * box_h + float(rows - 1) * row_gap;
}

}  // namespace

void draw_flow_screen(KioskContext& ctx, const Flow& flow, const ScreenArea& area) {
    const Palette& p = palette(ctx.session.high_contrast);
    bool large = ctx.session.large_text;
    float s = ui_scale();
    ImGui::SetCursorScreenPos(area.min);
    ImGui::PushStyleVar(ImGuiStyleVar_ScrollbarSize, 18 * s);
    ImGui::BeginChild("##flow", ImVec2(area.width(), area.height()), false, ImGuiWindowFlags_NoBackground);
    touch_scroll_region(ctx.scroll, "flow");
    ImVec2 origin = ImGui::GetCursorScreenPos();  // moves up as the child scrolls
    float margin = 60 * s;
    float width = area.width() - 2 * margin;
    float y = origin.y + 24 * s;
    y += draw_text_wrapped(ctx.fonts.title(large), flow.title.in(ctx.session.lang), ImVec2(origin.x + margin, y), p.text,
                           width);
    y += 6 * s;
    y += draw_text_wrapped(ctx.fonts.body(large), flow.intro.in(ctx.session.lang), ImVec2(origin.x + margin, y),
                           p.text_muted, width);
    y += 28 * s;
    // Lanes run in parallel, one above the other: the path most guests take
    // first, the VIP path beside it in gold. At 1080p each lane is one row;
    // in large-text mode rows wrap and the page scrolls.
    for (const FlowLane& lane : flow.lanes) y += draw_lane(ctx, lane, ImVec2(origin.x + margin, y), width) + 36 * s;
    ImGui::Dummy(ImVec2(area.width() - 20 * s, y - origin.y));
    ImGui::EndChild();
    ImGui::PopStyleVar();
}

void draw_content_error(KioskContext& ctx, const ScreenArea& area, const std::string& detail) {
    const Palette& p = palette(ctx.session.high_contrast);
    bool large = ctx.session.large_text;
    float s = ui_scale();
    float cx = (area.min.x + area.max.x) / 2;
    draw_text_centered(ctx.fonts.huge(large), ctx.tr("error.title"), ImVec2(cx, area.min.y + 220 * s), p.text,
                       area.width() - 200 * s);
    draw_text_centered(ctx.fonts.title(large), ctx.tr("error.body"), ImVec2(cx, area.min.y + 380 * s), p.text_muted,
                       area.width() - 300 * s);
    // The technical reason, small, for the staff member the guest will ask.
    draw_text_centered(ctx.fonts.body(false), detail, ImVec2(cx, area.max.y - 80 * s), p.text_muted,
                       area.width() - 200 * s);
}

}  // namespace kiosk
