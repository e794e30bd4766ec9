// tests/crm-server/crm_fixture.h — the reference CRM started for real on
// 127.0.0.1 (a free port) on a manual clock, and a signing HTTP client.
//
// Index
//   CrmFixture                    a fresh database in a temp dir; --seed-demo unless told otherwise
//   CrmFixture::kiosk(m, path, body)   a request signed as lobby-1 (or another kiosk / secret), with a member session or not
//   CrmFixture::session(card)     a member's session token at a kiosk (a real sign-in)
//   CrmFixture::staff(m, path, body)   a request with the admin token (or another)
//   CrmFixture::batch(records)    POST /api/v1/outbox/batch; the reply's results
//   record(key, type, payload)    one outbox record as the kiosk sends it
//   error_code(result)            the reply's error.code, "" when none
//   day_after(clock, days)        YYYY-MM-DD of the demo schedule's days (the hospital's local days)
#pragma once

#include <httplib.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <ctime>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "crm_server.h"
#include "store.h"

using nlohmann::json;

// Who signs a request: kiosk id, its secret, and how far its clock is off the CRM's.
struct SignAs {
    std::string kiosk = "lobby-1";
    std::string secret = "s3cret";
    int64_t timestamp_offset_s = 0;
};

struct CrmFixture {
    std::filesystem::path dir;
    // The CRM's clock, started at the real time so the demo schedule has real dates.
    platform::ManualClock clock{platform::system_clock().monotonic_ms(), platform::system_clock().wall_ms()};
    crm::CrmOptions options;
    std::unique_ptr<crm::CrmServer> server;
    std::atomic<int> nonce_counter{0};

