// Which promotions a guest sees, and in what order: tiers, languages and the
// validity instants, as plain functions on a manual clock.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "domain/promotion_rules.h"
#include "platform/clock.h"

using namespace kiosk;
using nlohmann::json;

namespace {

constexpr int64_t kT0 = 1'795'000'000'000;  // a fixed wall-clock instant
constexpr int64_t kDay = 86'400'000;

json offer(const std::string& id, int priority, json tiers = json::array(), int64_t from = kT0 - kDay,
           int64_t until = kT0 + kDay) {
    return {{"id", id},
            {"priority", priority},
            {"tiers", tiers},
            {"valid_from_ms", from},
            {"valid_until_ms", until},
            {"title", {{"zh-Hans", id + " 简"}, {"zh-Hant", id + " 繁"}, {"en", id + " en"}, {"es", id + " es"}}},
            {"body", {{"zh-Hans", "正文"}, {"en", "body"}}}};
}

// A vector, not a json: nlohmann reads a one-element brace list as a copy, not an array.
PromotionSet parse(const std::vector<json>& offers) {
    return parse_promotions(json{{"version", "t"}, {"promotions", json(offers)}}.dump());
}

std::vector<std::string> ids(const std::vector<ShownPromotion>& shown) {
    std::vector<std::string> out;
    for (const auto& s : shown) out.push_back(s.promotion->id);
    return out;
}

}  // namespace

TEST_CASE("A guest who is not signed in sees only offers for everyone, by priority") {
    PromotionSet set = parse({offer("low", 1), offer("vip-only", 50, {"vip"}), offer("high", 9)});
    REQUIRE(set.skipped == 0);
    auto shown = promotions_for(set, {Lang::en, std::nullopt}, kT0);
    CHECK(ids(shown) == std::vector<std::string>{"high", "low"});
    CHECK(shown[0].why == WhyShown::everyone);
}

TEST_CASE("A member sees the offers for their tier first, each saying so") {
    PromotionSet set = parse({offer("everyone-top", 100), offer("vip-key", 1, {"vip", "key"}), offer("basic", 5, {"basic"})});
    auto key = promotions_for(set, {Lang::zh_Hans, MemberTier::key}, kT0);
    CHECK(ids(key) == std::vector<std::string>{"vip-key", "everyone-top"});
    CHECK(key[0].why == WhyShown::your_tier);
    CHECK(key[1].why == WhyShown::everyone);
    auto basic = promotions_for(set, {Lang::zh_Hans, MemberTier::basic}, kT0);
    CHECK(ids(basic) == std::vector<std::string>{"basic", "everyone-top"});
    auto regular = promotions_for(set, {Lang::zh_Hans, MemberTier::regular}, kT0);
    CHECK(ids(regular) == std::vector<std::string>{"everyone-top"});
}

TEST_CASE("An offer is live from its start instant and gone at its end instant") {
    platform::ManualClock clock(0, kT0);
    PromotionSet set = parse({offer("lecture", 1, json::array(), kT0 + 1000, kT0 + 5000)});
    auto visible = [&] { return promotions_for(set, {Lang::en, std::nullopt}, clock.wall_ms()).size() == 1; };
    CHECK_FALSE(visible());
    CHECK(next_change_ms(set, clock.wall_ms()) == kT0 + 1000);
    clock.advance(999);
    CHECK_FALSE(visible());
    clock.advance(1);
    CHECK(visible());
    CHECK(next_change_ms(set, clock.wall_ms()) == kT0 + 5000);
    clock.advance(3999);
    CHECK(visible());
    clock.advance(1);
    CHECK_FALSE(visible());
    CHECK_FALSE(next_change_ms(set, clock.wall_ms()).has_value());
}

TEST_CASE("The next change is the earliest start or end of any offer after now") {
    PromotionSet set = parse({offer("a", 1, json::array(), kT0 - kDay, kT0 + 3 * kDay),
                              offer("b", 1, json::array(), kT0 + 2 * kDay, kT0 + 4 * kDay),
                              offer("c", 1, json::array(), kT0 - 2 * kDay, kT0 + kDay)});
    CHECK(next_change_ms(set, kT0) == kT0 + kDay);
    CHECK(next_change_ms(set, kT0 + kDay) == kT0 + 2 * kDay);
}

