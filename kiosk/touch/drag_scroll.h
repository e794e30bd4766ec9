// kiosk/touch/drag_scroll.h — finger scrolling with inertia, and tap-versus-drag.
//
// ImGui 1.86 scrolls with a wheel only. A lobby has fingers: a drag moves the
// page, a flick keeps it moving and slowing down, and a press that moved less
// than the tap slop is still a tap. Once a press has become a drag it must not
// trigger the button it started on (the App cancels ImGui's active item).
// Pure arithmetic on the clock's milliseconds (platform::Clock::monotonic_ms):
// tested without SDL or ImGui. Vertical only: every kiosk list scrolls up/down.
//
// Invariants: offset() is always within [0, max_offset] (no overshoot, no
// rubber band: a glide that reaches an end stops there); once a press has
// become a drag it stays one until release; animating() is false whenever the
// page would not move on the next step, so the event-driven loop can sleep.
//
// Index
//   DragScrollTuning              slop, inertia decay, stop speed, velocity window
//   DragScroll::press(y, t, offset, max)   a finger went down over a page scrolled to offset (0..max)
//   DragScroll::move(y, t)        the finger moved; returns true once the press is a drag
//   DragScroll::release(t)        the finger lifted; returns true when the press was a tap (never dragged);
//                                 a drag with speed keeps going (inertia)
//   DragScroll::step(t)           advance the inertia to time t; returns {offset, still animating}
//   DragScroll::offset()          where the page should be scrolled
//   DragScroll::dragging()/animating()/pressed()   state for the loop (animating: keep drawing)
//   DragScroll::stop()            cancel inertia (a new touch catches the page)
#pragma once

#include <cstdint>
#include <deque>

namespace kiosk {

struct DragScrollTuning {
    float tap_slop_px = 16.0f;          // at 1080p; the App scales it with the screen
    float decay_per_second = 5.0f;      // velocity × e^(−decay·t): a flick glides for about half a second
    float stop_speed_px_per_s = 30.0f;  // below this the page stops
    int velocity_window_ms = 80;        // the flick's speed is measured over the last few samples
};

class DragScroll {
public:
    // One frame of the glide: where the page is, and whether to draw another frame.
    struct Frame {
        float offset;
        bool animating;
    };

    explicit DragScroll(DragScrollTuning tuning = {}) : tuning_(tuning) {}

    void press(float y, int64_t t_ms, float offset, float max_offset);
    bool move(float y, int64_t t_ms);
    bool release(int64_t t_ms);
    Frame step(int64_t t_ms);
    void stop() { velocity_ = 0; animating_ = false; }

    float offset() const { return offset_; }
    float velocity() const { return velocity_; }
    bool pressed() const { return pressed_; }
    bool dragging() const { return dragging_; }
    bool animating() const { return animating_; }
    void set_tap_slop(float px) { tuning_.tap_slop_px = px; }

private:
    struct Sample {
        float y;
        int64_t t;
    };
    float clamp(float offset) const;

    DragScrollTuning tuning_;
    bool pressed_ = false;
    bool dragging_ = false;
    bool animating_ = false;
    float start_y_ = 0;
    float start_offset_ = 0;
    float offset_ = 0;
    float max_offset_ = 0;
    float velocity_ = 0;  // offset units per second (positive: content moves up)
    int64_t last_step_ms_ = 0;
    std::deque<Sample> samples_;
};

}  // namespace kiosk
