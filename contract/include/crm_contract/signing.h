// crm_contract/signing.h — how a kiosk proves who it is (docs/crm-api.md, "Authentication").
//
// A kiosk signs every request with its own secret: HMAC-SHA256 over
//   method \n path-with-query \n timestamp \n nonce \n sha256_hex(body)
// The kiosk (offline-cache) signs with sign_request; the CRM recomputes it and
// compares with same_secret. This is the only implementation of both.
//
// Index
//   sha256_hex(data)                                              lower-case hex SHA-256
//   sign_request(secret, method, path, timestamp_s, nonce, body)  the X-Kiosk-Signature value
//   same_secret(a, b)                                             equality in constant time (no timing leak)
#pragma once

#include <cstdint>
#include <string>

namespace crm_contract {

std::string sha256_hex(const std::string& data);

std::string sign_request(const std::string& secret, const std::string& method, const std::string& path,
                         int64_t timestamp_s, const std::string& nonce, const std::string& body);

// Compares every byte whatever the first difference; only the length leaks.
bool same_secret(const std::string& a, const std::string& b);

}  // namespace crm_contract
