// crm-server/auth.h — how a kiosk proves who it is (docs/crm-api.md, "Authentication").
//
// A kiosk signs every request with its own secret: HMAC-SHA256 over the
// method, the path with its query, the timestamp, a nonce and the body's
// SHA-256. The CRM accepts a timestamp within ±window of its own clock and
// each signature once inside that window, so a captured request cannot be
// sent again. Staff use a bearer token instead (checked in crm_server.cpp).
//
// Index
//   sha256_hex(data)                                              lower-case hex SHA-256
//   sign_request(secret, method, path, timestamp_s, nonce, body)  the kiosk's X-Kiosk-Signature
//   same_secret(a, b)                                             equality in constant time (no timing leak)
//   KioskHeaders                                                  the four X-Kiosk-* header values of a request
//   ReplayGuard                                                   signatures seen inside the window
//   verify_kiosk(headers, method, path, body, secrets, now_s, window_s, guard)  "" or the error code
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <unordered_set>

namespace crm {

std::string sha256_hex(const std::string& data);

std::string sign_request(const std::string& secret, const std::string& method, const std::string& path,
                         int64_t timestamp_s, const std::string& nonce, const std::string& body);

bool same_secret(const std::string& a, const std::string& b);

struct KioskHeaders {
    std::string kiosk_id;   // X-Kiosk-Id
    std::string timestamp;  // X-Kiosk-Timestamp, Unix seconds as decimal text
    std::string nonce;      // X-Kiosk-Nonce, 1–64 characters
    std::string signature;  // X-Kiosk-Signature, lower-case hex
};

// Remembers every accepted signature until its timestamp leaves the window.
// Memory is bounded by the requests of one window. Thread-safe.
class ReplayGuard {
public:
    // True the first time a signature is offered; false for a replay.
    bool first_sight(const std::string& signature, int64_t timestamp_s, int64_t now_s, int64_t window_s);

private:
    std::mutex mutex_;
    std::deque<std::pair<int64_t, std::string>> by_age_;  // (timestamp, signature), oldest first
    std::unordered_set<std::string> seen_;
};

// Checks a kiosk request; returns "" when it is genuine and fresh, otherwise
// the error code to answer with 401: unknown_kiosk, bad_timestamp,
// stale_timestamp, bad_nonce, bad_signature or replayed. Only a request with a
// valid signature is recorded in the guard, so forged requests cannot fill it.
std::string verify_kiosk(const KioskHeaders& headers, const std::string& method, const std::string& path,
                         const std::string& body, const std::map<std::string, std::string>& secrets, int64_t now_s,
                         int64_t window_s, ReplayGuard& guard);

}  // namespace crm
