// crm-server/crm_server.h — the reference central CRM: the hospital's side of
// docs/crm-api.md, run for real in development, in `make run` and in tests.
//
// Index
//   CrmOptions                    listen address, database, admin token, kiosk secrets, fault mode
//   CrmServer::start(&error)      open the database (migrations), bind, serve on a thread; false + reason
//   CrmServer::port()             the bound port (ask for port 0 to get a free one, as tests do)
//   CrmServer::stop()             stop serving; in-flight requests finish
//   CrmServer::count_records(type)   stored outbox records (tests and the bench)
//   sign_request(secret, method, path, timestamp, nonce, body)   the kiosk signature (docs/crm-api.md)
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "platform/clock.h"

namespace crm {

struct CrmOptions {
    std::string host = "127.0.0.1";
    int port = 8787;                            // 0: any free port
    std::string db_path = "crm.sqlite";
    std::string admin_token;                    // empty: admin endpoints refuse everyone
    std::map<std::string, std::string> kiosk_secrets;  // kiosk id → signing secret
    bool allow_faults = false;                  // test-only fault endpoint (docs/crm-api.md)
    std::string demo_flows_path;                // --seed-demo: the flows content to serve
    bool seed_demo = false;
    std::string cert_path;                      // with key_path: serve HTTPS (PEM files)
    std::string key_path;
    int64_t signature_window_s = 300;
    size_t max_body_bytes = 4 * 1024 * 1024;
};

class CrmServer {
public:
    CrmServer(CrmOptions options, platform::Clock& clock);
    ~CrmServer();
    bool start(std::string* error);
    int port() const;
    void stop();
    int64_t count_records(const std::string& type = "");

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

std::string sign_request(const std::string& secret, const std::string& method, const std::string& path,
                         int64_t timestamp_s, const std::string& nonce, const std::string& body);
std::string sha256_hex(const std::string& data);

}  // namespace crm
