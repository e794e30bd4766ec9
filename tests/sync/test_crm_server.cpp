// The reference CRM's handlers: bad input and bad credentials get the
// documented error and store nothing; content answers 304 when unchanged;
// staff lists are newest first with paging.
#include <nlohmann/json.hpp>

#include "sync_fixture.h"

using nlohmann::json;

namespace {

struct Signed {
    std::string path;
    std::string body;
    int64_t timestamp;
    std::string secret = "s3cret";
    std::string kiosk = "lobby-1";
    std::string nonce = offline_cache::make_idempotency_key();
};

httplib::Result post_signed(SyncFixture& f, const Signed& r) {
    httplib::Client client("127.0.0.1", f.server->port());
    httplib::Headers headers = {
        {"X-Kiosk-Id", r.kiosk},
        {"X-Kiosk-Timestamp", std::to_string(r.timestamp)},
        {"X-Kiosk-Nonce", r.nonce},
        {"X-Kiosk-Signature", crm::sign_request(r.secret, "POST", r.path, r.timestamp, r.nonce, r.body)}};
    return client.Post(r.path.c_str(), headers, r.body, "application/json");
}

std::string error_code(const httplib::Result& res) {
    json doc = json::parse(res->body, nullptr, false);
    return doc.is_discarded() ? "" : doc["error"].value("code", "");
}

int64_t now_s(SyncFixture& f) { return f.clock.wall_ms() / 1000; }

const std::string kOneRecord =
    R"({"records":[{"key":"11111111-1111-4111-8111-111111111111","type":"feedback","payload":"{\"face\":1}","created_at_ms":1}]})";

}  // namespace

TEST_CASE("A signed batch is accepted — the same key again is a duplicate — another payload a conflict", "[crm]") {
    SyncFixture f;
    auto first = post_signed(f, {"/api/v1/outbox/batch", kOneRecord, now_s(f)});
    REQUIRE(first);
    REQUIRE(first->status == 200);
    CHECK(json::parse(first->body)["results"][0]["status"] == "accepted");
    f.clock.advance(1000);  // a new timestamp: a new signature (the same one would be a replay)
    auto again = post_signed(f, {"/api/v1/outbox/batch", kOneRecord, now_s(f)});
    CHECK(json::parse(again->body)["results"][0]["status"] == "duplicate");
    std::string changed = kOneRecord;
    changed.replace(changed.find("face\\\":1"), 8, "face\\\":3");
    f.clock.advance(1000);
    auto conflict = post_signed(f, {"/api/v1/outbox/batch", changed, now_s(f)});
    CHECK(json::parse(conflict->body)["results"][0]["status"] == "rejected");
    CHECK(json::parse(conflict->body)["results"][0]["reason"] == "idempotency_conflict");
    CHECK(f.server->count_records() == 1);
}

TEST_CASE("Bad requests get the documented error code and store nothing", "[crm]") {
    SyncFixture f;
    struct Case {
        const char* name;
        std::string body;
        int status;
        const char* code;
    };
    const Case cases[] = {
        {"malformed JSON", R"({"records": [)", 400, "malformed_json"},
        {"records not a list", R"({"records": {}})", 400, "invalid_field"},
        {"a key that is a number", R"({"records":[{"key":7,"type":"feedback","payload":"{}","created_at_ms":1}]})", 400,
         "invalid_field"},
        {"a payload that is an object, not JSON text",
         R"({"records":[{"key":"k","type":"feedback","payload":{},"created_at_ms":1}]})", 400, "invalid_field"},
        {"invalid UTF-8", "{\"records\":[{\"key\":\"\xC3\x28\"}]}", 400, "invalid_utf8"},
        {"oversized body", std::string(5 * 1024 * 1024, ' '), 413, "payload_too_large"},
    };
    for (const Case& c : cases) {
        INFO(c.name);
        f.clock.advance(1000);
        auto res = post_signed(f, {"/api/v1/outbox/batch", c.body, now_s(f)});
        REQUIRE(res);
        CHECK(res->status == c.status);
        CHECK(error_code(res) == c.code);
    }
    CHECK(f.server->count_records() == 0);
}

