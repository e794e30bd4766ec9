#include "auth.h"

#include <charconv>

namespace crm {

ReplayMemory::Sight InMemoryReplayMemory::remember(const std::string& signature, const std::string& digest,
                                                   int64_t timestamp_s, int64_t now_s, int64_t window_s) {
    std::lock_guard<std::mutex> lock(mutex_);
    // A signature whose timestamp has left the window is refused as stale
    // before it gets here, so forgetting it is safe.
    while (!by_age_.empty() && by_age_.front().first < now_s - window_s) {
        digest_of_.erase(by_age_.front().second);
        by_age_.pop_front();
    }
    auto [it, inserted] = digest_of_.emplace(signature, digest);
    if (!inserted) return it->second == digest ? Sight::same_request : Sight::other_request;
    by_age_.emplace_back(timestamp_s, signature);
    return Sight::first;
}

std::string verify_kiosk(const KioskHeaders& h, const std::string& method, const std::string& path,
                         const std::string& body, const std::map<std::string, std::string>& secrets, int64_t now_s,
                         int64_t window_s, ReplayMemory& memory, Resend resend, bool* was_resent) {
    if (was_resent) *was_resent = false;
    auto secret = secrets.find(h.kiosk_id);
    if (h.kiosk_id.empty() || secret == secrets.end()) return "unknown_kiosk";
    int64_t timestamp = 0;
    const char* end = h.timestamp.data() + h.timestamp.size();
    auto [ptr, ec] = std::from_chars(h.timestamp.data(), end, timestamp);
    if (h.timestamp.empty() || ec != std::errc() || ptr != end) return "bad_timestamp";
    if (timestamp < now_s - window_s || timestamp > now_s + window_s) return "stale_timestamp";
    if (h.nonce.empty() || h.nonce.size() > 64) return "bad_nonce";
    std::string body_sha = sha256_hex(body);
    if (!same_secret(h.signature, sign_request(secret->second, method, path, timestamp, h.nonce, body)))
        return "bad_signature";
    switch (memory.remember(h.signature, sha256_hex(method + "\n" + path + "\n" + body_sha), timestamp, now_s,
                            window_s)) {
        case ReplayMemory::Sight::first: return "";
        case ReplayMemory::Sight::same_request:
            if (resend == Resend::refused) return "replayed";
            if (was_resent) *was_resent = true;
            return "";
        case ReplayMemory::Sight::other_request: return "replayed";
    }
    return "replayed";
}

}  // namespace crm
