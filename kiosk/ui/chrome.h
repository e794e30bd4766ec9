// kiosk/ui/chrome.h — what frames every screen: the top bar (hospital, language,
// large text, high contrast), the bottom bar (Back, Home) and the idle countdown.
//
// Accessibility lives here so it is on every screen without each screen asking.
//
// Index
//   ScreenArea                        the rectangle a screen may draw its content in
//   begin_screen(ctx, bars)           open the full-screen window and paint the background; returns the content area
//   end_screen(ctx, bars)             draw the bars (on top) and close the window
//   draw_idle_countdown(ctx, secs)    the "are you still there?" overlay; a tap anywhere keeps the session
//   draw_help_button(ctx, pos, size)  help.call: calls staff (app/help_call.h); in every bottom bar and on the attract screen
//   draw_out_of_service(ctx)          the whole screen: "out of service — please go to the information desk",
//                                     in all four languages at once (a kiosk in a crash loop shows only this)
//   kMemberBandColour                 the band under the top bar while a member is signed in: who (masked) and
//                                     `session.sign_out`, on every screen with bars; the content area starts below it
//
// The bottom bar carries help.call on its right; above it, after three failed
// attempts in a session, the offer of help (help.offer.call / help.offer.dismiss).
#pragma once

#include <imgui.h>

namespace kiosk {

struct KioskContext;

struct ScreenArea {
    ImVec2 min, max;
    float width() const { return max.x - min.x; }
    float height() const { return max.y - min.y; }
};

// A warm light gold no screen uses as its background: the real-display test
// (tests/kiosk/glass) looks for it.
constexpr ImU32 kMemberBandColour = IM_COL32(252, 236, 196, 255);

enum class Bars { none, top_only, top_and_bottom };

ScreenArea begin_screen(KioskContext& ctx, Bars bars);
void end_screen(KioskContext& ctx, Bars bars);
void draw_idle_countdown(KioskContext& ctx, int seconds_left);
void draw_help_button(KioskContext& ctx, ImVec2 pos, ImVec2 size);
void draw_out_of_service(KioskContext& ctx);

}  // namespace kiosk
