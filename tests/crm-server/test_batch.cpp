// POST /api/v1/outbox/batch: each record answered on its own — accepted,
// duplicate (already stored: success) or rejected with a reason — and a request
// the CRM cannot read is refused whole with the documented error, storing nothing.
#include "crm_fixture.h"

TEST_CASE("The same key twice is stored once — the same key with another payload is a conflict", "[crm][batch]") {
    CrmFixture f;
    json first = f.batch({record("key-1", "feedback", {{"face", 1}})});
    CHECK(first[0] == json{{"key", "key-1"}, {"status", "accepted"}});

    json again = f.batch({record("key-1", "feedback", {{"face", 1}})});
    CHECK(again[0]["status"] == "duplicate");  // the reply was lost, the kiosk sent it again: success

    json changed = f.batch({record("key-1", "feedback", {{"face", 3}})});
    CHECK(changed[0]["status"] == "rejected");
    CHECK(changed[0]["reason"] == "idempotency_conflict");
    json retyped = f.batch({record("key-1", "survey_answer", {{"face", 1}})});
    CHECK(retyped[0]["reason"] == "idempotency_conflict");

    // From another kiosk, too: keys are global.
    json elsewhere = f.batch({record("key-1", "feedback", {{"face", 1}})}, {"lobby-2", "other"});
    CHECK(elsewhere[0]["status"] == "duplicate");
    CHECK(f.server->count_records() == 1);
    auto listed = json::parse(f.staff("GET", "/api/v1/admin/feedback")->body);
    CHECK(listed["items"].size() == 1);
    CHECK(listed["items"][0]["payload"]["face"] == 1);
}

TEST_CASE("A rejected record does not affect the others in its batch", "[crm][batch]") {
    CrmFixture f;
    const std::string card = "6200000000000040";
    json signed_in = f.sign_in(card);
    int64_t balance = signed_in["balance"];
    REQUIRE(balance >= 300);
    json results = f.batch({
        record("a", "complaint_satisfaction", {{"face", 2}}),
        record("b", "teleport", {{"to", "mars"}}),                                      // unknown type
        record("c", "redemption", priced_redemption(card, "registration-discount")),   // queued without a grant
        {{"key", "d"}, {"type", "complaint_satisfaction"}, {"payload", "{not json"}, {"created_at_ms", 1}},
        record("", "complaint_satisfaction", {{"face", 1}}),                           // no key
        record("e", "complaint", {{"text", "no ticket"}}),
        record("f", "redemption", priced_redemption(card, "registration-discount", cited_grant(signed_in))),
        record("g", "complaint", {{"ticket", "K-lobby-1-000001"}, {"text", "候诊太久"}}),
    });
    REQUIRE(results.size() == 8);
    auto status = [&](size_t i) { return results[i]["status"].get<std::string>(); };
    auto reason = [&](size_t i) { return results[i].value("reason", ""); };
    CHECK(status(0) == "accepted");
    CHECK(reason(1) == "unknown_type");
    CHECK(reason(2) == "no_offline_grant");
    CHECK(reason(3) == "payload_not_json");
    CHECK(reason(4) == "invalid_key");
    CHECK(reason(5) == "missing_ticket");
    CHECK(status(6) == "accepted");
    CHECK(status(7) == "accepted");
    CHECK(f.server->count_records() == 3);
    CHECK(f.sign_in(card)["balance"] == balance - 300);  // only the good redemption moved points

    // A rejected key is not taken: the record may come back corrected.
    CHECK(f.batch({record("e", "complaint", {{"ticket", "K-lobby-1-000002"}, {"text", "x"}})})[0]["status"] ==
          "accepted");
}

