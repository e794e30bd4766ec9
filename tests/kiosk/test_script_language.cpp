// The script language that drives the UI headless: what parses, and the
// line-numbered errors for what does not.
#include <catch2/catch.hpp>

#include "app/script.h"

using Op = kiosk::ScriptCommand::Op;

TEST_CASE("A script parses into commands with their line numbers", "[script]") {
    std::string error;
    auto script = kiosk::parse_script("# a comment\n\ntap home.visit_flow\ntap 就诊流程\nwait 61 s\nwait 3 frames\n"
                                      "hold_at 10 20 3000\nexpect screen attract\nexpect visible nav.back\n"
                                      "scan 6200123412341234\nkey escape\nscreenshot /tmp/x.png\n",
                                      &error);
    REQUIRE(script);
    REQUIRE(script->size() == 10);
    CHECK((*script)[0].op == Op::tap);
    CHECK((*script)[0].text == "home.visit_flow");
    CHECK((*script)[0].line == 3);
    CHECK((*script)[1].text == "就诊流程");
    CHECK((*script)[2].op == Op::wait_ms);
    CHECK((*script)[2].amount == 61'000);
    CHECK((*script)[3].op == Op::wait_frames);
    CHECK((*script)[4].op == Op::hold_at);
    CHECK((*script)[4].amount == 3000);
    CHECK((*script)[5].op == Op::expect_screen);
    CHECK((*script)[7].op == Op::scan);
    CHECK((*script)[9].text == "/tmp/x.png");
}

TEST_CASE("Script errors name the line", "[script]") {
    std::string error;
    CHECK_FALSE(kiosk::parse_script("tap a\nfly away\n", &error));
    CHECK(error == "line 2: unknown command 'fly'");
    CHECK_FALSE(kiosk::parse_script("wait 3 hours\n", &error));
    CHECK(error == "line 1: wait unit must be frames, s or ms");
    CHECK_FALSE(kiosk::parse_script("tap\n", &error));
    CHECK(error == "line 1: tap needs a widget id or label");
    CHECK_FALSE(kiosk::parse_script("key space\n", &error));
    CHECK(error == "line 1: key must be enter, escape or backspace");
}

TEST_CASE("Measuring and highlight checks parse: expect at_least, expect primary, expect not_primary", "[script]") {
    std::string error;
    auto script = kiosk::parse_script("expect at_least 110 40 Large text\nexpect primary admin.close\n"
                                      "expect not_primary admin.exit_kiosk\n",
                                      &error);
    REQUIRE(script);
    REQUIRE(script->size() == 3);
    CHECK((*script)[0].op == Op::expect_at_least);
    CHECK((*script)[0].y1 == 110);
    CHECK((*script)[0].x1 == 40);
    CHECK((*script)[0].text == "Large text");
    CHECK((*script)[1].op == Op::expect_primary);
    CHECK((*script)[2].op == Op::expect_not_primary);
    CHECK((*script)[2].text == "admin.exit_kiosk");
    CHECK_FALSE(kiosk::parse_script("expect at_least tall nav.back\n", &error));
    CHECK(error == "line 1: expect at_least needs H PX TARGET");
}

TEST_CASE("A script waits for the voice: a prompt heard, or said to its end", "[script][voice]") {
    std::string error;
    auto script = kiosk::parse_script("await 10 s spoken voice.home\nawait 20 s said nav.back\nawait 5 s Voice\n", &error);
    REQUIRE(script);
    REQUIRE(script->size() == 3);
    CHECK((*script)[0].op == Op::await_spoken);
    CHECK((*script)[0].text == "voice.home");
    CHECK((*script)[0].amount == 10'000);
    CHECK((*script)[1].op == Op::await_said);
    CHECK((*script)[1].text == "nav.back");
    CHECK((*script)[2].op == Op::await_visible);  // a widget, as before
    CHECK_FALSE(kiosk::parse_script("await 10 s spoken \n", &error));
}
