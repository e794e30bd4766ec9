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
//   SignedInMember                card (for the CRM requests of this session only), masked name, tier, balance
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kiosk {

enum class MemberTier { vip, key, regular, basic };

inline std::optional<MemberTier> tier_from_code(std::string_view code) {
    if (code == "vip") return MemberTier::vip;
    if (code == "key") return MemberTier::key;
    if (code == "regular") return MemberTier::regular;
    if (code == "basic") return MemberTier::basic;
    return std::nullopt;
}

inline const char* tier_code(MemberTier tier) {
    switch (tier) {
        case MemberTier::vip: return "vip";
        case MemberTier::key: return "key";
        case MemberTier::regular: return "regular";
        case MemberTier::basic: return "basic";
    }
    return "basic";
}

struct SignedInMember {
    std::string card;              // full card number: only for this session's CRM requests, never shown or logged
    std::string card_last4;        // shown as •••• 1234
    std::string masked_name;       // 张*明 — the clear name is never kept
    MemberTier tier = MemberTier::basic;
    int64_t balance = 0;
    int64_t balance_as_of_wall_ms = 0;  // when the CRM said so (offline: the cached copy's age)
    bool offline = false;          // signed in against the member cache, the CRM unreachable
    bool birthday_today = false;
};

}  // namespace kiosk
