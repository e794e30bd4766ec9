// Finger scrolling: a drag moves the page with the finger, a flick glides and
// slows down, a small wobble is still a tap, and the page never leaves its ends.
// Time comes from a ManualClock, as the App's comes from the real one.
#include <catch2/catch.hpp>

#include <cmath>

#include "platform/clock.h"
#include "touch/drag_scroll.h"

using kiosk::DragScroll;

namespace {
// A finger flicking up at 4000 px/s: 40 px every 10 ms for 50 ms, from y = 800.
void flick_up(DragScroll& scroll, platform::ManualClock& clock, float offset, float max_offset) {
    scroll.press(800, clock.monotonic_ms(), offset, max_offset);
    for (int i = 1; i <= 5; ++i) {
        clock.advance(10);
        scroll.move(800.0f - 40.0f * float(i), clock.monotonic_ms());
    }
    scroll.release(clock.monotonic_ms());
}
}  // namespace

TEST_CASE("A press that moves less than the slop is a tap, not a drag", "[touch][scroll]") {
    platform::ManualClock clock;
    DragScroll scroll;
    scroll.press(500, clock.monotonic_ms(), 100, 1000);
    clock.advance(16);
    CHECK_FALSE(scroll.move(510, clock.monotonic_ms()));
    clock.advance(16);
    CHECK_FALSE(scroll.move(492, clock.monotonic_ms()));
    CHECK_FALSE(scroll.dragging());
    CHECK(scroll.offset() == 100);  // the page did not move
    clock.advance(16);
    CHECK(scroll.release(clock.monotonic_ms()));  // a tap: the button under the finger may fire
    CHECK_FALSE(scroll.animating());
    CHECK_FALSE(scroll.step(clock.monotonic_ms()).animating);
}

TEST_CASE("A drag moves the page with the finger, from where the drag began", "[touch][scroll]") {
    platform::ManualClock clock;
    DragScroll scroll;
    scroll.press(500, clock.monotonic_ms(), 100, 1000);
    clock.advance(10);
    CHECK(scroll.move(480, clock.monotonic_ms()));  // 20 px: past the 16 px slop — now a drag
    CHECK(scroll.dragging());
    CHECK(scroll.offset() == Approx(104));  // only what is past the slop: no jump by the slop
    clock.advance(190);
    scroll.move(380, clock.monotonic_ms());
    CHECK(scroll.offset() == Approx(204));  // finger up 100 px more: content up 100 px more
    clock.advance(200);
    scroll.move(700, clock.monotonic_ms());
    CHECK(scroll.offset() == 0);  // finger far down: the page stops at its top
    clock.advance(300);
    CHECK_FALSE(scroll.release(clock.monotonic_ms()));  // not a tap: the button it started on must not fire
}

TEST_CASE("Once a drag, always a drag: coming back near the start is not a tap", "[touch][scroll]") {
    platform::ManualClock clock;
    DragScroll scroll;
    scroll.press(500, clock.monotonic_ms(), 300, 1000);
    clock.advance(20);
    scroll.move(450, clock.monotonic_ms());
    clock.advance(20);
    CHECK(scroll.move(502, clock.monotonic_ms()));  // back within the slop of where it started
    CHECK(scroll.dragging());
    clock.advance(200);
    CHECK_FALSE(scroll.release(clock.monotonic_ms()));
}

TEST_CASE("The tap slop scales with the screen", "[touch][scroll]") {
    platform::ManualClock clock;
    DragScroll scroll;
    scroll.set_tap_slop(32);  // a 4K panel: 16 px at 1080p is 32 px here
    scroll.press(500, clock.monotonic_ms(), 0, 1000);
    clock.advance(10);
    CHECK_FALSE(scroll.move(475, clock.monotonic_ms()));
    clock.advance(10);
    CHECK(scroll.move(460, clock.monotonic_ms()));
}

