// Bounded intake at the CRM (issue 13): every input from a kiosk — or from the
// CRM's own database — is held to the contract's bounds (crm_contract/records.h)
// before a JSON tree is built; a storage failure is 503, never a final refusal;
// an identical resend of a batch is answered duplicate, never "replayed".
#include <sqlite3.h>

#include "crm_contract/records.h"
#include "crm_fixture.h"

namespace {

std::string nested(int depth) { return std::string(size_t(depth), '[') + std::string(size_t(depth), ']'); }

// A raw record whose payload text is given as is (not built from a json value).
json raw_record(const std::string& key, const std::string& type, const std::string& payload_text) {
    return {{"key", key}, {"type", type}, {"payload", payload_text}, {"created_at_ms", 1}};
}

void exec_sql(const std::string& db_path, const std::string& sql) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(db_path.c_str(), &db) == SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    char* error = nullptr;
    int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
    INFO((error ? error : ""));
    sqlite3_free(error);
    sqlite3_close(db);
    REQUIRE(rc == SQLITE_OK);
}

}  // namespace

TEST_CASE("A feedback payload nested 100,000 deep is refused, and staff lists keep working", "[crm][trust][bounds]") {
    CrmFixture f;
    // 100,000 levels are 200 KB: over the size limit already; 30,000 fit in 64 KiB.
    json results = f.batch({raw_record("deep-1", "feedback", "{\"face\":1,\"x\":" + nested(100'000) + "}"),
                            raw_record("deep-0", "feedback", "{\"face\":1,\"x\":" + nested(30'000) + "}")});
    CHECK(results[0]["status"] == "rejected");
    CHECK(results[0]["reason"] == "payload_too_large");
    CHECK(results[1]["status"] == "rejected");
    CHECK(results[1]["reason"] == "payload_too_deep");
    CHECK(f.server->count_records() == 0);
    auto list = f.staff("GET", "/api/v1/admin/feedback");
    REQUIRE(list);
    CHECK(list->status == 200);
    // Nine levels is one too many; eight is fine.
    CHECK(f.batch({raw_record("deep-2", "feedback", "{\"x\":" + nested(8) + "}")})[0]["reason"] == "payload_too_deep");
    CHECK(f.batch({raw_record("deep-3", "feedback", "{\"x\":" + nested(7) + "}")})[0]["status"] == "accepted");
}

TEST_CASE("A hostile payload already in the database is listed as unreadable, never parsed whole", "[crm][trust][bounds]") {
    CrmFixture f;
    // As a CRM before the bounds stored it (or someone with the database wrote it).
    exec_sql(f.options.db_path,
             "INSERT INTO records (key, kiosk_id, type, payload, payload_sha, created_ms, received_ms) VALUES "
             "('old-deep', 'lobby-1', 'complaint_satisfaction', '" + nested(100'000) + "', 'x', 1, 1)");
    exec_sql(f.options.db_path,
             "INSERT INTO anonymous_records (id, key, kiosk_id, type, payload, payload_sha, hour_ms, received_hour_ms) "
             "VALUES ('a1', 'old-deep-fb', 'lobby-1', 'feedback', '" + nested(100'000) + "', 'x', 0, 0)");
    for (int restart = 0; restart < 2; ++restart) {
        for (const char* path : {"/api/v1/admin/complaints", "/api/v1/admin/feedback"}) {
            INFO(path);
            auto list = f.staff("GET", path);
            REQUIRE(list);
            REQUIRE(list->status == 200);
            json items = json::parse(list->body)["items"];
            REQUIRE(items.size() == 1);
            CHECK(items[0]["payload"].is_null());
            CHECK(items[0]["payload_unreadable"] == true);
        }
        f.start();  // and after a restart
    }
}

TEST_CASE("Every number, text and payload of a record is bounded at the CRM", "[crm][trust][bounds]") {
    CrmFixture f;
    const std::string card = "6200000000000040";
    int64_t balance = f.sign_in(card)["balance"];
    struct Case {
        const char* what;
        json record;
        const char* reason;
    };
    const std::vector<Case> cases = {
        {"cash_fen = 2^63-1", record("n1", "redemption", {{"card", card}, {"points", 1}, {"mode", "points_cash"},
                                                          {"cash_fen", INT64_MAX}}), "number_out_of_range"},
        {"cash_fen over 1,000,000 yuan", record("n2", "redemption", {{"card", card}, {"points", 1}, {"mode", "points_cash"},
                                                                     {"cash_fen", 100'000'001}}), "invalid_cash"},
        {"points = 2^63-1", record("n3", "redemption", {{"card", card}, {"points", INT64_MAX}}), "number_out_of_range"},
        {"points over 10,000,000", record("n6", "redemption", {{"card", card}, {"points", 10'000'001}}), "invalid_points"},
        {"any number beyond 2^53", record("n4", "complaint", {{"ticket", "K-1"}, {"n", int64_t(1) << 60}}),
         "number_out_of_range"},
        {"a huge decimal", record("n5", "complaint", {{"ticket", "K-1"}, {"n", 1e300}}), "number_out_of_range"},
        {"a card of 33 characters", record("t1", "redemption", {{"card", std::string(33, '6')}, {"points", 1}}),
         "text_too_long"},
        {"a text over 4 KiB", record("t2", "complaint", {{"ticket", "K-2"}, {"text", std::string(4097, 'x')}}),
         "text_too_long"},
        {"a list of 257 items", record("t3", "complaint", {{"ticket", "K-3"}, {"list", json(std::vector<int>(257, 1))}}),
         "too_many_items"},
        {"a payload over 64 KiB", raw_record("t4", "complaint", "{\"a\":\"" + std::string(64 * 1024, 'x') + "\"}"),
         "payload_too_large"},
        {"a key of 129 characters", record(std::string(129, 'k'), "complaint", {{"ticket", "K-4"}}), "invalid_key"},
        {"a creation time in the year 3000", record("t5", "complaint", {{"ticket", "K-5"}}, 32'503'680'000'000),
         "invalid_created_at"},
        {"a face outside 0-3", record("t6", "complaint_satisfaction", {{"face", 9}}), "invalid_face"},
    };
    for (const Case& c : cases) {
        INFO(c.what);
        json results = f.batch({c.record});
        CHECK(results[0]["status"] == "rejected");
        CHECK(results[0]["reason"] == c.reason);
        CHECK(crm_contract::is_final_rejection(c.reason));
    }
    CHECK(f.server->count_records() == 0);
    CHECK(f.sign_in(card)["balance"] == balance);
}

TEST_CASE("Request bodies are bounded: a batch at 1 MiB, a heartbeat at 4 KiB with each field bounded", "[crm][trust][bounds]") {
    CrmFixture f;
    SECTION("a batch body over 1 MiB is 413, nothing stored") {
        std::vector<json> records;
        for (int i = 0; i < 20; ++i)
            records.push_back(record("big-" + std::to_string(i), "complaint", {{"text", std::string(60'000, 'x')}}));
        auto res = f.kiosk("POST", "/api/v1/outbox/batch", json{{"records", records}}.dump());
        REQUIRE(res);
        CHECK(res->status == 413);
        CHECK(error_code(res) == "payload_too_large");
        CHECK(f.server->count_records() == 0);
    }
    SECTION("a batch body nested 100,000 deep is refused before it is parsed") {
        auto res = f.kiosk("POST", "/api/v1/outbox/batch", "{\"records\":" + nested(100'000) + "}");
        REQUIRE(res);
        CHECK(res->status == 400);
    }
    SECTION("a 1 MB heartbeat is 413") {
        auto res = f.kiosk("POST", "/api/v1/heartbeat", json{{"version", std::string(1'000'000, 'v')}}.dump());
        REQUIRE(res);
        CHECK(res->status == 413);
        CHECK(error_code(res) == "payload_too_large");
    }
    SECTION("each heartbeat field is bounded") {
        for (const json& beat : {json{{"last_error", std::string(513, 'e')}}, json{{"version", std::string(65, 'v')}},
                                 json{{"queue_depth", INT64_MAX}}, json{{"oldest_pending_ms", -1}},
                                 json{{"printer", std::string(600, 'p')}}}) {
            INFO(beat.dump().substr(0, 80));
            auto res = f.kiosk("POST", "/api/v1/heartbeat", beat.dump());
            REQUIRE(res);
            CHECK(res->status == 400);
        }
        auto deep = f.kiosk("POST", "/api/v1/heartbeat", "{\"version\":" + nested(1'500) + "}");
        CHECK(deep->status == 400);
        CHECK(error_code(deep) == "too_deep");
        CHECK(json::parse(f.staff("GET", "/api/v1/admin/kiosks")->body)["items"].empty());
    }
}

TEST_CASE("A batch mixing anonymous answers with named records is refused whole (older kiosks)", "[crm][trust][anonymous]") {
    CrmFixture f;
    auto res = f.kiosk("POST", "/api/v1/outbox/batch",
                       json{{"records", {record("m1", "complaint", {{"ticket", "K-lobby-1-000001"}}),
                                         record("m2", "feedback", {{"face", 1}})}}}
                           .dump());
    REQUIRE(res);
    CHECK(res->status == 400);
    CHECK(error_code(res) == "mixed_anonymous_batch");
    CHECK(f.server->count_records() == 0);
}

TEST_CASE("A storage failure is 503 and keeps nothing; the same batch later is accepted", "[crm][trust][storage]") {
    CrmFixture f;
    // The real database refuses writes (a trigger stands in for a full disk or a broken file).
    exec_sql(f.options.db_path,
             "CREATE TRIGGER fail_records BEFORE INSERT ON records BEGIN SELECT RAISE(ABORT, 'disk on fire'); END;");
    const std::string body =
        json{{"records", {record("s1", "complaint", {{"ticket", "K-lobby-1-000001"}, {"text", "x"}}),
                          record("s2", "complaint_satisfaction", {{"ticket", "K-lobby-1-000001"}})}}}
            .dump();
    auto res = f.kiosk("POST", "/api/v1/outbox/batch", body);
    REQUIRE(res);
    CHECK(res->status == 503);
    CHECK(error_code(res) == "unavailable");
    exec_sql(f.options.db_path, "DROP TRIGGER fail_records;");
    CHECK(f.server->count_records() == 0);
    json results = json::parse(f.kiosk("POST", "/api/v1/outbox/batch", body)->body)["results"];
    CHECK(results[0]["status"] == "accepted");
    CHECK(results[1]["status"] == "accepted");
}

TEST_CASE("An identical resend of a batch (a lost reply) is answered duplicate, never replayed", "[crm][trust][resend]") {
    CrmFixture f;
    const std::string body =
        json{{"records", {record("r1", "complaint", {{"ticket", "K-lobby-1-000007"}, {"text", "x"}})}}}.dump();
    auto headers = f.signed_headers("POST", "/api/v1/outbox/batch", body, {});
    auto c = f.client();
    auto first = c.Post("/api/v1/outbox/batch", headers, body, "application/json");
    REQUIRE(first);
    CHECK(json::parse(first->body)["results"][0]["status"] == "accepted");
    // What libcurl sends when the reply was lost on a reused connection: the very same bytes.
    for (int i = 0; i < 2; ++i) {
        auto resent = c.Post("/api/v1/outbox/batch", headers, body, "application/json");
        REQUIRE(resent);
        CHECK(resent->status == 200);
        CHECK(json::parse(resent->body)["results"][0]["status"] == "duplicate");
    }
    CHECK(f.server->count_records() == 1);
    // The same signature over another body is forged, not resent.
    const std::string other =
        json{{"records", {record("r2", "complaint", {{"ticket", "K-lobby-1-000008"}, {"text", "y"}})}}}.dump();
    auto forged = c.Post("/api/v1/outbox/batch", headers, other, "application/json");
    CHECK(forged->status == 401);
    CHECK(error_code(forged) == "bad_signature");
    CHECK(f.server->count_records() == 1);
}

TEST_CASE("The replay memory tells a resend of the same request from a reused signature", "[crm][trust][resend]") {
    crm::InMemoryReplayMemory memory;
    using Sight = crm::ReplayMemory::Sight;
    CHECK(memory.remember("sig", "request-a", 1000, 1000, 300) == Sight::first);
    CHECK(memory.remember("sig", "request-a", 1000, 1000, 300) == Sight::same_request);
    CHECK(memory.remember("sig", "request-b", 1000, 1000, 300) == Sight::other_request);
    // Past the window it is forgotten (the timestamp check refuses it as stale first).
    CHECK(memory.remember("sig", "request-a", 1000, 1400, 300) == Sight::first);

    const std::map<std::string, std::string> secrets = {{"lobby-1", "s3cret"}};
    const int64_t now = 1'795'000'000;
    crm::KioskHeaders h{"lobby-1", std::to_string(now), "n1",
                        crm::sign_request("s3cret", "POST", "/api/v1/outbox/batch", now, "n1", "{}")};
    crm::InMemoryReplayMemory guard;
    bool resent = true;
    CHECK(crm::verify_kiosk(h, "POST", "/api/v1/outbox/batch", "{}", secrets, now, 300, guard, crm::Resend::allowed,
                            &resent) == "");
    CHECK_FALSE(resent);
    CHECK(crm::verify_kiosk(h, "POST", "/api/v1/outbox/batch", "{}", secrets, now, 300, guard, crm::Resend::allowed,
                            &resent) == "");
    CHECK(resent);
    CHECK(crm::verify_kiosk(h, "POST", "/api/v1/outbox/batch", "{}", secrets, now, 300, guard, crm::Resend::refused) ==
          "replayed");
}