TEST_CASE("A batch the CRM cannot read is refused whole with the documented code and stores nothing", "[crm][batch]") {
    CrmFixture f;
    struct Case {
        const char* name;
        std::string body;
        int status;
        const char* code;
    };
    const std::string good = R"({"key":"k","type":"feedback","payload":"{}","created_at_ms":1})";
    const Case cases[] = {
        {"malformed JSON", R"({"records": [)", 400, "malformed_json"},
        {"not an object", R"([1, 2])", 400, "invalid_field"},
        {"no records", R"({"recs": []})", 400, "invalid_field"},
        {"records not a list", R"({"records": {}})", 400, "invalid_field"},
        {"a key that is a number", R"({"records":[{"key":7,"type":"feedback","payload":"{}","created_at_ms":1}]})", 400,
         "invalid_field"},
        {"a payload that is an object, not JSON text",
         R"({"records":[{"key":"k","type":"feedback","payload":{},"created_at_ms":1}]})", 400, "invalid_field"},
        {"created_at_ms as text", R"({"records":[{"key":"k","type":"feedback","payload":"{}","created_at_ms":"1"}]})",
         400, "invalid_field"},
        {"one good record and one bad shape", "{\"records\":[" + good + ",{\"key\":\"k2\"}]}", 400, "invalid_field"},
        {"invalid UTF-8", "{\"records\":[{\"key\":\"\xC3\x28\"}]}", 400, "invalid_utf8"},
        {"invalid UTF-8 inside a payload string", "{\"records\":[{\"key\":\"k\",\"type\":\"feedback\",\"payload\":\"{\\\"t\\\":\\\"\xFF\\\"}\",\"created_at_ms\":1}]}", 400, "invalid_utf8"},
        {"oversized body", std::string(5 * 1024 * 1024, ' '), 413, "payload_too_large"},
    };
    for (const Case& c : cases) {
        INFO(c.name);
        auto res = f.kiosk("POST", "/api/v1/outbox/batch", c.body);
        REQUIRE(res);
        CHECK(res->status == c.status);
        CHECK(error_code(res) == c.code);
        CHECK_FALSE(json::parse(res->body)["error"].value("message", "").empty());
    }
    json too_many = json::array();
    for (int i = 0; i < 501; ++i) {
        // std::string(…).append, not "k" + …: GCC 12 warns falsely (-Wrestrict) on the operator+ form.
        std::string key = std::string("k").append(std::to_string(i));
        too_many.push_back(record(key, "feedback", {{"n", i}}));
    }
    auto res = f.kiosk("POST", "/api/v1/outbox/batch", json{{"records", too_many}}.dump());
    CHECK(res->status == 413);
    CHECK(error_code(res) == "batch_too_large");
    CHECK(f.server->count_records() == 0);
}

TEST_CASE("Every record type of the contract is accepted", "[crm][batch]") {
    CrmFixture f;
    std::string slot = json::parse(f.kiosk("GET", "/api/v1/slots?department=dental&day=" + day_after(f.clock, 1))->body)
                           ["items"][0]["slot"];
    std::string other = json::parse(f.kiosk("GET", "/api/v1/slots?department=dental&day=" + day_after(f.clock, 2))->body)
                            ["items"][0]["slot"];
    json grant = cited_grant(f.sign_in("6200000000000005"));
    // Anonymous answers travel in batches of their own.
    json results = f.batch({
        record("t1", "feedback", {{"face", 3}, {"topics", {"waiting"}}}),
        record("t2", "survey_answer", {{"survey", "visit"}, {"version", 1}, {"answers", {{"doctor", 4}}}}),
    });
    for (const json& r : f.batch({
        record("t3", "complaint", {{"ticket", "K-lobby-1-000003"}, {"text", "x"}, {"contact_phone", "13800001234"}}),
        record("t4", "complaint_satisfaction", {{"ticket", "K-lobby-1-000003"}, {"satisfied", true}}),
        record("t5", "booking", {{"code", "B-1"}, {"slot", slot}, {"person", "card:6200000000000005"}}),
        record("t6", "booking_move", {{"code", "B-1"}, {"slot", other}, {"person", "card:6200000000000005"}}),
        record("t7", "booking_cancel", {{"code", "B-1"}, {"person", "card:6200000000000005"}}),
        record("t8", "redemption", priced_redemption("6200000000000005", "registration-discount", grant)),
        record("t9", "points_gift", {{"from_card", "6200000000000005"}, {"to_card", "6200000000000006"}, {"points", 5},
                                     {"grant", grant}}),
         }))
        results.push_back(r);
    for (const json& r : results) {
        INFO(r.dump());
        CHECK(r["status"] == "accepted");
    }
    CHECK(f.server->count_records() == 9);
}

TEST_CASE("A survey answer names a published survey version", "[crm][batch][surveys]") {
    CrmFixture f;
    json results = f.batch({
        record("s1", "survey_answer", {{"survey", "visit"}, {"version", 1}, {"answers", {{"waiting", 2}}}}),
        record("s2", "survey_answer", {{"survey", "visit"}, {"version", 9}, {"answers", {{"waiting", 2}}}}),
        record("s3", "survey_answer", {{"survey", "visit"}, {"version", "1"}, {"answers", {}}}),
        record("s4", "survey_answer", {{"survey", "visit"}, {"version", 1}, {"answers", "good"}}),
    });
    CHECK(results[0]["status"] == "accepted");
    CHECK(results[1]["reason"] == "unknown_survey_version");
    CHECK(results[2]["reason"] == "unknown_survey_version");
    CHECK(results[3]["reason"] == "invalid_answers");
    auto listed = json::parse(f.staff("GET", "/api/v1/admin/surveys")->body)["items"];
    REQUIRE(listed.size() == 1);
    CHECK(listed[0]["payload"]["version"] == 1);
}
