// Touch on the glass reaches Dear ImGui as a pointer: SDL finger events
// (normalised coordinates) become pixels, the mouse events SDL synthesises
// from touch are dropped, a tap is a press frame then a release frame, and the
// pointer leaves the screen afterwards so no hover highlight sticks.
#include <catch2/catch.hpp>

#include <SDL.h>
#include <imgui.h>

#include <cfloat>

#include "platform/display.h"
#include "platform/input.h"

namespace {

std::unique_ptr<platform::Display> open_headless() {
    platform::DisplayOptions options;
    options.mode = platform::DisplayMode::headless;
    options.width = 1000;
    options.height = 500;
    std::string error;
    auto display = platform::Display::open(options, &error);
    INFO(error);
    REQUIRE(display);
    return display;
}

void push_finger(Uint32 type, float x, float y) {
    SDL_Event e{};
    e.type = type;
    e.tfinger.x = x;
    e.tfinger.y = y;
    e.tfinger.fingerId = 1;
    SDL_PushEvent(&e);
}

std::vector<platform::InputEvent> drain(SDL_Window* window = nullptr) {
    platform::InputSource input(window);
    std::vector<platform::InputEvent> events;
    input.wait(0, events);
    return events;
}

}  // namespace

TEST_CASE("SDL finger events become pointer events in window pixels", "[platform][input]") {
    auto display = open_headless();
    drain();
    push_finger(SDL_FINGERDOWN, 0.5f, 0.25f);
    push_finger(SDL_FINGERMOTION, 0.6f, 0.25f);
    push_finger(SDL_FINGERUP, 0.6f, 0.3f);
    auto events = drain(display->window());
    REQUIRE(events.size() == 3);
    CHECK(events[0].kind == platform::InputEvent::Kind::pointer_down);
    CHECK(events[0].x == Approx(500));
    CHECK(events[0].y == Approx(125));
    CHECK(events[1].kind == platform::InputEvent::Kind::pointer_move);
    CHECK(events[1].x == Approx(600));
    CHECK(events[2].kind == platform::InputEvent::Kind::pointer_up);
    CHECK(events[2].y == Approx(150));
}

TEST_CASE("Mouse events that SDL made from a touch are not counted twice", "[platform][input]") {
    auto display = open_headless();
    drain();
    SDL_Event e{};
    e.type = SDL_MOUSEBUTTONDOWN;
    e.button.which = SDL_TOUCH_MOUSEID;
    e.button.button = SDL_BUTTON_LEFT;
    SDL_PushEvent(&e);
    e.button.which = 0;  // a real mouse (development)
    e.button.x = 10;
    e.button.y = 20;
    SDL_PushEvent(&e);
    auto events = drain();
    REQUIRE(events.size() == 1);
    CHECK(events[0].kind == platform::InputEvent::Kind::pointer_down);
    CHECK(events[0].x == 10);
}

TEST_CASE("Text and the keys that matter arrive — a worker's wake ends a wait", "[platform][input]") {
    auto display = open_headless();
    drain();
    SDL_Event text{};
    text.type = SDL_TEXTINPUT;
    std::snprintf(text.text.text, sizeof text.text.text, "%s", "医");
    SDL_PushEvent(&text);
    SDL_Event enter{};
    enter.type = SDL_KEYDOWN;
    enter.key.keysym.sym = SDLK_RETURN;
    SDL_PushEvent(&enter);
    platform::InputSource::wake();
    auto events = drain();
    REQUIRE(events.size() == 3);
    CHECK(events[0].text == "医");
    CHECK(events[1].key == platform::InputEvent::Key::enter);
    CHECK(events[2].kind == platform::InputEvent::Kind::wake);
}

TEST_CASE("A tap is one frame pressed and one released, then the pointer leaves", "[platform][input]") {
    auto display = open_headless();
    ImGuiIO& io = ImGui::GetIO();
    platform::TouchPointer pointer;
    platform::InputEvent down, up;
    down.kind = platform::InputEvent::Kind::pointer_down;
    up.kind = platform::InputEvent::Kind::pointer_up;
    down.x = up.x = 300;
    down.y = up.y = 200;
    // Both arrive before the next frame, as a quick tap does.
    pointer.push(down);
    pointer.push(up);
    REQUIRE(pointer.busy());

    pointer.apply(io);
    CHECK(io.MouseDown[0]);
    CHECK(io.MousePos.x == 300);
    pointer.apply(io);
    CHECK_FALSE(io.MouseDown[0]);
    CHECK(io.MousePos.x == 300);  // released where it was pressed: ImGui sees a click
    REQUIRE(pointer.busy());
    pointer.apply(io);
    CHECK(io.MousePos.x == -FLT_MAX);  // gone: no hover highlight stays behind
    CHECK_FALSE(pointer.busy());
}

TEST_CASE("A worker's task runs on the UI thread's turn, and wakes it", "[platform][input]") {
    int wakes = 0;
    platform::MainThreadQueue queue([&wakes] { ++wakes; });
    int ran = 0;
    queue.post([&ran] { ++ran; });
    queue.post([&ran] { ++ran; });
    CHECK(wakes == 2);
    CHECK(ran == 0);  // nothing runs on the posting thread
    CHECK(queue.run_pending() == 2);
    CHECK(ran == 2);
    CHECK(queue.run_pending() == 0);
}
