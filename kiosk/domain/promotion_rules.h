// kiosk/domain/promotion_rules.h — which of the CRM's promotions a guest sees, in what order.
//
// Pure rules, no SDL or ImGui, tested with a manual clock
// (tests/kiosk/test_promotion_rules.cpp). Targeting is by member tier, the
// guest's language and the date only — never by anything clinical. The CRM's
// shape is in docs/crm-api.md ("promotions"); a malformed offer is skipped
// alone, never the whole list.
//
// Index
//   Promotion                         one offer: id, priority, tiers, languages, validity, title/body, image, url
//   PromotionSet                      the parsed content: version, offers, how many were skipped and why
//   parse_promotions(json)            the CRM's "promotions" body → PromotionSet (bad offers skipped, counted)
//   is_live(p, now_ms)                valid_from_ms <= now < valid_until_ms: an offer vanishes at its end instant
//   text_language(p, lang)            the language its text is shown in: lang, else zh-Hans, else en; nullopt if none
//   Audience                          who is looking: the screen's language, the member's tier (nullopt: a guest)
//   WhyShown, ShownPromotion          an offer picked for an audience, the language of its text, and why
//   promotions_for(set, audience, now)  the offers to show, best first (see the ordering below)
//   next_change_ms(set, now)          the next instant an offer starts or ends after now (the screen wakes then)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/member_session.h"
#include "i18n/lang.h"

namespace kiosk {

struct Promotion {
    std::string id;
    int64_t priority = 0;              // higher first
    std::vector<MemberTier> tiers;     // empty: every guest; else only signed-in members of these tiers
    std::vector<Lang> languages;       // empty: every language; else only guests reading one of these
    int64_t valid_from_ms = 0;         // wall clock, inclusive
    int64_t valid_until_ms = 0;        // wall clock, exclusive: gone at this instant
    LocalizedText title, body;
    std::string image;                 // image id ("image/<id>" in the content cache), "" for none
    std::string url;                   // http(s) page to read more or sign up (shown as a QR code), "" for none
};

struct PromotionSet {
    std::string version;
    std::vector<Promotion> promotions;
    int skipped = 0;          // offers left out because they were malformed
    std::string error;        // set when the body as a whole is unusable (then promotions is empty)
};

// Limits that keep a bad body from filling the screen or memory.
inline constexpr size_t kMaxPromotions = 200;
inline constexpr size_t kMaxPromotionTitleBytes = 400;
inline constexpr size_t kMaxPromotionBodyBytes = 4000;
inline constexpr size_t kMaxPromotionUrlBytes = 512;

PromotionSet parse_promotions(std::string_view json_text);

bool is_live(const Promotion& p, int64_t now_wall_ms);

std::optional<Lang> text_language(const Promotion& p, Lang wanted);

struct Audience {
    Lang lang = kDefaultLang;
    std::optional<MemberTier> tier;  // nullopt: not signed in
};

enum class WhyShown {
    your_tier,  // aimed at the member's tier
    everyone,   // for every guest
};

struct ShownPromotion {
    const Promotion* promotion = nullptr;  // points into the PromotionSet it was picked from
    Lang text_lang = kDefaultLang;         // the language its title and body are shown in
    WhyShown why = WhyShown::everyone;
};

// Live offers the audience may see, ordered: offers for the member's tier
// first; then those written in the guest's own language before those shown in
// a fallback language; then higher priority; then the one ending sooner; then
// by id (a stable order). An offer aimed at tiers is never shown to a guest
// who is not signed in, and one with no text in the guest's language, Chinese
// or English is not shown.
std::vector<ShownPromotion> promotions_for(const PromotionSet& set, const Audience& audience, int64_t now_wall_ms);

std::optional<int64_t> next_change_ms(const PromotionSet& set, int64_t now_wall_ms);

}  // namespace kiosk
