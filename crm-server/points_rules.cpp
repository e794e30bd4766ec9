#include "points_rules.h"

#include <algorithm>
#include <deque>

namespace crm {

namespace {
constexpr int64_t kBracket5 = 10'000'00;  // fen
constexpr int64_t kBracket7 = 30'000'00;

// How much of [from, to) lies inside [low, high).
int64_t overlap(int64_t from, int64_t to, int64_t low, int64_t high) {
    return std::max<int64_t>(0, std::min(to, high) - std::max(from, low));
}
}  // namespace

int64_t points_for_purchase(int64_t before, int64_t amount) {
    if (amount <= 0) return 0;
    int64_t after = before + amount;
    // In hundredths of a point: amount (1 point a yuan) + 5 % and 7 % of the bracket parts.
    int64_t hundredths = amount * 100 + overlap(before, after, kBracket5, kBracket7) * 5 +
                         overlap(before, after, kBracket7, INT64_MAX) * 7;
    return hundredths / 100 / 100;  // fen → yuan, hundredths → points; rounded down once
}

int64_t points_expiring(const std::vector<LedgerMove>& moves, int year) {
    // FIFO lots: each credit is a lot; each debit takes from the oldest lots first.
    std::deque<LedgerMove> lots;
    for (const LedgerMove& m : moves) {
        if (m.delta > 0) {
            lots.push_back(m);
            continue;
        }
        int64_t owed = -m.delta;
        while (owed > 0 && !lots.empty()) {
            int64_t take = std::min(owed, lots.front().delta);
            lots.front().delta -= take;
            owed -= take;
            if (lots.front().delta == 0) lots.pop_front();
        }
    }
    int64_t expiring = 0;
    for (const LedgerMove& lot : lots)
        if (lot.year < year) expiring += lot.delta;
    return expiring;
}

}  // namespace crm
