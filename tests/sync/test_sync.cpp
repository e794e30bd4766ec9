// Every record made on the kiosk reaches the CRM exactly once — through a
// lost reply, a dead server, slow replies, 5xx with Retry-After, 429 and
// garbage — and a record the CRM rejects never blocks the others. Real
// outbox, real libcurl, real reference CRM on 127.0.0.1.
#include <chrono>
#include <condition_variable>

#include "crm_contract/signing.h"
#include "sync_fixture.h"

using offline_cache::RecordState;
using offline_cache::RoundResult;
using offline_cache::SyncEngine;

TEST_CASE("Records reach the CRM once, in batches, oldest first", "[sync]") {
    SyncFixture f;
    std::vector<std::string> keys;
    for (int i = 0; i < 25; ++i) keys.push_back(f.enqueue("feedback", "{\"n\":" + std::to_string(i) + "}"));
    SyncEngine engine(*f.store, f.clock, f.sync_options);
    CHECK(f.drain(engine) == 3);  // 10 + 10 + 5
    CHECK(f.server->count_records() == 25);
    CHECK(f.store->outbox().stats().delivered == 25);
    CHECK(f.store->outbox().stats().depth() == 0);
    CHECK(engine.status().online);
    CHECK(engine.status().last_error.empty());
    // Nothing more to send, and sending again changes nothing.
    CHECK(engine.run_once() == RoundResult::nothing_due);
    CHECK(f.server->count_records() == 25);
}

TEST_CASE("A record the CRM rejects is kept with its reason and blocks nothing", "[sync]") {
    SyncFixture f;
    std::string a = f.enqueue("feedback");
    std::string bad = f.enqueue("horoscope");  // not a type the CRM knows
    std::string c = f.enqueue("complaint", R"({"ticket":"K-lobby-1-000001","text":"等了两个小时"})");
    SyncEngine engine(*f.store, f.clock, f.sync_options);
    f.drain(engine);
    CHECK(f.store->outbox().find(a)->state == RecordState::delivered);
    CHECK(f.store->outbox().find(c)->state == RecordState::delivered);
    auto rejected = f.store->outbox().find(bad);
    CHECK(rejected->state == RecordState::rejected);
    CHECK(rejected->reject_reason == "unknown_type");
    CHECK(f.server->count_records() == 2);
}

