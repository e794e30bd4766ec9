// The navigator: one stack, Back, Home, and the idle timeout — driven by the
// manual clock, so a 60-second timeout takes no time at all.
#include <catch2/catch.hpp>

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "app/navigator.h"

using kiosk::IdlePolicy;
using kiosk::Navigator;
using kiosk::Scene;
using kiosk::SceneEvent;
using kiosk::SceneId;

namespace {

// A scene that writes down what happens to it.
struct RecordingScene final : Scene {
    RecordingScene(std::string name, std::vector<std::string>& journal, bool idle = true)
        : name(std::move(name)), journal(journal), idle(idle) {}
    void on_enter() override { journal.push_back("enter " + name); }
    void on_leave() override { journal.push_back("leave " + name); }
    void on_frame() override {
        journal.push_back("frame " + name);
        if (navigate_in_frame) navigate_in_frame();
    }
    bool on_event(const SceneEvent& e) override {
        journal.push_back("event " + name + " " + e.text);
        return true;
    }
    bool wants_idle_timeout() const override { return idle; }

    std::string name;
    std::vector<std::string>& journal;
    bool idle;
    std::function<void()> navigate_in_frame;
};

struct Fixture {
    platform::ManualClock clock;
    std::vector<std::string> journal;
    int wipes = 0;
    std::array<std::unique_ptr<RecordingScene>, kiosk::kSceneCount> scenes;
    std::unique_ptr<Navigator> nav;

    explicit Fixture(IdlePolicy policy = {60'000, 10'000}) {
        for (int i = 0; i < kiosk::kSceneCount; ++i)
            scenes[size_t(i)] = std::make_unique<RecordingScene>(kiosk::scene_name(SceneId(i)), journal,
                                                                 SceneId(i) != SceneId::attract);
        nav = std::make_unique<Navigator>(
            clock, policy, [this](SceneId id) -> Scene& { return *scenes[size_t(id)]; }, [this] { ++wipes; });
        nav->start(SceneId::attract);
        journal.clear();
    }
};

}  // namespace

TEST_CASE("Every screen in the scene list has a name, and names map back to screens", "[navigator]") {
    for (int i = 0; i < kiosk::kSceneCount; ++i) {
        const char* name = kiosk::scene_name(SceneId(i));
        REQUIRE(kiosk::scene_from_name(name) == SceneId(i));
    }
    CHECK_FALSE(kiosk::scene_from_name("no_such_screen"));
    CHECK(kiosk::scene_from_name("visit_flow") == SceneId::visit_flow);
}

TEST_CASE("Push, Back and Home move along one stack and call enter and leave in order", "[navigator]") {
    Fixture f;
    f.nav->replace(SceneId::home);
    f.nav->push(SceneId::visit_flow);
    CHECK(f.nav->current() == SceneId::visit_flow);
    CHECK(f.nav->depth() == 2);
    CHECK(f.journal == std::vector<std::string>{"leave attract", "enter home", "leave home", "enter visit_flow"});

    f.journal.clear();
    REQUIRE(f.nav->back());
    CHECK(f.nav->current() == SceneId::home);
    CHECK(f.journal == std::vector<std::string>{"leave visit_flow", "enter home"});

    SECTION("Back at the bottom of the stack does nothing") {
        CHECK_FALSE(f.nav->back());
        CHECK(f.nav->current() == SceneId::home);
    }
    SECTION("Home from deep in the stack leaves only home") {
        f.nav->push(SceneId::complaint_flow);
        f.nav->push(SceneId::admin_pin);
        f.nav->home();
        CHECK(f.nav->current() == SceneId::home);
        CHECK(f.nav->depth() == 1);
    }
    SECTION("A double tap does not stack the same screen twice") {
        f.nav->push(SceneId::complaint_flow);
        f.nav->push(SceneId::complaint_flow);
        CHECK(f.nav->depth() == 2);
    }
}

