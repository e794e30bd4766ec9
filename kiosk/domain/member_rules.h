// kiosk/domain/member_rules.h — the member screens' rules, with no UI: how a
// card is read, what the member cache keeps, the offline PIN check and lockout,
// the offline redemption limit and hold, tiers and vouchers (docs/members.md).
//
// Invariants:
//   - The cache never holds a card number or a PIN in clear: its key is an
//     HMAC of the card under the kiosk's secret, the PIN a salted PBKDF2 hash.
//   - A balance shown or spent is never below zero; offline, the points held by
//     redemptions still in the outbox are not available again (no double spend).
//   - Wrong PINs slow the card down with growing waits, as the CRM does
//     (crm-server/guessing.h, kSignInPerCard): three are free, then 5 s, 10 s,
//     … never more than 15 minutes after the latest one — no lock-out.
//   - Offline spending needs the CRM's grant for this card at this kiosk
//     (OfflineGrant, from an online sign-in): never more than its cap in
//     total, never after its expiry. The cap is a total, not a per-day count,
//     so moving the kiosk's clock cannot give a card a fresh allowance.
//
// Index
//   parse_sign_in_answer(body, card, now_ms)   the CRM's 200 answer → the session's member (name masked), or nullopt
//   card_from_scan(text)                 "6200…" or "KNMEMBER:6200…" from a scanner → card number, or nullopt
//   is_card_number(text)                 8–19 digits
//   member_cache_key(secret, card)       "member:" + hex HMAC-SHA256: the member cache key for a card
//   PinVerifier, make_pin_verifier(pin, salt), pin_matches(verifier, pin)   salted slow hash of a PIN
//   random_salt_hex()                    16 random bytes as hex (the kernel's random source)
//   OfflineMember                        one member's cache entry; to_json() / offline_member_from_json(text)
//   kMemberCacheDays                     how long an entry stays after the last online sign-in
//   kPin*                                the offline PIN's growing waits (the CRM's per-card policy)
//   pin_wait_after(failures)             how long the failures-th wrong PIN makes the card wait
//   PinCheck, check_offline_pin(m, pin, now_ms)   offline: ok, wrong (and the wait it started) or wait (no PIN checked)
//   available_points(m)                  cached balance minus points held by queued redemptions, never < 0
//   OfflineGrant, parse_offline_grant(json text)   the CRM's offline allowance for one card at this kiosk
//   OfflineRedeem, check_offline_redemption(m, points, kiosk_limit, now_ms)   may this be spent offline now?
//   hold_offline_redemption(m, key, points)   count it against the grant and hold its points
//   refresh_from_crm(m, …, still_queued, grant)  an online sign-in: new balance and grant, holds only for records still queued
//   utc_day(wall_ms)                     from domain/calendar.h
//   next_tier(tier), tier_name_key(tier), tier_benefit_key(tier)   the pyramid as the screens show it
//   voucher_from_key(key), voucher_qr_text(voucher, cash_fen)      the voucher number and what its QR code says
//   redemption_payload(card, reward, points, cash_fen, voucher, grant)   the `redemption` record: the reward and
//                                        the price shown (the CRM prices it and refuses a changed price), the grant cited
//   gift_payload(from, to, points, voucher, grant)   the `points_gift` record
//   never_negative(points)               max(points, 0)
#pragma once

#include "domain/calendar.h"
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/member_session.h"