TEST_CASE("The CRM stores a batch, then the connection drops: resent with the same keys, answered duplicate",
          "[sync][faults]") {
    SyncFixture f;
    for (int i = 0; i < 5; ++i) f.enqueue("complaint", "{\"ticket\":\"K-lobby-1-00000" + std::to_string(i) + "\"}");
    f.fault({{"mode", "drop_after_store"}, {"count", 1}});
    SyncEngine engine(*f.store, f.clock, f.sync_options);
    CHECK(engine.run_once() == RoundResult::failed);
    CHECK(f.server->count_records() == 5);               // the CRM has them…
    CHECK(f.store->outbox().stats().pending == 5);        // …but the kiosk cannot know: still pending
    CHECK_FALSE(f.store->outbox().stats().last_delivered_wall_ms);
    f.clock.advance(120'001);  // past any backoff
    CHECK(engine.run_once() == RoundResult::delivered);
    CHECK(f.store->outbox().stats().delivered == 5);
    CHECK(f.server->count_records() == 5);  // exactly once
}

TEST_CASE("503 with Retry-After: every record stays pending until then", "[sync][faults]") {
    SyncFixture f;
    f.enqueue();
    f.enqueue();
    f.fault({{"mode", "status"}, {"status", 503}, {"retry_after", "7"}, {"count", 1}});
    SyncEngine engine(*f.store, f.clock, f.sync_options);
    CHECK(engine.run_once() == RoundResult::failed);
    CHECK(f.store->outbox().stats().pending == 2);
    CHECK(f.store->outbox().next_due_wall_ms() == f.clock.wall_ms() + 7000);
    CHECK(engine.status().last_error.find("503") != std::string::npos);
    f.clock.advance(6999);
    CHECK(engine.run_once() == RoundResult::nothing_due);
    f.clock.advance(1);
    CHECK(engine.run_once() == RoundResult::delivered);
    CHECK(f.server->count_records() == 2);
}

TEST_CASE("A Retry-After date in the past means now", "[sync][faults]") {
    SyncFixture f;
    f.enqueue();
    f.fault({{"mode", "status"}, {"status", 503}, {"retry_after", "Wed, 21 Oct 2015 07:28:00 GMT"}, {"count", 1}});
    SyncEngine engine(*f.store, f.clock, f.sync_options);
    CHECK(engine.run_once() == RoundResult::failed);
    CHECK(f.store->outbox().next_due_wall_ms() <= f.clock.wall_ms());
    CHECK(engine.run_once() == RoundResult::delivered);
}

TEST_CASE("429 and 500 without Retry-After back off with jitter, then deliver", "[sync][faults]") {
    for (int status : {429, 500}) {
        DYNAMIC_SECTION("HTTP " << status) {
            SyncFixture f;
            f.sync_options.backoff_initial_ms = 1000;
            f.enqueue();
            f.fault({{"mode", "status"}, {"status", status}, {"count", 1}});
            SyncEngine engine(*f.store, f.clock, f.sync_options);
            CHECK(engine.run_once() == RoundResult::failed);
            auto due = f.store->outbox().next_due_wall_ms();
            REQUIRE(due);
            CHECK(*due >= f.clock.wall_ms());
            CHECK(*due <= f.clock.wall_ms() + 1000);  // first backoff: within [0, initial]
            f.clock.advance(1000);
            CHECK(engine.run_once() == RoundResult::delivered);
        }
    }
}

TEST_CASE("A reply that is not JSON leaves everything pending", "[sync][faults]") {
    SyncFixture f;
    f.enqueue();
    f.fault({{"mode", "not_json"}, {"count", 1}});
    SyncEngine engine(*f.store, f.clock, f.sync_options);
    CHECK(engine.run_once() == RoundResult::failed);
    CHECK(f.store->outbox().stats().pending == 1);
    f.clock.advance(120'001);
    CHECK(engine.run_once() == RoundResult::delivered);
    CHECK(f.server->count_records() == 1);
}

TEST_CASE("A reply that never comes ends within the configured timeout", "[sync][faults]") {
    SyncFixture f;
    f.sync_options.total_timeout_ms = 300;
    f.enqueue();
    f.fault({{"mode", "delay"}, {"delay_ms", 1500}, {"count", 1}});
    SyncEngine engine(*f.store, f.clock, f.sync_options);
    auto t0 = std::chrono::steady_clock::now();
    CHECK(engine.run_once() == RoundResult::failed);
    auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
    CHECK(took < 1200);  // the attempt was cut at ~300 ms, not after the CRM's 1.5 s
    CHECK(f.store->outbox().stats().pending == 1);
    CHECK(engine.status().last_error.find("network") != std::string::npos);
}

TEST_CASE("The CRM goes away and comes back: nothing lost, nothing doubled", "[sync][faults]") {
    SyncFixture f;
    for (int i = 0; i < 12; ++i) f.enqueue("survey_answer", "{\"nps\":" + std::to_string(i % 11) + "}");
    SyncEngine engine(*f.store, f.clock, f.sync_options);
    CHECK(engine.run_once() == RoundResult::delivered);  // 10 of 12
    int port = f.server->port();
    f.server.reset();  // the CRM is down
    CHECK(engine.run_once() == RoundResult::failed);
    CHECK_FALSE(engine.status().online);
    CHECK(f.store->outbox().stats().pending == 2);
    f.start_server(port);  // back, with its database
    f.clock.advance(120'001);
    f.drain(engine);
    CHECK(f.server->count_records() == 12);
    CHECK(f.store->outbox().stats().delivered == 12);
}

TEST_CASE("A wrong secret or a kiosk clock far off: refused, nothing stored, nothing lost", "[sync][auth]") {
    SyncFixture f;
    f.enqueue();
    SECTION("wrong secret") { f.sync_options.secret = "guessed"; }
    SECTION("the kiosk's clock is an hour behind") { f.clock.set_wall_ms(f.clock.wall_ms() - 3'600'000); }
    SyncEngine engine(*f.store, f.clock, f.sync_options);
    CHECK(engine.run_once() == RoundResult::failed);
    CHECK(f.server->count_records() == 0);
    CHECK(f.store->outbox().stats().depth() == 1);
    CHECK(engine.status().last_error.find("401") != std::string::npos);
}

TEST_CASE("The worker thread delivers in the background and reports to the UI", "[sync][threads]") {
    SyncFixture f;
    std::mutex m;
    std::condition_variable cv;
    int successes = 0;
    SyncEngine engine(*f.store, platform::system_clock(), f.sync_options, [&](const offline_cache::SyncStatus& s) {
        std::lock_guard<std::mutex> lock(m);
        if (s.online && s.last_error.empty()) ++successes;
        cv.notify_all();
    });
    for (int i = 0; i < 30; ++i) f.enqueue();
    engine.start();
    engine.sync_now();
    {
        std::unique_lock<std::mutex> lock(m);
        // Bounded wait on the condition, not a sleep.
        cv.wait_for(lock, std::chrono::seconds(10), [&] { return f.server->count_records() == 30; });
    }
    engine.stop();
    CHECK(f.server->count_records() == 30);
    CHECK(successes >= 3);
}

TEST_CASE("Full-jitter backoff stays within its growing ceiling", "[sync]") {
    offline_cache::SyncOptions o;
    o.backoff_initial_ms = 1000;
    o.backoff_max_ms = 120'000;
    CHECK(offline_cache::backoff_delay_ms(0, o, 1.0) == 1000);
    CHECK(offline_cache::backoff_delay_ms(3, o, 1.0) == 8000);
    CHECK(offline_cache::backoff_delay_ms(3, o, 0.5) == 4000);
    CHECK(offline_cache::backoff_delay_ms(20, o, 1.0) == 120'000);
    CHECK(offline_cache::backoff_delay_ms(20, o, 0.0) == 0);
}

TEST_CASE("The one signing implementation gives the documented test vector", "[sync][auth]") {
    std::string kiosk = crm_contract::sign_request("demo-secret", "POST", "/api/v1/outbox/batch", 1795000000,
                                                   "n0nce", R"({"records":[]})");
    CHECK(kiosk.size() == 64);
    // Computed independently (Python hmac) and printed in docs/crm-api.md.
    CHECK(kiosk == "8cafec7b009fe5eb94284a528bbce6281b478d6b40b7b5b6e65ac246bf8a8915");
}

TEST_CASE("The heartbeat tells the CRM how the kiosk is", "[sync]") {
    SyncFixture f;
    f.enqueue();
    f.enqueue("horoscope");
    f.sync_options.version = "9.9.9";
    f.sync_options.printer_state = [] { return std::string("paper_low: roll near end"); };
    SyncEngine engine(*f.store, f.clock, f.sync_options);
    REQUIRE(engine.heartbeat());
    CHECK(engine.status().online);
    httplib::Client client("127.0.0.1", f.server->port());
    auto kiosks = nlohmann::json::parse(client.Get("/api/v1/admin/kiosks", {{"Authorization", "Bearer staff-token"}})->body);
    REQUIRE(kiosks["items"].size() == 1);
    CHECK(kiosks["items"][0]["kiosk_id"] == "lobby-1");
    CHECK(kiosks["items"][0]["version"] == "9.9.9");
    CHECK(kiosks["items"][0]["queue_depth"] == 2);
    CHECK(kiosks["items"][0]["oldest_pending_ms"] > 0);
    CHECK(kiosks["items"][0]["printer"] == "paper_low: roll near end");
}

TEST_CASE("Content is pulled into the cache, and an unchanged pull costs a 304", "[sync][content]") {
    SyncFixture f;
    SyncEngine engine(*f.store, f.clock, f.sync_options);
    CHECK_FALSE(f.store->content().get("flows"));
    CHECK(engine.pull_content("flows") == offline_cache::ContentPull::updated);
    auto cached = f.store->content().get("flows");
    REQUIRE(cached);
    CHECK_FALSE(cached->etag.empty());
    CHECK(nlohmann::json::parse(cached->body)["flows"]["complaint"]["lanes"][0]["steps"].size() == 6);
    CHECK(engine.content_version() == 1);

    f.clock.advance(60'000);
    CHECK(engine.pull_content("flows") == offline_cache::ContentPull::unchanged);
    CHECK(f.store->content().get("flows")->fetched_wall_ms == f.clock.wall_ms());  // fresh again
    CHECK(engine.content_version() == 1);  // nothing for the screens to reload

    SECTION("offline, the cached copy stays and is served") {
        f.server.reset();
        CHECK(engine.pull_content("flows") == offline_cache::ContentPull::failed);
        CHECK(f.store->content().get("flows")->etag == cached->etag);
        CHECK_FALSE(engine.status().online);
    }
    SECTION("content the CRM does not have is not cached") {
        CHECK(engine.pull_content("no-such-content") == offline_cache::ContentPull::failed);
        CHECK_FALSE(f.store->content().get("no-such-content"));
    }
}

TEST_CASE("Staff change content at the CRM and the kiosk's next pull picks it up", "[sync][content]") {
    SyncFixture f;
    SyncEngine engine(*f.store, f.clock, f.sync_options);
    REQUIRE(engine.pull_content("promotions") == offline_cache::ContentPull::updated);
    auto before = nlohmann::json::parse(f.store->content().get("promotions")->body);
    CHECK(before["promotions"].size() == 4);
    CHECK(before["promotions"][1]["tiers"] == nlohmann::json::array({"vip", "key"}));
    CHECK(before["promotions"][0]["title"]["es"] == "Canjee puntos por una tarjeta de chequeo");

    httplib::Client client("127.0.0.1", f.server->port());
    httplib::Headers staff = {{"Authorization", "Bearer staff-token"}};
    CHECK(client.Put("/api/v1/admin/content/promotions", staff, "{not json", "application/json")->status == 400);
    CHECK(client.Put("/api/v1/admin/content/promotions", {}, "{}", "application/json")->status == 401);
    CHECK(engine.pull_content("promotions") == offline_cache::ContentPull::unchanged);  // refused changes changed nothing
    REQUIRE(client.Put("/api/v1/admin/content/promotions", staff, R"({"version":"2","promotions":[]})",
                       "application/json")->status == 204);
    CHECK(engine.pull_content("promotions") == offline_cache::ContentPull::updated);
    CHECK(nlohmann::json::parse(f.store->content().get("promotions")->body)["promotions"].empty());
    // Two changes, each moving the version twice: the promotions, then their
    // pictures (fetched with the first, removed with the second).
    CHECK(engine.content_version() == 4);
}

TEST_CASE("The demo CRM serves the rewards catalogue, a versioned survey and the departments", "[sync][content]") {
    SyncFixture f;
    SyncEngine engine(*f.store, f.clock, f.sync_options);
    for (const char* name : {"rewards", "surveys", "departments"}) {
        INFO(name);
        CHECK(engine.pull_content(name) == offline_cache::ContentPull::updated);
    }
    auto rewards = nlohmann::json::parse(f.store->content().get("rewards")->body)["rewards"];
    CHECK(rewards.size() == 4);
    CHECK(rewards[1]["cash_fen"] > 0);  // a points + cash reward
    auto survey = nlohmann::json::parse(f.store->content().get("surveys")->body)["surveys"][0];
    CHECK(survey["version"] == 1);
    CHECK(survey["questions"].back()["type"] == "nps");
    auto departments = nlohmann::json::parse(f.store->content().get("departments")->body)["departments"];
    CHECK(departments.size() == 4);
    CHECK(departments[0]["name"]["zh-Hant"].is_string());
}
