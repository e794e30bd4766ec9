#include "points_rules.h"

#include <algorithm>

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

const char* tier_name(Tier tier) {
    switch (tier) {
        case Tier::vip: return "vip";
        case Tier::key: return "key";
        case Tier::regular: return "regular";
        case Tier::basic: return "basic";
    }
    return "basic";
}

Tier tier_for_rank(int64_t rank, int64_t members) {
    if (members <= 0 || rank < 0) return Tier::basic;
    // Top shares, rounded up so a small hospital still has a VIP.
    auto top = [members](int64_t percent) { return (members * percent + 99) / 100; };
    if (rank < top(1)) return Tier::vip;
    if (rank < top(5)) return Tier::key;
    if (rank < top(20)) return Tier::regular;
    return Tier::basic;
}

}  // namespace crm