TEST_CASE("Text falls back from the guest's language to Simplified Chinese, then English") {
    json es_only = offer("es", 1);
    es_only["title"] = {{"es", "Solo en español"}};
    json en_only = offer("en", 1);
    en_only["title"] = {{"en", "English only"}};
    json zh_en = offer("zh", 1);
    zh_en["title"] = {{"zh-Hans", "中文"}, {"en", "English"}};
    PromotionSet set = parse({es_only, en_only, zh_en});
    REQUIRE(set.promotions.size() == 3);

    const Promotion& zh = set.promotions[2];
    CHECK(text_language(zh, Lang::zh_Hant) == Lang::zh_Hans);
    CHECK(text_language(zh, Lang::es) == Lang::zh_Hans);
    CHECK(text_language(zh, Lang::en) == Lang::en);
    CHECK(text_language(set.promotions[1], Lang::zh_Hant) == Lang::en);
    // Spanish only: no Chinese or English to fall back to, so only Spanish readers see it.
    CHECK(text_language(set.promotions[0], Lang::es) == Lang::es);
    CHECK_FALSE(text_language(set.promotions[0], Lang::en).has_value());
    CHECK(ids(promotions_for(set, {Lang::en, std::nullopt}, kT0)) == std::vector<std::string>{"en", "zh"});
}

TEST_CASE("Offers in the guest's own language come before those shown in a fallback") {
    json fallback = offer("fallback-high", 99);
    fallback["title"] = {{"zh-Hans", "只有中文"}};
    PromotionSet set = parse({fallback, offer("own-low", 1)});
    auto es = promotions_for(set, {Lang::es, std::nullopt}, kT0);
    CHECK(ids(es) == std::vector<std::string>{"own-low", "fallback-high"});
    CHECK(es[0].text_lang == Lang::es);
    CHECK(es[1].text_lang == Lang::zh_Hans);
    // For a Chinese reader both are in their language: priority decides.
    CHECK(ids(promotions_for(set, {Lang::zh_Hans, std::nullopt}, kT0)) ==
          std::vector<std::string>{"fallback-high", "own-low"});
}

TEST_CASE("An offer aimed at some languages is shown only to guests reading one of them") {
    json cantonese = offer("cantonese-club", 1);
    cantonese["languages"] = {"zh-Hant"};
    PromotionSet set = parse({cantonese});
    CHECK(promotions_for(set, {Lang::zh_Hant, std::nullopt}, kT0).size() == 1);
    CHECK(promotions_for(set, {Lang::zh_Hans, std::nullopt}, kT0).empty());
}

TEST_CASE("Equal priority: the offer ending sooner first, then by id") {
    PromotionSet set = parse({offer("b", 5, json::array(), kT0 - kDay, kT0 + 9 * kDay),
                              offer("a", 5, json::array(), kT0 - kDay, kT0 + 9 * kDay),
                              offer("soon", 5, json::array(), kT0 - kDay, kT0 + kDay)});
    CHECK(ids(promotions_for(set, {Lang::en, std::nullopt}, kT0)) == std::vector<std::string>{"soon", "a", "b"});
}

TEST_CASE("A malformed offer is skipped alone and counted") {
    json no_dates = offer("no-dates", 1);
    no_dates.erase("valid_until_ms");
    json backwards = offer("backwards", 1, json::array(), kT0 + kDay, kT0);
    json bad_tiers = offer("bad-tiers", 1, "vip");
    json unknown_tier_only = offer("martians", 1, {"martian"});
    json no_title = offer("no-title", 1);
    no_title["title"] = json::object();
    json long_title = offer("long", 1);
    long_title["title"]["en"] = std::string(kMaxPromotionTitleBytes + 1, 'x');
    json bad_extras = offer("bad-extras", 1);
    bad_extras["image"] = "../../etc/passwd";
    bad_extras["url"] = "javascript:alert(1)";
    PromotionSet set = parse({no_dates, backwards, bad_tiers, unknown_tier_only, no_title, long_title, 42,
                              offer("good", 1), offer("good", 2), bad_extras});
    CHECK(set.error.empty());
    CHECK(set.skipped == 8);
    REQUIRE(set.promotions.size() == 2);
    CHECK(set.promotions[0].id == "good");
    CHECK(set.promotions[0].priority == 1);  // the first of two with one id wins
    // A bad image id or link costs only the picture or the QR code.
    CHECK(set.promotions[1].id == "bad-extras");
    CHECK(set.promotions[1].image.empty());
    CHECK(set.promotions[1].url.empty());
}

TEST_CASE("An unusable promotions body is an error, not a crash") {
    CHECK_FALSE(parse_promotions("not json").error.empty());
    CHECK_FALSE(parse_promotions("[]").error.empty());
    CHECK_FALSE(parse_promotions(R"({"promotions": 3})").error.empty());
    CHECK(parse_promotions(R"({"promotions": []})").promotions.empty());
}

TEST_CASE("Image ids and links that are well formed are kept") {
    json o = offer("with-image", 1);
    o["image"] = "checkup-card_2";
    o["url"] = "https://hospital.example/offers/checkup?lang=en";
    PromotionSet set = parse({o});
    REQUIRE(set.promotions.size() == 1);
    CHECK(set.promotions[0].image == "checkup-card_2");
    CHECK(set.promotions[0].url == "https://hospital.example/offers/checkup?lang=en");
}
