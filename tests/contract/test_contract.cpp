// crm_contract: the one implementation of the kiosk ⇄ CRM contract. These are
// its rules as data; the end-to-end behaviour is tested against the real CRM
// in tests/crm-server/ and tests/sync/.
#include <catch2/catch.hpp>

#include "crm_contract/batch.h"
#include "crm_contract/bounded_json.h"
#include "crm_contract/masking.h"
#include "crm_contract/record_pages.h"
#include "crm_contract/records.h"
#include "crm_contract/signing.h"
#include "crm_contract/tiers.h"

using namespace crm_contract;

TEST_CASE("Nesting depth is counted without parsing, brackets inside strings do not count", "[contract][json]") {
    CHECK(nesting_depth("{}", 8) == 1);
    CHECK(nesting_depth(R"({"a":[1,{"b":[]}]})", 8) == 4);
    CHECK(nesting_depth(R"({"a":"[[[[[[[[[[[[\"[[["})", 8) == 1);
    CHECK(nesting_depth("", 8) == 0);
    // A 1,000,000-deep text stops the scan just past the limit: nothing recurses.
    std::string hostile(1'000'000, '[');
    CHECK(nesting_depth(hostile, 8) == 9);
    JsonProblem why;
    JsonBounds bounds;
    bounds.max_bytes = hostile.size();
    CHECK_FALSE(parse_bounded(hostile, bounds, &why));
    CHECK(why == JsonProblem::too_deep);
}

TEST_CASE("parse_bounded names what is out of bounds", "[contract][json]") {
    JsonBounds b;
    b.max_bytes = 100;
    b.max_depth = 2;
    b.max_text_bytes = 5;
    b.max_items = 3;
    struct Case {
        const char* text;
        JsonProblem problem;
    };
    const Case cases[] = {
        {R"({"a":[1,2]})", JsonProblem::none},
        {R"({"a":[[1]]})", JsonProblem::too_deep},
        {R"({"a":"123456"})", JsonProblem::text_too_long},
        {R"({"123456":1})", JsonProblem::text_too_long},
        {R"([1,2,3,4])", JsonProblem::too_many_items},
        {R"({"a":9007199254740993})", JsonProblem::number_out_of_range},
        {R"({"a":-9007199254740993})", JsonProblem::number_out_of_range},
        {R"({"a":18446744073709551615})", JsonProblem::number_out_of_range},
        {R"({"a":1e300})", JsonProblem::number_out_of_range},
        {R"({"a":9007199254740992})", JsonProblem::none},
        {R"({"a":)", JsonProblem::not_json},
        {"\"\xff\"", JsonProblem::not_json},
    };
    for (const Case& c : cases) {
        INFO(c.text);
        JsonProblem why;
        auto doc = parse_bounded(c.text, b, &why);
        CHECK(why == c.problem);
        CHECK(doc.has_value() == (c.problem == JsonProblem::none));
    }
    JsonProblem why;
    CHECK_FALSE(parse_bounded(std::string(101, ' '), b, &why));
    CHECK(why == JsonProblem::too_large);
}

TEST_CASE("Records: types, anonymity, the hour, final reasons", "[contract][records]") {
    CHECK(is_record_type("redemption"));
    CHECK_FALSE(is_record_type("teleport"));
    for (const char* t : {"feedback", "feedback_follow_up", "survey_answer"}) CHECK(is_anonymous_type(t));
    for (const char* t : {"complaint", "booking", "redemption", "points_gift", "complaint_satisfaction"})
        CHECK_FALSE(is_anonymous_type(t));
    CHECK(hour_of(1'795'368'248'095) == 1'795'366'800'000);
    CHECK(hour_of(1'795'366'800'000) == 1'795'366'800'000);
    CHECK(hour_of(-1) == -3'600'000);
    CHECK(is_final_rejection("insufficient_points"));
    CHECK(is_final_rejection("payload_too_deep"));
    CHECK_FALSE(is_final_rejection("storage_error"));  // a failure, never final
    CHECK_FALSE(is_final_rejection("a_reason_from_a_newer_crm"));
    CHECK_FALSE(is_final_rejection(""));
}

TEST_CASE("check_record applies the documented limits", "[contract][records]") {
    nlohmann::json tree;
    CHECK(check_record("k", "redemption", R"({"card":"6200000000000040","points":5})", 1, &tree) == "");
    CHECK(tree["points"] == 5);
    struct Case {
        std::string key, type, payload;
        int64_t created;
        const char* reason;
    };
    const std::vector<Case> cases = {
        {"", "feedback", "{}", 1, "invalid_key"},
        {std::string(129, 'k'), "feedback", "{}", 1, "invalid_key"},
        {"k", "teleport", "{}", 1, "unknown_type"},
        {"k", "feedback", "{}", -1, "invalid_created_at"},
        {"k", "feedback", "[]", 1, "payload_not_json"},
        {"k", "feedback", "{", 1, "payload_not_json"},
        {"k", "feedback", std::string(64 * 1024 + 1, ' '), 1, "payload_too_large"},
        {"k", "feedback", R"({"a":[[[[[[[[]]]]]]]]})", 1, "payload_too_deep"},
        {"k", "redemption", R"({"points":0})", 1, "invalid_points"},
        {"k", "redemption", R"({"points":"5"})", 1, "invalid_points"},
        {"k", "redemption", R"({"points":1,"cash_fen":100000001})", 1, "invalid_cash"},
        {"k", "redemption", R"({"points":1,"cash_fen":9223372036854775807})", 1, "number_out_of_range"},
        {"k", "feedback", R"({"face":4})", 1, "invalid_face"},
        {"k", "redemption", R"({"card":"123456789012345678901234567890123"})", 1, "text_too_long"},
    };
    for (const Case& c : cases) {
        INFO(c.reason);
        CHECK(check_record(c.key, c.type, c.payload, c.created, &tree) == c.reason);
        CHECK(is_final_rejection(c.reason));
    }
}

TEST_CASE("The batch wire form: what one side writes the other reads", "[contract][batch]") {
    std::vector<WireRecord> sent = {{"k1", "feedback", R"({"face":1})", 1'795'366'800'000},
                                    {"k2", "complaint", R"({"text":"候诊太久"})", 7}};
    std::string why;
    auto read = parse_batch_request(batch_request_json(sent), &why);
    REQUIRE(read);
    REQUIRE(read->size() == 2);
    CHECK((*read)[1].payload == sent[1].payload);
    CHECK((*read)[0].created_at_ms == sent[0].created_at_ms);

    auto results = parse_batch_reply(batch_reply_json({{"k1", "accepted", ""}, {"k2", "rejected", "missing_ticket"}}));
    REQUIRE(results);
    CHECK((*results)[1].reason == "missing_ticket");

    CHECK_FALSE(parse_batch_request(R"({"records":"no"})", &why));
    CHECK(why == "invalid_field");
    CHECK_FALSE(parse_batch_request("{", &why));
    CHECK(why == "malformed_json");
    CHECK_FALSE(parse_batch_request(std::string(kMaxBatchBodyBytes + 1, ' '), &why));
    CHECK(why == "payload_too_large");
    CHECK_FALSE(parse_batch_reply("{\"results\":" + std::string(100'000, '[') + "}"));
    // Entries of the wrong shape are skipped, not fatal.
    auto odd = parse_batch_reply(R"({"results":[1,{"key":2,"status":"accepted"},{"key":"k","status":"duplicate"}]})");
    REQUIRE(odd);
    CHECK(odd->size() == 1);
}

TEST_CASE("Signing, masking and tiers: one implementation for both sides", "[contract]") {
    CHECK(sign_request("demo-secret", "POST", "/api/v1/outbox/batch", 1795000000, "n0nce", R"({"records":[]})") ==
          "8cafec7b009fe5eb94284a528bbce6281b478d6b40b7b5b6e65ac246bf8a8915");
    CHECK(same_secret("abc", "abc"));
    CHECK_FALSE(same_secret("abc", "abd"));
    CHECK_FALSE(same_secret("abc", "abcd"));
    CHECK(mask_name("张伟明") == "张*明");
    CHECK(mask_name("Ana López") == "A** L****");
    CHECK(mask_card("6200123412341234") == "•••• 1234");
    CHECK(mask_phone("13812345678") == "138****5678");
    CHECK(mask_digit_runs("card 6200123412341234 at 12:30, ticket 1234567") == "card ****1234 at 12:30, ticket 1234567");
    CHECK(last4("6200123412341234") == "1234");
    CHECK(tier_for_rank(0, 100) == Tier::vip);
    CHECK(tier_for_rank(1, 100) == Tier::key);
    CHECK(tier_for_rank(5, 100) == Tier::regular);
    CHECK(tier_for_rank(20, 100) == Tier::basic);
    CHECK(tier_for_rank(0, 3) == Tier::vip);  // shares round up: a small hospital has a VIP
    CHECK(tier_from_code(tier_code(Tier::key)) == Tier::key);
    CHECK_FALSE(tier_from_code("gold"));
    CHECK(tier_above(Tier::basic) == Tier::regular);
    CHECK_FALSE(tier_above(Tier::vip));
}

TEST_CASE("Record pages: the URL a QR code holds carries the record's id and its guard, nothing else", "[contract][record_pages]") {
    struct Case {
        RecordPageKind kind;
        const char* base;
        const char* id;
        const char* guard;
        const char* lang;
        const char* url;  // "" = refused
    };
    const Case cases[] = {
        {RecordPageKind::complaint, "https://crm.example.cn", "K-7KQ4-M2XD", "0123456789ABCDEF", "en",
         "https://crm.example.cn/r/c/K-7KQ4-M2XD?g=0123456789ABCDEF&l=en"},
        {RecordPageKind::booking, "http://127.0.0.1:8787/", "B-7KQ4-M2XD", "ZYXWVTSRQPNMKJHG", "zh-Hans",
         "http://127.0.0.1:8787/r/b/B-7KQ4-M2XD?g=ZYXWVTSRQPNMKJHG&l=zh-Hans"},
        {RecordPageKind::voucher, "https://crm", "V-1A2B3C4D", "0000000000000000", "xx",
         "https://crm/r/v/V-1A2B3C4D?g=0000000000000000"},  // an unknown language is left out
        {RecordPageKind::complaint, "https://crm", "K-7KQ4-M2XD", "0123456789abcdef", "en", ""},  // lower case: not a guard
        {RecordPageKind::complaint, "https://crm", "K-7KQ4-M2XD", "0123456789ABCDEI", "en", ""},  // I is not Crockford
        {RecordPageKind::complaint, "https://crm", "K-7KQ4-M2XD", "0123456789ABCDE", "en", ""},   // 15 symbols
        {RecordPageKind::complaint, "https://crm", "K-7KQ4 M2XD", "0123456789ABCDEF", "en", ""},  // a space in the id
        {RecordPageKind::complaint, "https://crm", "K?g=x", "0123456789ABCDEF", "en", ""},        // no smuggled query
        {RecordPageKind::complaint, "", "K-7KQ4-M2XD", "0123456789ABCDEF", "en", ""},             // no base
    };
    for (const Case& c : cases) {
        INFO(c.id << " " << c.guard);
        CHECK(record_page_url(c.base, c.kind, c.id, c.guard, c.lang) == c.url);
    }
    CHECK(page_kind_from_letter("c") == RecordPageKind::complaint);
    CHECK(page_kind_from_letter("v") == RecordPageKind::voucher);
    CHECK_FALSE(page_kind_from_letter("x"));
    CHECK(page_kind_of("points_gift") == RecordPageKind::voucher);
    CHECK_FALSE(page_kind_of("feedback"));  // anonymous answers get no page: nothing to keep, nothing to link
    CHECK(std::string(page_id_field("booking")) == "code");
    CHECK(is_final_rejection("invalid_page_guard"));
}