TEST_CASE("Navigation asked for during a frame happens after the frame", "[navigator]") {
    Fixture f;
    f.nav->replace(SceneId::home);
    f.journal.clear();
    f.scenes[size_t(SceneId::home)]->navigate_in_frame = [&] {
        f.nav->push(SceneId::visit_flow);
        // Still home while its own frame runs: it never leaves mid-draw.
        CHECK(f.nav->current() == SceneId::home);
    };
    f.nav->frame();
    CHECK(f.nav->current() == SceneId::visit_flow);
    CHECK(f.journal == std::vector<std::string>{"frame home", "leave home", "enter visit_flow"});
}

TEST_CASE("Events go to the current screen only", "[navigator]") {
    Fixture f;
    f.nav->replace(SceneId::home);
    f.journal.clear();
    f.nav->dispatch(SceneEvent{SceneEvent::Kind::card_scanned, "6200"});
    CHECK(f.journal == std::vector<std::string>{"event home 6200"});
}

TEST_CASE("After the idle timeout a countdown shows, then the session ends on the attract screen", "[navigator][idle]") {
    Fixture f;  // 60 s timeout, 10 s countdown
    f.nav->replace(SceneId::home);
    f.nav->push(SceneId::visit_flow);

    f.clock.advance(59'999);
    f.nav->tick();
    CHECK_FALSE(f.nav->countdown_seconds_left());
    CHECK(f.nav->ms_until_next_tick() == 1);

    f.clock.advance(1);
    f.nav->tick();
    REQUIRE(f.nav->countdown_seconds_left() == 10);
    CHECK(f.nav->ms_until_next_tick() == 1000);  // the number on screen changes every second

    f.clock.advance(9'500);
    f.nav->tick();
    CHECK(f.nav->countdown_seconds_left() == 1);
    CHECK(f.nav->current() == SceneId::visit_flow);
    CHECK(f.wipes == 0);

    f.journal.clear();
    f.clock.advance(500);
    f.nav->tick();
    CHECK(f.nav->current() == SceneId::attract);
    CHECK(f.nav->depth() == 1);
    CHECK(f.wipes == 1);
    CHECK(f.journal == std::vector<std::string>{"leave visit_flow", "enter attract"});
    CHECK_FALSE(f.nav->countdown_seconds_left());
}

TEST_CASE("A touch during the countdown keeps the session", "[navigator][idle]") {
    Fixture f;
    f.nav->replace(SceneId::home);
    f.clock.advance(65'000);
    f.nav->tick();
    REQUIRE(f.nav->countdown_seconds_left() == 5);
    f.nav->note_activity();
    CHECK_FALSE(f.nav->countdown_seconds_left());
    f.clock.advance(59'000);
    f.nav->tick();
    CHECK(f.nav->current() == SceneId::home);
    CHECK(f.wipes == 0);
}

TEST_CASE("The attract screen never times out and asks for no wake-up", "[navigator][idle]") {
    Fixture f;
    f.clock.advance(24 * 3600 * 1000LL);
    f.nav->tick();
    CHECK(f.nav->current() == SceneId::attract);
    CHECK_FALSE(f.nav->countdown_seconds_left());
    CHECK(f.nav->ms_until_next_tick() == -1);
    CHECK(f.wipes == 0);
}

TEST_CASE("The idle timeout is configurable", "[navigator][idle]") {
    Fixture f(IdlePolicy{5'000, 3'000});
    f.nav->replace(SceneId::home);
    f.clock.advance(5'000);
    f.nav->tick();
    CHECK(f.nav->countdown_seconds_left() == 3);
    f.clock.advance(3'000);
    f.nav->tick();
    CHECK(f.nav->current() == SceneId::attract);
}

TEST_CASE("Navigating counts as activity: a new screen starts a fresh idle period", "[navigator][idle]") {
    Fixture f;
    f.nav->replace(SceneId::home);
    f.clock.advance(50'000);
    f.nav->push(SceneId::visit_flow);
    f.clock.advance(50'000);
    f.nav->tick();
    CHECK_FALSE(f.nav->countdown_seconds_left());
}
