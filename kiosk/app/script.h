// kiosk/app/script.h — the tiny language that drives the UI headless.
//
// Used by the tests and by anyone reproducing a bug (docs/scripting.md):
//   tap TARGET            tap a widget by its id or visible label
//   tap_at X Y            tap at a point (pixels)
//   hold_at X Y MS        press at a point for MS milliseconds of clock time (e.g. the staff gesture)
//   drag X1 Y1 X2 Y2      a finger drag
//   type TEXT             text as the on-screen or a hardware keyboard would type it
//   scan TEXT             a card/QR scanner burst: fast keys ending with Enter
//   key enter|escape|backspace
//   wait N frames | wait N s | wait N ms   let frames pass, or move the clock
//   expect screen NAME    fail unless that screen is current
//   expect visible TARGET fail unless a widget with that id or label was drawn in the last frame
//   expect hidden TARGET  fail if a widget with that id or label was drawn in the last frame
//   expect countdown      fail unless the idle countdown shows
//   expect outbox N       fail unless exactly N records wait in the outbox (pending or in flight)
//   await N s TARGET      wait up to N seconds of real time for a widget to be drawn: an answer that
//                         depends on someone else (staff acknowledging a call for help); the clock
//                         moves 200 ms a step meanwhile
//   await N s spoken PROMPT   wait up to N seconds of real time until the voice's latest prompt is PROMPT (a
//                         string key such as voice.home, or a widget id) and its first sample has been played
//   await N s said PROMPT     the same, until that prompt has been played to its end (or was cancelled)
//   sync                  send the outbox to the CRM now, pull content, and wait for that round to end
//   screenshot FILE       save the current frame as PNG
// Blank lines and lines starting with # are ignored.
//
// Index
//   ScriptCommand                    one parsed line, with its line number
//   parse_script(text, &error)       all commands, or nullopt and "line N: …"
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kiosk {

struct ScriptCommand {
    enum class Op { tap, tap_at, hold_at, drag, type, scan, key, wait_frames, wait_ms, expect_screen, expect_visible,
                    expect_hidden, expect_countdown, expect_outbox, expect_at_least, expect_primary, expect_not_primary,
                    await_visible, await_spoken, await_said, sync, screenshot };
    Op op;
    int line = 0;
    std::string text;       // target, text, key name, screen name or file
    float x1 = 0, y1 = 0, x2 = 0, y2 = 0;
    int64_t amount = 0;     // frames or milliseconds
};

std::optional<std::vector<ScriptCommand>> parse_script(const std::string& text, std::string* error);

}  // namespace kiosk
