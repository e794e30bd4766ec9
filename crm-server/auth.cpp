#include "auth.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <charconv>

namespace crm {

namespace {

std::string hex(const unsigned char* data, size_t n) {
    static const char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(2 * n);
    for (size_t i = 0; i < n; ++i) {
        out += digits[data[i] >> 4];
        out += digits[data[i] & 15];
    }
    return out;
}

}  // namespace

std::string sha256_hex(const std::string& data) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    EVP_Digest(data.data(), data.size(), digest, &n, EVP_sha256(), nullptr);
    return hex(digest, n);
}

std::string sign_request(const std::string& secret, const std::string& method, const std::string& path,
                         int64_t timestamp_s, const std::string& nonce, const std::string& body) {
    std::string message =
        method + "\n" + path + "\n" + std::to_string(timestamp_s) + "\n" + nonce + "\n" + sha256_hex(body);
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    HMAC(EVP_sha256(), secret.data(), int(secret.size()), reinterpret_cast<const unsigned char*>(message.data()),
         message.size(), mac, &n);
    return hex(mac, n);
}

bool same_secret(const std::string& a, const std::string& b) {
    if (a.size() != b.size()) return false;
    unsigned char diff = 0;
    for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

bool ReplayGuard::first_sight(const std::string& signature, int64_t timestamp_s, int64_t now_s, int64_t window_s) {
    std::lock_guard<std::mutex> lock(mutex_);
    // A signature whose timestamp has left the window is refused as stale
    // before it gets here, so forgetting it is safe.
    while (!by_age_.empty() && by_age_.front().first < now_s - window_s) {
        seen_.erase(by_age_.front().second);
        by_age_.pop_front();
    }
    if (!seen_.insert(signature).second) return false;
    // Kept in arrival order; timestamps within a window may arrive out of
    // order, so pruning is by arrival — an entry may live up to 2×window, never less.
    by_age_.emplace_back(timestamp_s, signature);
    return true;
}

std::string verify_kiosk(const KioskHeaders& h, const std::string& method, const std::string& path,
                         const std::string& body, const std::map<std::string, std::string>& secrets, int64_t now_s,
                         int64_t window_s, ReplayGuard& guard) {
    auto secret = secrets.find(h.kiosk_id);
    if (h.kiosk_id.empty() || secret == secrets.end()) return "unknown_kiosk";
    int64_t timestamp = 0;
    const char* end = h.timestamp.data() + h.timestamp.size();
    auto [ptr, ec] = std::from_chars(h.timestamp.data(), end, timestamp);
    if (h.timestamp.empty() || ec != std::errc() || ptr != end) return "bad_timestamp";
    if (timestamp < now_s - window_s || timestamp > now_s + window_s) return "stale_timestamp";
    if (h.nonce.empty() || h.nonce.size() > 64) return "bad_nonce";
    if (!same_secret(h.signature, sign_request(secret->second, method, path, timestamp, h.nonce, body)))
        return "bad_signature";
    if (!guard.first_sight(h.signature, timestamp, now_s, window_s)) return "replayed";
    return "";
}

}  // namespace crm
