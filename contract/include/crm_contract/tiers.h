// crm_contract/tiers.h — the member tiers of the customer pyramid, as both
// sides name and rank them (docs/crm-api.md, "Members").
//
// Tiers follow the year's spend rank: VIP the top 1 %, key the next 4 %,
// regular the next 15 %, basic the rest. Shares are rounded up, so a small
// hospital still has a VIP. The CRM ranks; the kiosk reads the code.
//
// Index
//   Tier                                   vip, key, regular, basic (best first)
//   tier_code(tier) / tier_from_code(text) "vip" ↔ Tier::vip …; nullopt for an unknown code
//   tier_above(tier)                       the next tier up; nullopt for VIP
//   members_at_or_above(tier, members)     how many ranks a tier and those above it hold
//   tier_for_rank(rank, members)           rank 0 = the biggest spender
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace crm_contract {

enum class Tier { vip, key, regular, basic };

const char* tier_code(Tier tier);
std::optional<Tier> tier_from_code(std::string_view code);
std::optional<Tier> tier_above(Tier tier);
// Ranks 0 … n-1 are in `tier` or above; a member reaches `tier` by spending as
// much as the member at rank n-1 does now.
int64_t members_at_or_above(Tier tier, int64_t members);
Tier tier_for_rank(int64_t rank, int64_t members);

}  // namespace crm_contract
