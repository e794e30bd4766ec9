// Finger scrolling: a drag moves the page with the finger, a flick glides and
// slows down, a small wobble is still a tap, and the page never leaves its ends.
#include <catch2/catch.hpp>

#include "touch/drag_scroll.h"

using kiosk::DragScroll;

namespace {
// A finger flicking up at 4000 px/s: 40 px every 10 ms for 50 ms, from y = 800.
void flick_up(DragScroll& scroll, float offset, float max_offset) {
    scroll.press(800, 0, offset, max_offset);
    for (int i = 1; i <= 5; ++i) scroll.move(800.0f - 40.0f * float(i), 10 * i);
    scroll.release(50);
}
}  // namespace

TEST_CASE("A press that moves less than the slop is a tap, not a drag", "[touch][scroll]") {
    DragScroll scroll;
    scroll.press(500, 0, 100, 1000);
    CHECK_FALSE(scroll.move(510, 16));
    CHECK_FALSE(scroll.move(492, 32));
    CHECK_FALSE(scroll.dragging());
    CHECK(scroll.offset() == 100);  // the page did not move
    scroll.release(48);
    CHECK_FALSE(scroll.animating());
}

TEST_CASE("A drag moves the page with the finger, from where the drag began", "[touch][scroll]") {
    DragScroll scroll;
    scroll.press(500, 0, 100, 1000);
    CHECK(scroll.move(480, 10));  // 20 px: past the 16 px slop — now a drag
    CHECK(scroll.dragging());
    CHECK(scroll.offset() == 100);  // no jump by the slop
    scroll.move(380, 200);
    CHECK(scroll.offset() == Approx(200));  // finger up 100 px: content up 100 px
    scroll.move(580, 400);
    CHECK(scroll.offset() == Approx(0));  // clamped at the top
}

TEST_CASE("A flick keeps gliding, slows down and stops", "[touch][scroll]") {
    DragScroll scroll;
    flick_up(scroll, 0, 5000);
    REQUIRE(scroll.animating());
    float at_release = scroll.offset();
    CHECK(scroll.velocity() == Approx(4000).epsilon(0.01));

    float previous = at_release;
    float previous_speed = scroll.velocity();
    int64_t t = 50;
    int frames = 0;
    while (scroll.animating() && frames < 1000) {
        t += 16;
        float now = scroll.step(t);
        CHECK(now >= previous);  // keeps going the same way
        CHECK(scroll.velocity() < previous_speed);  // and slows down
        previous = now;
        previous_speed = scroll.velocity();
        ++frames;
    }
    CHECK_FALSE(scroll.animating());
    CHECK(frames < 200);  // stops within a few seconds at 60 fps
    // v/k = 4000/5 = 800 px of glide (less the stop-speed tail).
    CHECK(previous - at_release == Approx(800).epsilon(0.02));
}

TEST_CASE("Gliding stops at the end of the page", "[touch][scroll]") {
    DragScroll scroll;
    flick_up(scroll, 900, 1000);
    scroll.step(2000);
    CHECK(scroll.offset() == 1000);
    CHECK_FALSE(scroll.animating());
}

TEST_CASE("A finger that stops before lifting leaves no flick", "[touch][scroll]") {
    DragScroll scroll;
    scroll.press(800, 0, 0, 5000);
    scroll.move(600, 50);
    scroll.release(400);  // held still for 350 ms, then lifted
    CHECK_FALSE(scroll.animating());
}

TEST_CASE("A new touch catches a gliding page", "[touch][scroll]") {
    DragScroll scroll;
    flick_up(scroll, 0, 5000);
    scroll.step(100);
    REQUIRE(scroll.animating());
    scroll.press(500, 120, scroll.offset(), 5000);
    CHECK_FALSE(scroll.animating());
}
