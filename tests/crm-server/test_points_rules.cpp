// The points rules and the customer pyramid, as the hospital's plan states them.
#include <catch2/catch.hpp>

#include "points_rules.h"

using crm::points_for_purchase;
using crm::Tier;
using crm::tier_for_rank;

constexpr int64_t yuan(int64_t y) { return y * 100; }

TEST_CASE("One point a yuan below 10,000 in the year", "[points]") {
    CHECK(points_for_purchase(0, yuan(350)) == 350);
    CHECK(points_for_purchase(yuan(9'000), yuan(1'000)) == 1'000);
    CHECK(points_for_purchase(0, 99) == 0);   // 0.99 yuan: rounded down
    CHECK(points_for_purchase(0, 0) == 0);
    CHECK(points_for_purchase(0, -500) == 0);
}

TEST_CASE("5 % extra on the part of the year's spend between 10,000 and 30,000", "[points]") {
    CHECK(points_for_purchase(yuan(10'000), yuan(1'000)) == 1'050);
    // Straddling 10,000: only the 400 above it earns the bonus (400 × 5 % = 20).
    CHECK(points_for_purchase(yuan(9'400), yuan(1'000)) == 1'020);
}

TEST_CASE("7 % extra on the part above 30,000", "[points]") {
    CHECK(points_for_purchase(yuan(30'000), yuan(1'000)) == 1'070);
    // Straddling 30,000: 500 at 5 %, 500 at 7 %: 1000 + 25 + 35.
    CHECK(points_for_purchase(yuan(29'500), yuan(1'000)) == 1'060);
    // One purchase across both thresholds: 40,000 from zero.
    // 40,000 + 20,000 × 5 % + 10,000 × 7 % = 40,000 + 1,000 + 700.
    CHECK(points_for_purchase(0, yuan(40'000)) == 41'700);
}

TEST_CASE("Points are whole numbers, rounded down per transaction", "[points]") {
    // 10,000.50 → 10,000.50 + 0.025 bonus = 10,000.525 → 10,000
    CHECK(points_for_purchase(0, yuan(10'000) + 50) == 10'000);
    // 21 yuan at 5 %: 22.05 → 22
    CHECK(points_for_purchase(yuan(20'000), yuan(21)) == 22);
}

TEST_CASE("The customer pyramid: top 1 % VIP, next 4 % key, next 15 % regular, the rest basic", "[tiers]") {
    CHECK(tier_for_rank(0, 1000) == Tier::vip);
    CHECK(tier_for_rank(9, 1000) == Tier::vip);
    CHECK(tier_for_rank(10, 1000) == Tier::key);
    CHECK(tier_for_rank(49, 1000) == Tier::key);
    CHECK(tier_for_rank(50, 1000) == Tier::regular);
    CHECK(tier_for_rank(199, 1000) == Tier::regular);
    CHECK(tier_for_rank(200, 1000) == Tier::basic);
    CHECK(tier_for_rank(999, 1000) == Tier::basic);
    // A small hospital still has a VIP.
    CHECK(tier_for_rank(0, 12) == Tier::vip);
    CHECK(tier_for_rank(1, 12) == Tier::regular);
    CHECK(std::string(crm::tier_name(Tier::key)) == "key");
}
