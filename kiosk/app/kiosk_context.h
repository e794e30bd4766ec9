// kiosk/app/kiosk_context.h — what every screen may read and change.
//
// Owned by the App; scenes hold a reference. Session is everything that
// belongs to the guest at the glass: the navigator's wipe resets it (and every
// scene's on_leave drops its own guest data) when the session ends.
//
// Index
//   Session                    the current guest's choices: language, large text, high contrast, elder mode;
//                              the signed-in member; their call for help; failed attempts (help offered at 3)
//   KioskContext::tr(key)      a string in the guest's language
//   KioskContext::nav()        the navigator (push, back, home, end_session)
//   KioskContext::note_failed_attempt()   a wrong PIN, a refused booking, a look-up not found: counted for the help offer
//   KioskContext::offer_help()            three failed attempts and no call for help yet: chrome offers one
//   KioskContext::calendar()   the hospital's days and times: the `time_zone` key, else the CRM's content, else Asia/Shanghai
//   KioskContext::wipe_session()   back to the configured defaults, open CRM questions dropped and the
//                              member signed out at the CRM (called by the navigator only)
//   KioskContext::sign_out_member()  the member leaves, the guest stays: the only way a member's session ends
//                                  short of the whole session ending (idle, Finish); says so on Home for a few seconds
//
// When a member's session ends (docs/members.md): a signed-in member stays
// signed in across screens — a booking or a complaint may be theirs — but
// never invisibly: every screen with bars shows who (masked) and a sign-out
// (ui/chrome.h). It ends on sign-out, on Finish, and when the idle countdown
// runs out; nothing else keeps it, so the next guest never acts for them.
#pragma once

#include <optional>
#include <string>

#include "app/config.h"
#include "app/crm_client.h"
#include "app/print_queue.h"
#include "app/navigator.h"
#include "content/flows.h"
#include "domain/calendar.h"
#include "domain/member_session.h"
#include "i18n/strings.h"
#include "offline_cache/store.h"
#include "offline_cache/sync_engine.h"
#include "platform/clock.h"
#include "ui/fonts.h"
#include "ui/promotion_board.h"
#include "ui/touch_keyboard.h"
#include "ui/touch_scroll.h"
#include "ui/widgets.h"

namespace kiosk {

// A guest's call for help (the help screen). No personal data: the CRM learns
// the kiosk, the screen and the time, and the id is the outbox record's key.
struct HelpCall {
    std::string key;          // outbox idempotency key = the CRM's help request id
    std::string from_screen;  // the screen the guest called from
    bool delivered = false;   // the CRM has it
    int64_t acknowledged_wall_ms = 0;  // staff acknowledged it (0: not yet)
};

// After this many failed attempts in one session the kiosk offers help by itself.
inline constexpr int kFailedAttemptsBeforeHelp = 3;

struct Session {
    Lang lang = kDefaultLang;
    bool large_text = false;
    bool high_contrast = false;
    bool elder = false;                    // elder mode: larger, fewer tiles, calmer, patient timeouts
    bool large_text_before_elder = false;  // restored when elder mode is switched off
    std::optional<SignedInMember> member;  // set by the member screens; gone when the session ends
    std::optional<HelpCall> help;          // the help screen's call; gone when the session ends
    int failed_attempts = 0;               // since the session began, or since the guest declined the offer
    int64_t signed_out_notice_until_ms = 0;  // monotonic: "signed out" shows until then
    std::string ticket_to_check;  // the complaint ticket just given: "check progress" opens with it filled in
};

struct KioskContext {
    KioskContext(const KioskConfig& config, platform::Clock& clock) : config(config), clock(clock) {}

    const KioskConfig& config;
    platform::Clock& clock;
    StringTable strings;
    std::optional<FlowContent> flows;
    std::string flows_error;    // why the flows could not be loaded (shown to staff, logged once)
    FontSet fonts;
    Session session;
    WidgetRegistry widgets;
    TouchKeyboard keyboard;  // the on-screen keyboard and the field it types into
    TouchScroll scroll;      // finger scrolling of the screen's scrolling regions
    Navigator* navigator = nullptr;
    offline_cache::Store* store = nullptr;  // null when the data directory could not be opened (logged)
    std::string store_status;               // the start-up self-check's one-line summary, for staff
    offline_cache::SyncEngine* sync = nullptr;  // null without a store
    offline_cache::SyncStatus sync_status;      // the worker's latest report, copied on the UI thread
    PrintQueue* printer = nullptr;              // the receipt printer's queue; printer->configured() false: offer no printing
    CrmClient* crm = nullptr;                   // the typed CRM client: questions a guest waits for; never null once started
    uint64_t content_generation = 0;            // goes up whenever cached CRM content changed; screens reload when it moves
    PromotionBoard promotions;                  // the CRM's offers, parsed, and their pictures as textures
    std::string crm_time_zone;                  // from the CRM's content "time_zone" (validated); empty until it came
    int64_t started_ms = 0;
    std::string renderer_name;
    bool quit_requested = false;

    const std::string& tr(const std::string& key) const { return strings.get(session.lang, key); }
    std::string format_seconds(const std::string& key, int seconds) const {
        return strings.format(session.lang, key, "n", std::to_string(seconds));
    }
    Navigator& nav() { return *navigator; }
    void note_failed_attempt() { ++session.failed_attempts; }
    // Elder mode (a11y.elder): large text on (restored when switched off; the
    // large-text switch stays usable), the idle timeout doubled, the short home.
    // The session wipe ends it.
    void set_elder(bool on) {
        if (on == session.elder) return;
        session.elder = on;
        if (on) session.large_text_before_elder = session.large_text;
        session.large_text = on ? true : session.large_text_before_elder;
        if (navigator) navigator->set_patient(on);
    }
    bool offer_help() const { return session.failed_attempts >= kFailedAttemptsBeforeHelp && !session.help; }
    HospitalCalendar calendar() const {
        return HospitalCalendar(clock, !config.time_zone.empty() ? config.time_zone
                                       : !crm_time_zone.empty()   ? crm_time_zone
                                                                  : std::string(kDefaultTimeZone));
    }
    void wipe_session() {
        if (crm) crm->end_session();
        session.lang = lang_from_code(config.lang).value_or(kDefaultLang);
        session.large_text = config.large_text;
        session.high_contrast = config.high_contrast;
        session.member.reset();
        session.help.reset();
        session.elder = false;
        session.failed_attempts = 0;
        session.signed_out_notice_until_ms = 0;
        session.ticket_to_check.clear();
        promotions.selected.clear();
    }
    static constexpr int64_t kSignedOutNoticeMs = 5000;
    // The member is dropped at once: a screen calling this mid-frame must not
    // read ctx.session.member afterwards (the band calls it last in end_screen).
    void sign_out_member() {
        if (crm) crm->end_session();  // an answer on its way about the member must not land after they left
        session.member.reset();
        session.signed_out_notice_until_ms = clock.monotonic_ms() + kSignedOutNoticeMs;
        if (navigator) navigator->home();
    }
};

}  // namespace kiosk
