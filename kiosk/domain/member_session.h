// kiosk/domain/member_session.h — the member signed in at the glass, if any.
//
// Set by the member screens after a sign-in (online from the CRM's answer, or
// offline from the member cache), read by every feature that serves members
// (bookings prefill, promotions by tier, feedback only when the guest chooses
// to attach it). It lives in Session, so the navigator's wipe at sign-out or
// idle timeout drops it with everything else; nothing here is logged.
//
// Index
//   MemberTier                    the customer pyramid (docs/crm-api.md): vip, key, regular, basic
//   tier_from_code(code) / tier_code(tier)   "vip" ↔ MemberTier::vip …
//   MemberStatement               what "My points" shows beyond the balance (online sign-ins only)
//   SignedInMember                card (for the CRM requests of this session only), masked name, tier, balance
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crm_contract/tiers.h"

namespace kiosk {

// The tiers and their codes are the contract's (crm_contract/tiers.h).
using MemberTier = crm_contract::Tier;
using crm_contract::tier_code;
using crm_contract::tier_from_code;

// From the CRM's sign-in answer (docs/crm-api.md); absent after an offline sign-in.
struct MemberStatement {
    struct Entry {
        int64_t delta = 0;
        std::string kind;  // earned, redeemed, gifted, received
        std::string note;
        int64_t at_ms = 0;
    };
    struct Month {
        std::string month;  // YYYY-MM
        int64_t points = 0;
    };
    struct VoidVoucher {
        std::string voucher, reward, reason;
        int64_t points = 0;
    };
    int64_t year_spend_yuan = 0;
    std::optional<MemberTier> next_tier;
    int64_t spend_yuan_to_next_tier = -1;  // -1: the CRM did not say
    int64_t expiring_points = 0;
    std::string expiring_on;               // YYYY-MM-DD
    std::vector<Entry> history;            // newest first
    std::vector<Month> earned_by_month;    // oldest first, up to 12
    std::vector<VoidVoucher> void_vouchers;
};

struct SignedInMember {
    std::string card;              // full card number: only for this session's CRM requests, never shown or logged
    std::string card_last4;        // shown as •••• 1234
    std::string masked_name;       // 张*明 — the clear name is never kept
    MemberTier tier = MemberTier::basic;
    int64_t balance = 0;
    int64_t balance_as_of_wall_ms = 0;  // when the CRM said so (offline: the cached copy's age)
    bool offline = false;          // signed in against the member cache, the CRM unreachable
    bool birthday_today = false;
    std::optional<MemberStatement> statement;
};

}  // namespace kiosk