TEST_CASE("Bad credentials are refused and nothing is stored", "[crm][auth]") {
    SyncFixture f;
    int64_t t = now_s(f);
    auto unknown = post_signed(f, {"/api/v1/outbox/batch", kOneRecord, t, "s3cret", "lobby-99"});
    CHECK(unknown->status == 401);
    CHECK(error_code(unknown) == "unknown_kiosk");
    auto wrong = post_signed(f, {"/api/v1/outbox/batch", kOneRecord, t, "guess"});
    CHECK(error_code(wrong) == "bad_signature");
    auto stale = post_signed(f, {"/api/v1/outbox/batch", kOneRecord, t - 301});
    CHECK(error_code(stale) == "stale_timestamp");
    CHECK(f.server->count_records() == 0);

    SECTION("a captured batch sent again is only a resend: its records are duplicates") {
        Signed captured{"/api/v1/outbox/batch", kOneRecord, t};
        auto first = post_signed(f, captured);
        CHECK(first->status == 200);
        auto replay = post_signed(f, captured);
        CHECK(replay->status == 200);
        CHECK(json::parse(replay->body)["results"][0]["status"] == "duplicate");
        CHECK(f.server->count_records() == 1);
    }
    SECTION("staff endpoints need the admin token") {
        httplib::Client client("127.0.0.1", f.server->port());
        auto none = client.Get("/api/v1/admin/feedback");
        CHECK(none->status == 401);
        CHECK(error_code(none) == "bad_admin_token");
        auto wrong_token = client.Get("/api/v1/admin/feedback", {{"Authorization", "Bearer nope"}});
        CHECK(wrong_token->status == 401);
    }
}

TEST_CASE("Unchanged content costs one small request: 304 with the ETag", "[crm]") {
    SyncFixture f;
    httplib::Client client("127.0.0.1", f.server->port());
    auto get = [&](const std::string& etag) {
        f.clock.advance(1000);
        int64_t t = now_s(f);
        std::string nonce = offline_cache::make_idempotency_key();
        httplib::Headers headers = {
            {"X-Kiosk-Id", "lobby-1"},
            {"X-Kiosk-Timestamp", std::to_string(t)},
            {"X-Kiosk-Nonce", nonce},
            {"X-Kiosk-Signature", crm::sign_request("s3cret", "GET", "/api/v1/content/flows", t, nonce, "")}};
        if (!etag.empty()) headers.emplace("If-None-Match", etag);
        return client.Get("/api/v1/content/flows", headers);
    };
    auto full = get("");
    REQUIRE(full);
    CHECK(full->status == 200);
    std::string etag = full->get_header_value("ETag");
    CHECK_FALSE(etag.empty());
    CHECK(json::parse(full->body)["flows"]["visit"]["lanes"].size() == 2);
    auto unchanged = get(etag);
    CHECK(unchanged->status == 304);
    CHECK(unchanged->body.empty());
    CHECK(get("\"old\"")->status == 200);
}

TEST_CASE("Staff lists are newest first, with paging", "[crm]") {
    SyncFixture f;
    // Named records (anonymous ones are listed by hour, then at random).
    for (int i = 0; i < 5; ++i) f.enqueue("complaint_satisfaction", "{\"n\":" + std::to_string(i) + "}");
    f.enqueue("feedback", R"({"face":1})");
    offline_cache::SyncEngine engine(*f.store, f.clock, f.sync_options);
    f.drain(engine);
    httplib::Client client("127.0.0.1", f.server->port());
    auto page1 = client.Get("/api/v1/admin/complaints?per_page=2&page=1", {{"Authorization", "Bearer staff-token"}});
    REQUIRE(page1->status == 200);
    auto items = json::parse(page1->body)["items"];
    REQUIRE(items.size() == 2);
    CHECK(items[0]["payload"]["n"] == 4);
    CHECK(items[1]["payload"]["n"] == 3);
    auto page3 = client.Get("/api/v1/admin/complaints?per_page=2&page=3", {{"Authorization", "Bearer staff-token"}});
    CHECK(json::parse(page3->body)["items"].size() == 1);
    auto feedback = client.Get("/api/v1/admin/feedback", {{"Authorization", "Bearer staff-token"}});
    CHECK(json::parse(feedback->body)["items"].size() == 1);
}

