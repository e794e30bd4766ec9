// crm-server/points_rules.h — the hospital's frequency-marketing rules, as plain functions.
//
// From the domain notes: 1 yuan spent = 1 point; the part of a member's
// calendar-year spend between 10,000 and 30,000 yuan earns 5 % extra, the part
// above 30,000 earns 7 % extra (marginal brackets); points are whole numbers,
// rounded down per transaction. Tiers follow the customer pyramid, by spend
// rank: VIP the top 1 %, key the next 4 %, regular the next 15 %, basic the rest.
// Money is in fen (1/100 yuan) so no rounding happens before the last step.
//
// Index
//   points_for_purchase(year_spend_before_fen, amount_fen)   points one purchase earns
//   Tier, tier_name(tier)                                     vip, key, regular, basic
//   tier_for_rank(rank, members)                              rank 0 = the biggest spender
//   members_at_or_above(tier, members)                        how many ranks a tier and those above it hold
//   LedgerMove, points_expiring(moves_oldest_first, year)      points that lapse on 31 December of `year`
#pragma once

#include <cstdint>
#include <vector>

namespace crm {

int64_t points_for_purchase(int64_t year_spend_before_fen, int64_t amount_fen);

enum class Tier { vip, key, regular, basic };
const char* tier_name(Tier tier);
Tier tier_for_rank(int64_t rank, int64_t members);
// Ranks 0 … n-1 are in `tier` or above; a member reaches `tier` by spending as
// much as the member at rank n-1 does now.
int64_t members_at_or_above(Tier tier, int64_t members);

// Expiry (docs/crm-api.md, "Points expire"): points earned or received in a
// calendar year are good until 31 December of the next year. Spending uses the
// oldest points first, so what lapses this year is what is left of the points
// from earlier years once everything spent since has been taken from them.
struct LedgerMove {
    int year;       // calendar year of the ledger entry
    int64_t delta;  // + earned / received, - redeemed / gifted
};
int64_t points_expiring(const std::vector<LedgerMove>& moves_oldest_first, int year);

}  // namespace crm