    explicit CrmFixture(bool seed_demo = true) {
        static std::atomic<int> counter{0};
        dir = std::filesystem::temp_directory_path() /
              ("crm-test-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
        std::filesystem::remove_all(dir);
        std::filesystem::create_directories(dir);
        options.port = 0;
        options.db_path = (dir / "crm.sqlite").string();
        options.admin_token = "staff-token";
        options.kiosk_secrets = {{"lobby-1", "s3cret"}, {"lobby-2", "other"}};
        options.allow_faults = true;
        options.seed_demo = seed_demo;
        options.demo_flows_path = std::string(KIOSK_SOURCE_DIR) + "/assets/content/flows.json";
        options.access_log = false;
        start();
    }
    ~CrmFixture() {
        server.reset();
        std::filesystem::remove_all(dir);
    }

    void start() {
        server.reset();
        server = std::make_unique<crm::CrmServer>(options, clock);
        std::string error;
        INFO(error);
        REQUIRE(server->start(&error));  // start() returns once the server accepts connections
    }

    httplib::Client client() {
        httplib::Client c("127.0.0.1", server->port());
        c.set_connection_timeout(5);
        c.set_read_timeout(10);
        return c;
    }

    using As = SignAs;

    httplib::Headers signed_headers(const std::string& method, const std::string& path, const std::string& body,
                                    const As& as) {
        int64_t t = clock.wall_ms() / 1000 + as.timestamp_offset_s;
        std::string nonce = "nonce-" + std::to_string(nonce_counter++);
        return {{"X-Kiosk-Id", as.kiosk},
                {"X-Kiosk-Timestamp", std::to_string(t)},
                {"X-Kiosk-Nonce", nonce},
                {"X-Kiosk-Signature", crm::sign_request(as.secret, method, path, t, nonce, body)}};
    }

    httplib::Result kiosk(const std::string& method, const std::string& path, const std::string& body = "",
                          const As& as = {}, const std::string& member_session = "") {
        auto headers = signed_headers(method, path, body, as);
        if (!member_session.empty()) headers.emplace("X-Member-Session", member_session);
        auto c = client();
        if (method == "GET") return c.Get(path.c_str(), headers);
        return c.Post(path.c_str(), headers, body, "application/json");
    }

    httplib::Result staff(const std::string& method, const std::string& path, const std::string& body = "",
                          const std::string& token = "staff-token") {
        httplib::Headers headers = {{"Authorization", "Bearer " + token}};
        auto c = client();
        if (method == "GET") return c.Get(path.c_str(), headers);
        if (method == "PUT") return c.Put(path.c_str(), headers, body, "application/json");
        return c.Post(path.c_str(), headers, body, "application/json");
    }

    json batch(const std::vector<json>& records, const As& as = {}) {
        auto res = kiosk("POST", "/api/v1/outbox/batch", json{{"records", records}}.dump(), as);
        REQUIRE(res);
        INFO(res->body);
        REQUIRE(res->status == 200);
        return json::parse(res->body)["results"];
    }

    // GET /api/v1/admin/kiosks as staff: its "items".
    json admin_kiosks() {
        auto res = staff("GET", "/api/v1/admin/kiosks");
        REQUIRE(res);
        REQUIRE(res->status == 200);
        return json::parse(res->body)["items"];
    }

    json sign_in(const std::string& card, const std::string& pin = "1234", const As& as = {}) {
        auto res = kiosk("POST", "/api/v1/members/sign-in", json{{"card", card}, {"pin", pin}}.dump(), as);
        REQUIRE(res);
        REQUIRE(res->status == 200);
        return json::parse(res->body);
    }

    std::string session(const std::string& card, const As& as = {}) {
        return sign_in(card, "1234", as)["session"]["token"].get<std::string>();
    }
};

inline json record(const std::string& key, const std::string& type, const json& payload, int64_t created_at_ms = 1) {
    return {{"key", key}, {"type", type}, {"payload", payload.dump()}, {"created_at_ms", created_at_ms}};
}

// A redemption as a kiosk sends it: the reward, its mode and the price shown,
// which are the demo catalogue's (demo_seed.cpp) unless told otherwise, and the
// offline grant it cites (queued records need one).
inline json priced_redemption(const std::string& card, const std::string& reward, const json& grant = nullptr,
                              const std::string& voucher = "") {
    static const std::map<std::string, std::pair<int64_t, int64_t>> kDemoPrices = {
        {"checkup-card", {5000, 0}}, {"rehab-session", {2000, 5000}}, {"registration-discount", {300, 0}},
        {"teeth-cleaning", {1500, 3000}}};
    auto price = kDemoPrices.count(reward) ? kDemoPrices.at(reward) : std::pair<int64_t, int64_t>{1, 0};
    json p{{"card", card}, {"reward", reward}, {"mode", price.second > 0 ? "points_cash" : "points"}, {"points", price.first}};
    if (price.second > 0) p["cash_fen"] = price.second;
    if (!voucher.empty()) p["voucher"] = voucher;
    if (!grant.is_null()) p["grant"] = grant;
    return p;
}

// How a queued record cites the grant of a sign-in answer.
inline json cited_grant(const json& sign_in_answer) {
    const json& g = sign_in_answer["offline_grant"];
    return {{"id", g["id"]}, {"signature", g["signature"]}};
}

inline std::string error_code(const httplib::Result& res) {
    if (!res) return "(no reply)";
    json doc = json::parse(res->body, nullptr, false);
    if (doc.is_discarded() || !doc.is_object() || !doc.contains("error")) return "";
    return doc["error"].value("code", "");
}

// The demo schedule's days are the hospital's (the fixture's CRM runs in its
// default zone, Asia/Shanghai): "tomorrow" is the local day after today.
inline std::string day_after(const platform::Clock& clock, int days, const std::string& zone = "Asia/Shanghai") {
    auto today = clock.now_local(zone);
    REQUIRE(today);
    platform::LocalTime day;
    platform::civil_from_days(platform::days_from_civil(today->year, today->month, today->day) + days, &day.year,
                              &day.month, &day.day);
    return day.iso_day();
}