TEST_CASE("A complaint's ticket shows its stages, which staff move along", "[crm][complaints]") {
    SyncFixture f;
    f.enqueue("complaint", R"({"ticket":"K-lobby-1-000007","text":"候诊两小时","contact_phone":"13812345678"})");
    f.enqueue("complaint", R"({"ticket":"K-lobby-1-000008","text":"no contact given"})");
    f.enqueue("complaint", R"({"text":"no ticket"})");
    offline_cache::SyncEngine engine(*f.store, f.clock, f.sync_options);
    f.drain(engine);
    CHECK(f.store->outbox().stats().rejected == 1);  // a complaint without a ticket: missing_ticket

    httplib::Client client("127.0.0.1", f.server->port());
    auto lookup = [&](const std::string& path) {
        f.clock.advance(1000);
        int64_t t = f.clock.wall_ms() / 1000;
        std::string nonce = offline_cache::make_idempotency_key();
        return client.Get(path.c_str(), {{"X-Kiosk-Id", "lobby-1"},
                                         {"X-Kiosk-Timestamp", std::to_string(t)},
                                         {"X-Kiosk-Nonce", nonce},
                                         {"X-Kiosk-Signature", crm::sign_request("s3cret", "GET", path, t, nonce, "")}});
    };
    auto submitted = lookup("/api/v1/complaints/K-lobby-1-000007?phone_last4=5678");
    REQUIRE(submitted->status == 200);
    json status = json::parse(submitted->body);
    CHECK(status["stage"] == "submitted");
    CHECK(status["next_stage"] == "acknowledged");
    CHECK(status["stages"].size() == 6);
    CHECK(status["stages"][1]["reached_at_ms"].is_null());
    int64_t submitted_at = status["stages"][0]["reached_at_ms"];
    CHECK(status["next_due_ms"] == submitted_at + 86'400'000);  // acknowledged within one day

    // The phone's last digits guard a ticket that has them; a wrong guess looks like no ticket.
    CHECK(lookup("/api/v1/complaints/K-lobby-1-000007?phone_last4=0000")->status == 404);
    CHECK(lookup("/api/v1/complaints/K-lobby-1-000007")->status == 404);
    CHECK(lookup("/api/v1/complaints/K-lobby-1-000008")->status == 404);  // no phone, no look-up code: never by ticket alone
    CHECK(lookup("/api/v1/complaints/K-nobody-1")->status == 404);

    httplib::Headers staff = {{"Authorization", "Bearer staff-token"}};
    for (const char* stage : {"acknowledged", "assigned", "resolved", "return_visit", "closed"}) {
        auto moved = client.Post("/api/v1/admin/complaints/K-lobby-1-000007/advance", staff, "", "application/json");
        REQUIRE(moved->status == 200);
        CHECK(json::parse(moved->body)["stage"] == stage);
    }
    auto closed = client.Post("/api/v1/admin/complaints/K-lobby-1-000007/advance", staff, "", "application/json");
    CHECK(closed->status == 409);
    CHECK(error_code(closed) == "already_closed");
    auto done = json::parse(lookup("/api/v1/complaints/K-lobby-1-000007?phone_last4=5678")->body);
    CHECK(done["stage"] == "closed");
    CHECK_FALSE(done.contains("next_stage"));
    for (const auto& s : done["stages"]) CHECK_FALSE(s["reached_at_ms"].is_null());
    CHECK(client.Post("/api/v1/admin/complaints/K-lobby-1-000008/advance", {}, "", "application/json")->status == 401);
}

TEST_CASE("Two kiosks cannot open the same ticket", "[crm][complaints]") {
    SyncFixture f;
    f.enqueue("complaint", R"({"ticket":"K-lobby-1-000009","text":"a"})");
    f.enqueue("complaint", R"({"ticket":"K-lobby-1-000009","text":"b"})");
    offline_cache::SyncEngine engine(*f.store, f.clock, f.sync_options);
    f.drain(engine);
    auto rejected = f.store->outbox().rejected(10);
    REQUIRE(rejected.size() == 1);
    CHECK(rejected[0].reject_reason == "duplicate_ticket");
}

