// crm-server/auth.h — how the CRM checks that a request comes from a kiosk
// (docs/crm-api.md, "Authentication"); the signature itself is the contract's
// (crm_contract/signing.h), the one implementation the kiosk signs with.
//
// A kiosk signs every request with its own secret. The CRM accepts a timestamp
// within ±window of its own clock, and each signature once inside that window
// — with one exception: an identical resend of a request to an endpoint that
// is idempotent by its records' keys (the outbox batch). libcurl sends exactly
// that when a reply is lost on a reused connection; processing it again only
// answers `duplicate` for records already stored, so it is not an attack and
// must not look like one. A signature seen with a different request (method,
// path or body), or again on any other endpoint, stays `replayed`.
//
// Index
//   sha256_hex, sign_request, same_secret                        from crm_contract/signing.h
//   KioskHeaders                                                 the four X-Kiosk-* header values of a request
//   ReplayMemory                                                 where accepted signatures are remembered (interface:
//                                                                a shared database table later, issue 15)
//   InMemoryReplayMemory                                         one process's memory, bounded by one window
//   Resend                                                       refused | allowed: may an identical resend be processed?
//   verify_kiosk(headers, method, path, body, secrets, now_s, window_s, memory, resend, &was_resent)
//                                                                "" or the error code
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>

#include "crm_contract/signing.h"

namespace crm {

using crm_contract::same_secret;
using crm_contract::sha256_hex;
using crm_contract::sign_request;

struct KioskHeaders {
    std::string kiosk_id;   // X-Kiosk-Id
    std::string timestamp;  // X-Kiosk-Timestamp, Unix seconds as decimal text
    std::string nonce;      // X-Kiosk-Nonce, 1–64 characters
    std::string signature;  // X-Kiosk-Signature, lower-case hex
};

// Remembers, per accepted signature, the digest of the request it signed
// (method, path and body), until the signature's timestamp leaves the window.
// Implementations are thread-safe.
class ReplayMemory {
public:
    enum class Sight { first, same_request, other_request };
    virtual ~ReplayMemory() = default;
    // Records the signature on its first sight; later sights say whether the
    // request was the very same one.
    virtual Sight remember(const std::string& signature, const std::string& request_digest, int64_t timestamp_s,
                           int64_t now_s, int64_t window_s) = 0;
};

// Memory is bounded by the requests of one window (an entry may live up to
// 2×window, never less: pruning is in arrival order).
class InMemoryReplayMemory : public ReplayMemory {
public:
    Sight remember(const std::string& signature, const std::string& request_digest, int64_t timestamp_s,
                   int64_t now_s, int64_t window_s) override;

private:
    std::mutex mutex_;
    std::deque<std::pair<int64_t, std::string>> by_age_;  // (timestamp, signature), oldest first
    std::unordered_map<std::string, std::string> digest_of_;
};

enum class Resend { refused, allowed };

// Checks a kiosk request; returns "" when it is genuine and fresh (or an
// identical resend where Resend::allowed — then *was_resent is set), otherwise
// the error code to answer with 401: unknown_kiosk, bad_timestamp,
// stale_timestamp, bad_nonce, bad_signature or replayed. Only a request with a
// valid signature is recorded, so forged requests cannot fill the memory.
std::string verify_kiosk(const KioskHeaders& headers, const std::string& method, const std::string& path,
                         const std::string& body, const std::map<std::string, std::string>& secrets, int64_t now_s,
                         int64_t window_s, ReplayMemory& memory, Resend resend = Resend::refused,
                         bool* was_resent = nullptr);

}  // namespace crm
