#include "touch/drag_scroll.h"

#include <algorithm>
#include <cmath>

namespace kiosk {

float DragScroll::clamp(float offset) const { return std::clamp(offset, 0.0f, std::max(0.0f, max_offset_)); }

void DragScroll::press(float y, int64_t t_ms, float offset, float max_offset) {
    pressed_ = true;
    dragging_ = false;
    animating_ = false;  // a touch catches a gliding page
    velocity_ = 0;
    start_y_ = y;
    max_offset_ = max_offset;
    start_offset_ = offset_ = clamp(offset);
    samples_.clear();
    samples_.push_back({y, t_ms});
}

bool DragScroll::move(float y, int64_t t_ms) {
    if (!pressed_) return false;
    if (!dragging_ && std::fabs(y - start_y_) >= tuning_.tap_slop_px) {
        dragging_ = true;
        // The drag begins where the finger crossed the slop: the page does not
        // jump by the slop, and none of the movement past it is lost.
        start_y_ += y > start_y_ ? tuning_.tap_slop_px : -tuning_.tap_slop_px;
        start_offset_ = offset_;
    }
    samples_.push_back({y, t_ms});
    while (samples_.size() > 2 && t_ms - samples_.front().t > tuning_.velocity_window_ms) samples_.pop_front();
    if (dragging_) offset_ = clamp(start_offset_ - (y - start_y_));
    return dragging_;
}

bool DragScroll::release(int64_t t_ms) {
    if (!pressed_) return false;
    pressed_ = false;
    bool tap = !dragging_;
    if (dragging_ && samples_.size() >= 2) {
        const Sample& first = samples_.front();
        const Sample& last = samples_.back();
        // A finger that stopped before lifting has no flick left in it.
        bool still = t_ms - last.t > tuning_.velocity_window_ms;
        int64_t dt = last.t - first.t;
        if (!still && dt > 0) velocity_ = -(last.y - first.y) * 1000.0f / float(dt);
    }
    dragging_ = false;
    // A flick against an end the page already rests on has nowhere to go.
    if ((velocity_ > 0 && offset_ >= clamp(max_offset_)) || (velocity_ < 0 && offset_ <= 0)) velocity_ = 0;
    animating_ = std::fabs(velocity_) >= tuning_.stop_speed_px_per_s;
    if (!animating_) velocity_ = 0;
    last_step_ms_ = t_ms;
    return tap;
}

DragScroll::Frame DragScroll::step(int64_t t_ms) {
    if (!animating_) return {offset_, false};
    float dt = float(std::max<int64_t>(0, t_ms - last_step_ms_)) / 1000.0f;
    last_step_ms_ = t_ms;
    // Exact integral of v·e^(−k·t) over dt: the distance does not depend on the frame rate.
    float k = tuning_.decay_per_second;
    float decay = std::exp(-k * dt);
    offset_ = clamp(offset_ + velocity_ * (1.0f - decay) / k);
    velocity_ *= decay;
    bool at_edge = offset_ <= 0.0f || offset_ >= max_offset_;
    if (std::fabs(velocity_) < tuning_.stop_speed_px_per_s || at_edge) stop();
    return {offset_, animating_};
}

}  // namespace kiosk
