#include "crm_contract/tiers.h"

namespace crm_contract {

const char* tier_code(Tier tier) {
    switch (tier) {
        case Tier::vip: return "vip";
        case Tier::key: return "key";
        case Tier::regular: return "regular";
        case Tier::basic: return "basic";
    }
    return "basic";
}

std::optional<Tier> tier_from_code(std::string_view code) {
    if (code == "vip") return Tier::vip;
    if (code == "key") return Tier::key;
    if (code == "regular") return Tier::regular;
    if (code == "basic") return Tier::basic;
    return std::nullopt;
}

std::optional<Tier> tier_above(Tier tier) {
    switch (tier) {
        case Tier::basic: return Tier::regular;
        case Tier::regular: return Tier::key;
        case Tier::key: return Tier::vip;
        case Tier::vip: return std::nullopt;
    }
    return std::nullopt;
}

int64_t members_at_or_above(Tier tier, int64_t members) {
    if (members <= 0) return 0;
    auto top = [members](int64_t percent) { return (members * percent + 99) / 100; };
    switch (tier) {
        case Tier::vip: return top(1);
        case Tier::key: return top(5);
        case Tier::regular: return top(20);
        case Tier::basic: return members;
    }
    return members;
}

Tier tier_for_rank(int64_t rank, int64_t members) {
    if (members <= 0 || rank < 0) return Tier::basic;
    for (Tier t : {Tier::vip, Tier::key, Tier::regular})
        if (rank < members_at_or_above(t, members)) return t;
    return Tier::basic;
}

}  // namespace crm_contract
