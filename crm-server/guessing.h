// crm-server/guessing.h — how the CRM slows anyone who guesses: PINs at
// sign-in, phone digits or look-up codes at a complaint or booking look-up.
// docs/security-guessing.md has the bounds these numbers give.
//
// A counter exists per scope and subject (a kiosk, a card, a ticket or code).
// Each failure adds one; after the policy's free failures, each further
// failure makes the subject wait a delay that doubles, up to the policy's cap.
// While a subject waits, the CRM answers 429 with Retry-After WITHOUT checking
// the guess: a wait costs the guesser time and gives them nothing. Failures
// are forgotten one per `forget_one_ms` of quiet, so honest slips spread over
// a day never add up; a right PIN forgets a card's count at once (a kiosk's
// count never: a guesser could otherwise reset it with their own card).
//
// The counters live in the CRM's database (Store::*_guess*), checked and
// moved in the same transaction as the guess itself, so several CRM processes
// on one database share them.
//
// Invariants:
//   - A subject is never made to wait longer than its policy's cap after its
//     last failure (no stranger can lock a member out for longer).
//   - An unknown card or ticket is counted exactly like a known one: the
//     counters are no oracle either.
//
// Index
//   GuessPolicy                          free failures, first delay, cap, how fast failures are forgotten
//   kSignInPerCard, kSignInPerKiosk      sign-in: per card (PIN guessing) and per kiosk (across cards)
//   kLookUpPerCode, kLookUpPerKiosk      complaint and booking look-ups and guarded booking changes
//   GuessCount                           a counter as stored
//   failures_now(policy, count, now)     the count with quiet time forgiven
//   delay_after(policy, failures)        how long the failures-th failure makes the subject wait
//   wait_until(policy, count)            the instant the subject may guess again (≤ now: it may)
//   after_failure(policy, count, now)    the counter after one more failure
//   GuessScope, scope_name(scope)        what a counter counts, as staff read it
#pragma once

#include <cstdint>

namespace crm {

struct GuessPolicy {
    int64_t free_failures;   // failures that cost nothing (honest slips)
    int64_t first_delay_ms;  // the wait after the first failure beyond the free ones
    int64_t max_delay_ms;    // the cap: no wait is ever longer
    int64_t forget_one_ms;   // quiet time that forgets one failure
};

// A member who mistypes three times waits 5 s, then 10, 20, … at most 15 minutes.
inline constexpr GuessPolicy kSignInPerCard{3, 5'000, 15 * 60'000, 60 * 60'000};
// A lobby kiosk sees honest slips from many members: ten in a row are free and
// one is forgiven every two minutes; beyond, 1 s, 2 s, … at most 2 minutes.
inline constexpr GuessPolicy kSignInPerKiosk{10, 1'000, 2 * 60'000, 2 * 60'000};
inline constexpr GuessPolicy kLookUpPerCode{3, 5'000, 15 * 60'000, 60 * 60'000};
inline constexpr GuessPolicy kLookUpPerKiosk{10, 1'000, 2 * 60'000, 2 * 60'000};

struct GuessCount {
    int64_t failures = 0;
    int64_t last_failure_ms = 0;
};

inline int64_t failures_now(const GuessPolicy& p, const GuessCount& c, int64_t now_ms) {
    int64_t quiet = now_ms > c.last_failure_ms ? now_ms - c.last_failure_ms : 0;
    int64_t forgiven = quiet / p.forget_one_ms;
    return c.failures > forgiven ? c.failures - forgiven : 0;
}

inline int64_t delay_after(const GuessPolicy& p, int64_t failures) {
    int64_t beyond = failures - p.free_failures;
    if (beyond <= 0) return 0;
    int64_t delay = p.first_delay_ms;
    for (int64_t i = 1; i < beyond && delay < p.max_delay_ms; ++i) delay *= 2;
    return delay < p.max_delay_ms ? delay : p.max_delay_ms;
}

inline int64_t wait_until(const GuessPolicy& p, const GuessCount& c) {
    return c.failures > 0 ? c.last_failure_ms + delay_after(p, c.failures) : 0;
}

inline GuessCount after_failure(const GuessPolicy& p, const GuessCount& c, int64_t now_ms) {
    return {failures_now(p, c, now_ms) + 1, now_ms};
}

enum class GuessScope { sign_in_card, sign_in_kiosk, look_up_code, look_up_kiosk };

inline const char* scope_name(GuessScope s) {
    switch (s) {
        case GuessScope::sign_in_card: return "sign_in_card";
        case GuessScope::sign_in_kiosk: return "sign_in_kiosk";
        case GuessScope::look_up_code: return "look_up_code";
        case GuessScope::look_up_kiosk: return "look_up_kiosk";
    }
    return "";
}

inline const GuessPolicy& policy_of(GuessScope s) {
    switch (s) {
        case GuessScope::sign_in_card: return kSignInPerCard;
        case GuessScope::sign_in_kiosk: return kSignInPerKiosk;
        case GuessScope::look_up_code: return kLookUpPerCode;
        case GuessScope::look_up_kiosk: return kLookUpPerKiosk;
    }
    return kSignInPerCard;
}

}  // namespace crm
