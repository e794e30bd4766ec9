// crm-server/crm_server.h — the reference central CRM: the hospital's side of
// docs/crm-api.md, run for real in `make run`, in tests and in the bench.
//
// Layout: crm_server.cpp (HTTP routes, request checks, test faults) → store.h
// (SQLite, migrations, the domain operations) → points_rules.h (earning,
// expiry); crm_contract/ (signing, masking, tiers, record limits, bounded JSON); auth.h (request signatures); demo_seed.cpp (--seed-demo).
//
// Index
//   CrmOptions                     listen address, database, admin token, kiosk secrets, TLS, faults, limits
//   CrmServer::start(&error)       open the database (migrations), bind, serve on a thread; false + reason
//   CrmServer::port()              the bound port (ask for port 0 to get a free one, as tests do)
//   CrmServer::stop()              stop serving; in-flight requests finish
//   CrmServer::count_records(type) stored outbox records ("" = all types; tests and the bench)
//   CrmServer::store()             the database behind it (tests look inside)
//   sign_request(...), sha256_hex(...)   the kiosk signature (crm_contract/signing.h, via auth.h)
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "auth.h"
#include "crm_contract/records.h"
#include "platform/clock.h"

namespace crm {

class Store;

struct CrmOptions {
    std::string host = "127.0.0.1";
    int port = 8787;                            // 0: any free port
    std::string db_path = "crm.sqlite";
    std::string admin_token;                    // empty: admin endpoints refuse everyone
    std::map<std::string, std::string> kiosk_secrets;  // kiosk id → signing secret
    bool allow_faults = false;                  // test-only fault endpoint (docs/crm-api.md)
    std::string demo_flows_path;                // --seed-demo: the flows content to serve
    bool seed_demo = false;
    // The hospital's IANA time zone: served to kiosks as content "time_zone"
    // (docs/crm-api.md); the demo's clinic hours and days are local to it.
    std::string time_zone = "Asia/Shanghai";
    std::string cert_path;                      // with key_path: serve HTTPS (PEM files)
    std::string key_path;
    int64_t signature_window_s = 300;           // accepted clock difference, and how long signatures are remembered
    // Larger bodies: 413 payload_too_large (defaults: crm_contract/records.h).
    size_t max_body_bytes = crm_contract::kMaxBatchBodyBytes;   // an outbox batch
    size_t max_image_bytes = 2 * 1024 * 1024;                   // a staff image upload
    size_t max_content_bytes = 1024 * 1024;                     // a staff content entry
    size_t max_batch_records = crm_contract::kMaxBatchRecords;  // more records: 413 batch_too_large
    bool access_log = true;                     // one masked line per request on stderr
    int64_t heartbeat_interval_ms = 60'000;     // the kiosks' beat: three missed and /admin/kiosks says stale
    int64_t offline_daily_cap_points = 2000;    // what one card may spend offline per day (CRM's day), all kiosks together
};

class CrmServer {
public:
    // The clock decides signature windows, PIN lockouts, slot times and stamps.
    CrmServer(CrmOptions options, platform::Clock& clock);
    ~CrmServer();
    bool start(std::string* error);
    int port() const;
    void stop();
    int64_t count_records(const std::string& type = "");
    Store& store();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace crm
