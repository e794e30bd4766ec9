// kiosk/app/kiosk_context.h — what every screen may read and change.
//
// Owned by the App; scenes hold a reference. Session is everything that
// belongs to the guest at the glass: the navigator's wipe resets it (and every
// scene's on_leave drops its own guest data) when the session ends.
//
// Index
//   Session                    the current guest's choices: language, large text, high contrast; the signed-in member
//   KioskContext::tr(key)      a string in the guest's language
//   KioskContext::nav()        the navigator (push, back, home, end_session)
//   KioskContext::wipe_session()   back to the configured defaults, open CRM questions dropped and the
//                              member signed out at the CRM (called by the navigator only)
#pragma once

#include <optional>
#include <string>

#include "app/config.h"
#include "app/crm_client.h"
#include "app/print_queue.h"
#include "app/navigator.h"
#include "content/flows.h"
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

struct Session {
    Lang lang = kDefaultLang;
    bool large_text = false;
    bool high_contrast = false;
    std::optional<SignedInMember> member;  // set by the member screens; gone when the session ends
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
    int64_t started_ms = 0;
    std::string renderer_name;
    bool quit_requested = false;

    const std::string& tr(const std::string& key) const { return strings.get(session.lang, key); }
    std::string format_seconds(const std::string& key, int seconds) const {
        return strings.format(session.lang, key, "n", std::to_string(seconds));
    }
    Navigator& nav() { return *navigator; }
    void wipe_session() {
        if (crm) crm->end_session();
        session.lang = lang_from_code(config.lang).value_or(kDefaultLang);
        session.large_text = config.large_text;
        session.high_contrast = config.high_contrast;
        session.member.reset();
        promotions.selected.clear();
    }
};

}  // namespace kiosk
