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
//   Tier, tier_name(tier), tier_for_rank, members_at_or_above   from crm_contract/tiers.h
//   LedgerMove, points_expiring(moves_oldest_first, year)      points that lapse on 31 December of `year`
#pragma once

#include <cstdint>
#include <vector>

#include "crm_contract/tiers.h"

namespace crm {

int64_t points_for_purchase(int64_t year_spend_before_fen, int64_t amount_fen);

// The tiers and their rank shares are the contract's (crm_contract/tiers.h), shared with the kiosk.
using crm_contract::members_at_or_above;
using crm_contract::Tier;
using crm_contract::tier_for_rank;
inline const char* tier_name(Tier tier) { return crm_contract::tier_code(tier); }

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
