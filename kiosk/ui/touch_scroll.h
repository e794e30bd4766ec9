// kiosk/ui/touch_scroll.h — finger scrolling for ImGui windows (kiosk/touch/drag_scroll.h applied).
//
// A scrolling region calls touch_scroll_region() right after its BeginChild;
// the App feeds every pointer event to TouchScroll. A press over a region that
// becomes a drag scrolls it and cancels the button the press started on; a
// flick glides on while animating() keeps the loop drawing.
//
// Index
//   TouchScroll::pointer_down/move/up(x, y, t)   the App's pointer events, in window pixels and clock ms
//   TouchScroll::step(t)                        once per frame: advance the glide
//   TouchScroll::animating()                    a drag or a glide is running: keep drawing frames
//   TouchScroll::reset()                        drop everything (session end, screen change)
//   touch_scroll_region(scroll, id)             inside a child window: register it, apply the drag's offset
#pragma once

#include <imgui.h>

#include <string>
#include <vector>

#include "touch/drag_scroll.h"

namespace kiosk {

class TouchScroll {
public:
    void pointer_down(float x, float y, int64_t t_ms);
    void pointer_move(float x, float y, int64_t t_ms);
    void pointer_up(int64_t t_ms);
    void step(int64_t t_ms);
    bool animating() const { return drag_.dragging() || drag_.animating(); }
    void reset();

    // Called by touch_scroll_region() during a frame.
    void register_region(const std::string& id, ImVec2 min, ImVec2 max, float scroll_y, float scroll_max_y);
    bool drives(const std::string& id) const { return !target_.empty() && target_ == id && moved_; }
    float offset() const { return drag_.offset(); }
    void begin_frame();

private:
    struct Region {
        std::string id;
        ImVec2 min, max;
        float scroll_y, scroll_max_y;
    };
    DragScroll drag_;
    std::vector<Region> regions_, drawing_;
    std::string target_;
    bool moved_ = false;  // the page has been moved by a drag or glide (until the next press elsewhere)
};

void touch_scroll_region(TouchScroll& scroll, const char* id);

}  // namespace kiosk
