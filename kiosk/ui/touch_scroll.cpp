#include "ui/touch_scroll.h"

#include <imgui_internal.h>

#include "ui/widgets.h"

namespace kiosk {

void TouchScroll::begin_frame() {
    regions_.swap(drawing_);
    drawing_.clear();
}

void TouchScroll::register_region(const std::string& id, ImVec2 min, ImVec2 max, float scroll_y, float scroll_max_y) {
    drawing_.push_back({id, min, max, scroll_y, scroll_max_y});
}

void TouchScroll::pointer_down(float x, float y, int64_t t_ms) {
    target_.clear();
    moved_ = false;
    drag_.stop();
    for (const Region& r : regions_)
        if (x >= r.min.x && x < r.max.x && y >= r.min.y && y < r.max.y && r.scroll_max_y > 0) {
            target_ = r.id;
            drag_.set_tap_slop(16.0f * ui_scale());
            drag_.press(y, t_ms, r.scroll_y, r.scroll_max_y);
        }
}

void TouchScroll::pointer_move(float, float y, int64_t t_ms) {
    if (target_.empty() || !drag_.pressed()) return;
    bool was_dragging = drag_.dragging();
    if (drag_.move(y, t_ms) && !was_dragging) {
        // The press became a drag: the button it started on must not fire on
        // release. ImGui only activates a button on the frame of a click, so
        // clearing the active item now is enough.
        if (ImGui::GetCurrentContext()) ImGui::ClearActiveID();
        moved_ = true;
    }
}

void TouchScroll::pointer_up(int64_t t_ms) { drag_.release(t_ms); }

void TouchScroll::step(int64_t t_ms) { drag_.step(t_ms); }

void TouchScroll::reset() {
    drag_.stop();
    drag_.release(0);
    target_.clear();
    moved_ = false;
    regions_.clear();
    drawing_.clear();
}

void touch_scroll_region(TouchScroll& scroll, const char* id) {
    ImGuiWindow* window = ImGui::GetCurrentWindow();
    if (scroll.drives(id)) ImGui::SetScrollY(scroll.offset());
    scroll.register_region(id, window->InnerRect.Min, window->InnerRect.Max, ImGui::GetScrollY(), ImGui::GetScrollMaxY());
}

}  // namespace kiosk
