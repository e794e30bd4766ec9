// tests/sync/sync_fixture.h — a kiosk store and the reference CRM, on one manual clock.
#pragma once

#include <httplib.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "crm_server.h"
#include "offline_cache/content_cache.h"
#include "offline_cache/outbox.h"
#include "offline_cache/store.h"
#include "offline_cache/sync_engine.h"

struct SyncFixture {
    std::filesystem::path dir;
    // The kiosk's clock: manual, starting at the real time (its signatures carry it).
    // The CRM keeps the real clock, as a hospital's server would.
    platform::ManualClock clock{platform::system_clock().monotonic_ms(), platform::system_clock().wall_ms()};
    std::unique_ptr<offline_cache::Store> store;
    std::unique_ptr<crm::CrmServer> server;
    crm::CrmOptions crm_options;
    offline_cache::SyncOptions sync_options;

    SyncFixture() {
        static std::atomic<int> counter{0};
        dir = std::filesystem::temp_directory_path() /
              ("sync-test-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
        std::filesystem::remove_all(dir);
        std::filesystem::create_directories(dir);
        offline_cache::SelfCheckReport report;
        std::string error;
        store = offline_cache::Store::open({(dir / "kiosk").string()}, clock, &report, &error);
        REQUIRE(store);
        crm_options.port = 0;
        crm_options.db_path = (dir / "crm.sqlite").string();
        crm_options.admin_token = "staff-token";
        crm_options.kiosk_secrets = {{"lobby-1", "s3cret"}};
        crm_options.allow_faults = true;
        crm_options.seed_demo = true;
        crm_options.demo_flows_path = std::string(KIOSK_SOURCE_DIR) + "/assets/content/flows.json";
        start_server();
        sync_options.kiosk_id = "lobby-1";
        sync_options.secret = "s3cret";
        sync_options.connect_timeout_ms = 1000;
        sync_options.total_timeout_ms = 1500;
        sync_options.batch_size = 10;
    }
    ~SyncFixture() {
        server.reset();
        store.reset();
        std::filesystem::remove_all(dir);
    }

    void start_server(int port = 0) {
        crm_options.port = port;
        server = std::make_unique<crm::CrmServer>(crm_options, platform::system_clock());
        std::string error;
        INFO(error);
        REQUIRE(server->start(&error));
        sync_options.crm_url = "http://127.0.0.1:" + std::to_string(server->port());
    }

    std::string enqueue(const std::string& type = "feedback", const std::string& payload = R"({"face":2})") {
        auto saved = store->outbox().enqueue(type, payload);
        REQUIRE(saved.ok());
        return saved.key;
    }

    void fault(const nlohmann::json& plan) {
        httplib::Client client("127.0.0.1", server->port());
        auto res = client.Post("/api/v1/test/faults", {{"Authorization", "Bearer staff-token"}}, plan.dump(),
                               "application/json");
        REQUIRE(res);
        REQUIRE(res->status == 204);
    }

    // Rounds until nothing is due, bounded.
    int drain(offline_cache::SyncEngine& engine, int max_rounds = 50) {
        int rounds = 0;
        while (rounds < max_rounds && engine.run_once() != offline_cache::RoundResult::nothing_due) ++rounds;
        return rounds;
    }
};