TEST_CASE("Members sign in with card and PIN — wrong PINs make the card wait, never lock it", "[crm][members]") {
    // A CRM on a manual clock of its own, so waits take no time.
    SyncFixture f;
    platform::ManualClock crm_clock{platform::system_clock().monotonic_ms(), platform::system_clock().wall_ms()};
    f.server.reset();
    crm::CrmServer server(f.crm_options, crm_clock);
    std::string error;
    REQUIRE(server.start(&error));
    httplib::Client client("127.0.0.1", server.port());
    auto sign_in = [&](const std::string& card, const std::string& pin) {
        crm_clock.advance(1000);
        int64_t t = crm_clock.wall_ms() / 1000;
        std::string nonce = offline_cache::make_idempotency_key();
        std::string body = json{{"card", card}, {"pin", pin}}.dump();
        return client.Post("/api/v1/members/sign-in",
                           {{"X-Kiosk-Id", "lobby-1"},
                            {"X-Kiosk-Timestamp", std::to_string(t)},
                            {"X-Kiosk-Nonce", nonce},
                            {"X-Kiosk-Signature", crm::sign_request("s3cret", "POST", "/api/v1/members/sign-in", t, nonce, body)}},
                           body, "application/json");
    };
    const std::string card = "6200000000000002";

    auto ok = sign_in(card, "1234");
    REQUIRE(ok->status == 200);
    json member = json::parse(ok->body);
    CHECK(member["card_last4"] == "0002");
    CHECK(member["tier"] == "key");  // the second biggest spender of 40: top 1 % is one VIP, top 5 % two
    CHECK(json::parse(sign_in("6200000000000001", "1234")->body)["tier"] == "vip");
    CHECK(json::parse(sign_in("6200000000000040", "1234")->body)["tier"] == "basic");
    CHECK(member["balance"] > 0);
    CHECK(member["history"].size() == 1);

    // An unknown card and a wrong PIN look the same.
    CHECK(error_code(sign_in("6299999999999999", "1234")) == "wrong_card_or_pin");
    for (int i = 0; i < 4; ++i) {
        auto wrong = sign_in(card, "0000");
        CHECK(wrong->status == 401);
        CHECK_FALSE(json::parse(wrong->body).contains("tries_left"));  // no count: it would tell a real card
    }
    auto waits = sign_in(card, "1234");
    CHECK(waits->status == 429);  // even the right PIN, while the card waits
    CHECK(waits->get_header_value("Retry-After") == "4");  // 5 s from the fourth failure, asked 1 s later
    crm_clock.advance(5'000);
    CHECK(sign_in(card, "1234")->status == 200);  // after the wait, the card works again
    server.stop();
}

TEST_CASE("Redemptions and gifts move points in the record's transaction and never below zero", "[crm][members]") {
    SyncFixture f;  // --seed-demo: 40 members, PIN 1234
    auto balance = [&](const std::string& card) {
        f.clock.advance(1000);
        auto res = post_signed(f, {"/api/v1/members/sign-in", json{{"card", card}, {"pin", "1234"}}.dump(),
                                   f.clock.wall_ms() / 1000});
        REQUIRE(res->status == 200);
        return json::parse(res->body);
    };
    // A key member, signed in online once: the grant lets this kiosk spend offline for them.
    const std::string giver = "6200000000000002", receiver = "6200000000000039";
    json signed_in = balance(giver);
    int64_t start = signed_in["balance"];
    int64_t receiver_start = balance(receiver)["balance"];
    REQUIRE(start > 1825);
    json grant{{"id", signed_in["offline_grant"]["id"]}, {"signature", signed_in["offline_grant"]["signature"]}};
    auto priced = [&](const std::string& reward, int64_t points, int64_t cash_fen) {
        json p{{"card", giver}, {"reward", reward}, {"mode", cash_fen > 0 ? "points_cash" : "points"}, {"points", points},
               {"grant", grant}};
        if (cash_fen > 0) p["cash_fen"] = cash_fen;
        return p.dump();
    };

    std::string redeemed = f.enqueue("redemption", priced("registration-discount", 300, 0));
    std::string gift = f.enqueue("points_gift", json{{"from_card", giver}, {"to_card", receiver}, {"points", 25}, {"grant", grant}}.dump());
    std::string to_self = f.enqueue("points_gift", json{{"from_card", giver}, {"to_card", giver}, {"points", 1}, {"grant", grant}}.dump());
    std::string nobody = f.enqueue("redemption", json{{"card", "6299999999999999"}, {"points", 1}}.dump());
    std::string no_grant = f.enqueue("redemption", json{{"card", giver}, {"points", 300}, {"reward", "registration-discount"},
                                                        {"mode", "points"}}.dump());
    std::string cheap = f.enqueue("redemption", priced("registration-discount", 1, 0));
    std::string cash_missing = f.enqueue("redemption", priced("teeth-cleaning", 1500, 0));
    std::string with_cash = f.enqueue("redemption", priced("teeth-cleaning", 1500, 3000));
    offline_cache::SyncEngine engine(*f.store, f.clock, f.sync_options);
    f.drain(engine);

    using offline_cache::RecordState;
    CHECK(f.store->outbox().find(redeemed)->state == RecordState::delivered);
    CHECK(f.store->outbox().find(gift)->state == RecordState::delivered);
    CHECK(f.store->outbox().find(to_self)->reject_reason == "gift_to_self");
    CHECK(f.store->outbox().find(nobody)->reject_reason == "no_offline_grant");
    CHECK(f.store->outbox().find(no_grant)->reject_reason == "no_offline_grant");
    CHECK(f.store->outbox().find(cheap)->reject_reason == "price_changed");
    CHECK(f.store->outbox().find(with_cash)->state == RecordState::delivered);
    CHECK(f.store->outbox().find(cash_missing)->reject_reason == "invalid_mode");  // the mode is the reward's

    json after = balance(giver);
    CHECK(after["balance"] == start - 1825);
    CHECK(after["history"][0]["kind"] == "redeemed");
    CHECK(after["history"][0]["note"] == "teeth-cleaning + cash");
    CHECK(after["history"][1]["kind"] == "gifted");
    CHECK(balance(receiver)["balance"] == receiver_start + 25);
    CHECK(f.server->count_records("redemption") == 2);  // rejected ones are not stored
}

TEST_CASE("Bookings: no slot is given to two people, one visit per department a day, cancelling frees the slot",
          "[crm][bookings]") {
    SyncFixture f;
    f.crm_options.kiosk_secrets["lobby-2"] = "other";
    f.server.reset();
    f.start_server();
    auto free_slots = [&](const std::string& day) {
        f.clock.advance(1000);
        int64_t t = f.clock.wall_ms() / 1000;
        std::string path = "/api/v1/slots?department=internal&day=" + day;
        std::string nonce = offline_cache::make_idempotency_key();
        httplib::Client client("127.0.0.1", f.server->port());
        auto res = client.Get(path.c_str(), {{"X-Kiosk-Id", "lobby-1"},
                                             {"X-Kiosk-Timestamp", std::to_string(t)},
                                             {"X-Kiosk-Nonce", nonce},
                                             {"X-Kiosk-Signature", crm::sign_request("s3cret", "GET", path, t, nonce, "")}});
        REQUIRE(res->status == 200);
        return json::parse(res->body)["items"];
    };
    // Tomorrow (UTC), as the demo schedule is laid out.
    std::time_t tomorrow = std::time_t(f.clock.wall_ms() / 1000 + 86'400);
    std::tm tm{};
    gmtime_r(&tomorrow, &tm);
    char day[32];
    std::strftime(day, sizeof day, "%Y-%m-%d", &tm);
    auto slots = free_slots(day);
    REQUIRE(slots.size() == 16);  // two doctors, eight half-hours
    std::string slot = slots[0]["slot"], other_slot = slots[5]["slot"];

    // Two kiosks race for the same slot.
    offline_cache::SelfCheckReport report;
    std::string error;
    auto second_store = offline_cache::Store::open({(f.dir / "kiosk-2").string()}, f.clock, &report, &error);
    REQUIRE(second_store);
    auto a = f.enqueue("booking", json{{"code", "B1-000001"}, {"slot", slot}, {"person", "card:0001"}}.dump());
    auto b = second_store->outbox().enqueue("booking", json{{"code", "B2-000001"}, {"slot", slot}, {"person", "card:0002"}}.dump());
    offline_cache::SyncOptions second = f.sync_options;
    second.kiosk_id = "lobby-2";
    second.secret = "other";
    offline_cache::SyncEngine engine_a(*f.store, f.clock, f.sync_options), engine_b(*second_store, f.clock, second);
    engine_b.run_once();
    engine_a.run_once();
    CHECK(second_store->outbox().find(b.key)->state == offline_cache::RecordState::delivered);
    auto lost = f.store->outbox().find(a);
    CHECK(lost->state == offline_cache::RecordState::rejected);
    CHECK(lost->reject_reason == "slot_taken");
    CHECK(free_slots(day).size() == 15);

    // The same person cannot hold two visits in one department on one day.
    auto again = second_store->outbox().enqueue("booking",
        json{{"code", "B2-000002"}, {"slot", other_slot}, {"person", "card:0002"}}.dump());
    f.clock.advance(1000);
    engine_b.run_once();
    CHECK(second_store->outbox().find(again.key)->reject_reason == "already_booked_that_day");

    // Moving, then cancelling, frees the slots at once.
    second_store->outbox().enqueue("booking_move", json{{"code", "B2-000001"}, {"slot", other_slot}, {"person", "card:0002"}}.dump());
    engine_b.run_once();
    auto after_move = free_slots(day);
    CHECK(after_move.size() == 15);
    CHECK(after_move[0]["slot"] == slot);  // the first slot is free again
    second_store->outbox().enqueue("booking_cancel", json{{"code", "B2-000001"}, {"person", "card:0002"}}.dump());
    engine_b.run_once();
    CHECK(free_slots(day).size() == 16);
}