TEST_CASE("A flick keeps gliding, slows down exponentially and stops", "[touch][scroll]") {
    platform::ManualClock clock;
    DragScroll scroll;
    flick_up(scroll, clock, 0, 5000);
    REQUIRE(scroll.animating());
    const float at_release = scroll.offset();
    CHECK(at_release == Approx(200 - 16));  // the finger itself moved the page 5 × 40 px, less the slop
    CHECK(scroll.velocity() == Approx(4000).epsilon(0.01));

    // After 200 ms of glide the speed is v·e^(−k·t) = 4000·e^(−1): the decay is exponential.
    clock.advance(200);
    auto frame = scroll.step(clock.monotonic_ms());
    CHECK(frame.animating);
    CHECK(scroll.velocity() == Approx(4000.0f * std::exp(-1.0f)).epsilon(0.01));
    CHECK(frame.offset - at_release == Approx(800.0f * (1.0f - std::exp(-1.0f))).epsilon(0.01));

    float previous = frame.offset;
    float previous_speed = scroll.velocity();
    int frames = 0;
    while (frame.animating && frames < 1000) {
        clock.advance(16);
        frame = scroll.step(clock.monotonic_ms());
        CHECK(frame.offset >= previous);              // keeps going the same way
        CHECK(scroll.velocity() < previous_speed);    // and slows down
        previous = frame.offset;
        previous_speed = scroll.velocity();
        ++frames;
    }
    CHECK_FALSE(frame.animating);
    CHECK_FALSE(scroll.animating());
    CHECK(frames < 200);  // stops within a few seconds at 60 fps
    // v/k = 4000/5 = 800 px of glide in all (less the stop-speed tail).
    CHECK(previous - at_release == Approx(800).epsilon(0.02));

    // Stopped means stopped: later steps do not move the page.
    clock.advance(1000);
    CHECK(scroll.step(clock.monotonic_ms()).offset == previous);
}

TEST_CASE("The glide's distance does not depend on the frame rate", "[touch][scroll]") {
    auto glide_after = [](int frame_ms) {
        platform::ManualClock clock;
        DragScroll scroll;
        flick_up(scroll, clock, 0, 5000);
        int64_t end = clock.monotonic_ms() + 300;
        while (clock.monotonic_ms() < end) {
            clock.advance(frame_ms);
            scroll.step(clock.monotonic_ms());
        }
        return scroll.offset();
    };
    CHECK(glide_after(10) == Approx(glide_after(30)).epsilon(0.001));  // 100 fps vs 33 fps
}

TEST_CASE("Gliding stops at the end of the page, without overshoot", "[touch][scroll]") {
    platform::ManualClock clock;
    DragScroll scroll;
    flick_up(scroll, clock, 700, 1000);
    clock.advance(2000);
    auto frame = scroll.step(clock.monotonic_ms());
    CHECK(frame.offset == 1000);
    CHECK_FALSE(frame.animating);
}

TEST_CASE("Dragging past either end holds the page at that end", "[touch][scroll]") {
    platform::ManualClock clock;
    DragScroll scroll;
    scroll.press(100, clock.monotonic_ms(), 950, 1000);
    clock.advance(100);
    scroll.move(-400, clock.monotonic_ms());  // finger far up: content wants 1450
    CHECK(scroll.offset() == 1000);
    clock.advance(100);
    scroll.move(1500, clock.monotonic_ms());
    CHECK(scroll.offset() == 0);
}

TEST_CASE("A page shorter than the screen does not scroll", "[touch][scroll]") {
    platform::ManualClock clock;
    DragScroll scroll;
    flick_up(scroll, clock, 0, 0);
    CHECK(scroll.offset() == 0);
    CHECK_FALSE(scroll.animating());  // nothing to glide to: the loop need not draw another frame
    clock.advance(16);
    CHECK_FALSE(scroll.step(clock.monotonic_ms()).animating);
}

TEST_CASE("A finger that stops before lifting leaves no flick", "[touch][scroll]") {
    platform::ManualClock clock;
    DragScroll scroll;
    scroll.press(800, clock.monotonic_ms(), 0, 5000);
    clock.advance(50);
    scroll.move(600, clock.monotonic_ms());
    clock.advance(350);  // held still for 350 ms, then lifted
    scroll.release(clock.monotonic_ms());
    CHECK_FALSE(scroll.animating());
    CHECK(scroll.offset() == Approx(200 - 16));  // where the finger left it (the slop is not scrolled)
}

TEST_CASE("A new touch catches a gliding page", "[touch][scroll]") {
    platform::ManualClock clock;
    DragScroll scroll;
    flick_up(scroll, clock, 0, 5000);
    clock.advance(50);
    scroll.step(clock.monotonic_ms());
    REQUIRE(scroll.animating());
    clock.advance(20);
    float caught_at = scroll.offset();
    scroll.press(500, clock.monotonic_ms(), caught_at, 5000);
    CHECK_FALSE(scroll.animating());
    clock.advance(100);
    CHECK(scroll.step(clock.monotonic_ms()).offset == caught_at);
}