namespace kiosk {

// The clear name in the answer is masked here and never kept; a malformed answer is nullopt.
std::optional<SignedInMember> parse_sign_in_answer(std::string_view body, const std::string& card, int64_t now_ms);
std::optional<std::string> card_from_scan(std::string_view text);
bool is_card_number(std::string_view text);
std::string member_cache_key(std::string_view kiosk_secret, std::string_view card);

struct PinVerifier {
    std::string salt_hex;
    int iterations = 0;
    std::string hash_hex;
};
// PBKDF2-HMAC-SHA256. Slow enough to make each guess cost (a few ms on the
// kiosk), not so slow that the UI thread stalls a frame; a 4-digit PIN cannot
// be made safe by hashing alone, which is why the entry also expires.
inline constexpr int kPinHashIterations = 20'000;
PinVerifier make_pin_verifier(std::string_view pin, std::string_view salt_hex, int iterations = kPinHashIterations);
bool pin_matches(const PinVerifier& verifier, std::string_view pin);
std::string random_salt_hex();

// The same numbers as the CRM's kSignInPerCard (crm-server/guessing.h): a
// guesser gains nothing by pulling the network cable.
inline constexpr int kPinFreeFailures = 3;
inline constexpr int64_t kPinFirstWaitMs = 5'000;
inline constexpr int64_t kPinMaxWaitMs = 15 * 60'000;
inline constexpr int64_t kPinForgetOneMs = 60 * 60'000;
int64_t pin_wait_after(int failures);
inline constexpr int64_t kMemberCacheDays = 30;

struct OfflineHold {
    std::string key;  // the outbox record's idempotency key
    int64_t points = 0;
};

// The CRM's allowance for offline spending by one card at one kiosk (docs/crm-api.md, grants).
// The kiosk cites it in every queued redemption; the CRM checks the signature,
// the kiosk and the card, and its own per-card daily cap across all kiosks.
struct OfflineGrant {
    std::string id;          // the CRM's grant id
    std::string signature;   // the CRM's signature over it, under a key only the CRM holds
    int64_t cap_points = 0;  // at most this many points in total under this grant
    int64_t expires_ms = 0;  // no offline spending on it after this (the CRM's time)
    int64_t spent = 0;       // points this kiosk spent offline under it so far
};
// {"id", "cap_points", "expires_ms", "signature"} → a grant; nullopt when malformed.
std::optional<OfflineGrant> parse_offline_grant(std::string_view text);

struct OfflineMember {
    std::string card_last4;
    std::string masked_name;
    MemberTier tier = MemberTier::basic;
    int64_t balance = 0;            // as the CRM said at the last online sign-in
    int64_t balance_as_of_ms = 0;   // when
    PinVerifier pin;
    int failed_pins = 0;            // as of last_failed_ms; quiet time forgives one per kPinForgetOneMs
    int64_t last_failed_ms = 0;
    int64_t locked_until_ms = 0;    // no PIN is checked before this (never more than kPinMaxWaitMs ahead)
    std::optional<OfflineGrant> grant;  // none: this card cannot spend offline here
    std::vector<OfflineHold> holds; // queued redemptions not yet confirmed delivered
    std::string to_json() const;
};
std::optional<OfflineMember> offline_member_from_json(std::string_view text);

struct PinCheck {
    enum class Outcome { ok, wrong, wait } outcome = Outcome::wrong;
    int64_t wait_ms = 0;  // wrong: the wait this failure started (0: free); wait: what is left of it
};
PinCheck check_offline_pin(OfflineMember& member, std::string_view pin, int64_t now_ms);

int64_t available_points(const OfflineMember& member);

struct OfflineRedeem {
    enum class Outcome { ok, invalid_points, no_grant, over_limit, insufficient_points } outcome = Outcome::ok;
    int64_t left = 0;       // what the grant (and the kiosk's own limit) still allows
    int64_t available = 0;  // what the balance still allows
};
// kiosk_limit: the kiosk's own ceiling (offline_redeem_limit_points; 0 refuses), on top of the grant's cap.
OfflineRedeem check_offline_redemption(const OfflineMember& member, int64_t points, int64_t kiosk_limit, int64_t now_ms);
void hold_offline_redemption(OfflineMember& member, const std::string& key, int64_t points);
// grant: what the CRM granted at this sign-in (none: offline spending ends for this card here).
void refresh_from_crm(OfflineMember& member, int64_t balance, int64_t as_of_ms,
                      const std::function<bool(const std::string& key)>& still_queued,
                      std::optional<OfflineGrant> grant);


std::optional<MemberTier> next_tier(MemberTier tier);
std::string tier_name_key(MemberTier tier);      // "tier.vip" — the CRM may reword these
std::string tier_benefit_key(MemberTier tier);   // "members.benefit.vip"

std::string voucher_from_key(std::string_view idempotency_key);
std::string voucher_qr_text(const std::string& voucher, int64_t cash_fen);

inline int64_t never_negative(int64_t points) { return points < 0 ? 0 : points; }

// The same text goes to the outbox and online (one key, one payload): built once.
std::string redemption_payload(const std::string& card, const std::string& reward, int64_t points_shown,
                               int64_t cash_fen_shown, const std::string& voucher, const std::optional<OfflineGrant>& grant);
std::string gift_payload(const std::string& from_card, const std::string& to_card, int64_t points,
                         const std::string& voucher, const std::optional<OfflineGrant>& grant);

}  // namespace kiosk
