#include "crm_contract/signing.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace crm_contract {

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

}  // namespace crm_contract
