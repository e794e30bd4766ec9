#include "app/secrets.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <vector>

namespace kiosk {

namespace {

constexpr int kPinIterations = 100'000;  // ~40 ms on the kiosk's CPU: one tap, but slow to guess offline
constexpr size_t kMaxSecretBytes = 4096;

std::string to_hex(const unsigned char* bytes, size_t n) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (size_t i = 0; i < n; ++i) {
        out += digits[bytes[i] >> 4];
        out += digits[bytes[i] & 15];
    }
    return out;
}

std::string pbkdf2_hex(const std::string& pin, const std::string& salt_hex, int iterations) {
    unsigned char out[32];
    PKCS5_PBKDF2_HMAC(pin.data(), int(pin.size()), reinterpret_cast<const unsigned char*>(salt_hex.data()),
                      int(salt_hex.size()), iterations, EVP_sha256(), sizeof out, out);
    return to_hex(out, sizeof out);
}

std::string trim_line_ends(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
    return text;
}

bool is_hex(const std::string& s) { return !s.empty() && s.find_first_not_of("0123456789abcdef") == std::string::npos; }

}  // namespace

bool read_private_file(const std::string& path, size_t max_bytes, std::string* text, std::string* error) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        *error = path + ": cannot be read";
        return false;
    }
    struct stat st {};
    // Checked on the open file, not the path: nothing can swap it in between.
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        *error = path + ": not a regular file";
        return false;
    }
    if (st.st_mode & 077) {
        ::close(fd);
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", unsigned(st.st_mode & 07777));
        *error = path + ": mode " + mode + " lets others read it; make it readable by its owner alone (chmod 600)";
        return false;
    }
    if (size_t(st.st_size) > max_bytes) {
        ::close(fd);
        *error = path + ": larger than " + std::to_string(max_bytes) + " bytes";
        return false;
    }
    std::vector<char> buffer(max_bytes + 1);
    ssize_t got = ::read(fd, buffer.data(), buffer.size());
    ::close(fd);
    if (got < 0 || size_t(got) > max_bytes) {
        *error = path + ": cannot be read";
        return false;
    }
    text->assign(buffer.data(), size_t(got));
    OPENSSL_cleanse(buffer.data(), buffer.size());
    return true;
}

std::string hash_staff_pin(const std::string& pin) {
    unsigned char salt[16];
    if (RAND_bytes(salt, sizeof salt) != 1) return {};
    std::string salt_hex = to_hex(salt, sizeof salt);
    return "pbkdf2-sha256$" + std::to_string(kPinIterations) + "$" + salt_hex + "$" +
           pbkdf2_hex(pin, salt_hex, kPinIterations);
}

namespace {
struct PinHash {
    int iterations = 0;
    std::string salt_hex, hash_hex;
};

// pbkdf2-sha256$ITER$SALT$HASH, bounded in every part.
bool parse_pin_hash(const std::string& stored, PinHash* out) {
    const std::string prefix = "pbkdf2-sha256$";
    if (stored.rfind(prefix, 0) != 0) return false;
    std::string rest = stored.substr(prefix.size());
    auto a = rest.find('$');
    auto b = a == std::string::npos ? a : rest.find('$', a + 1);
    if (b == std::string::npos) return false;
    std::string iterations_text = rest.substr(0, a);
    out->salt_hex = rest.substr(a + 1, b - a - 1);
    out->hash_hex = rest.substr(b + 1);
    if (iterations_text.empty() || iterations_text.size() > 7 ||
        iterations_text.find_first_not_of("0123456789") != std::string::npos)
        return false;
    out->iterations = std::stoi(iterations_text);
    return out->iterations >= 1000 && is_hex(out->salt_hex) && out->salt_hex.size() >= 16 &&
           out->salt_hex.size() <= 64 && out->hash_hex.size() == 64 && is_hex(out->hash_hex);
}
}  // namespace

bool staff_pin_matches(const std::string& stored_hash, const std::string& pin) {
    PinHash parsed;
    if (pin.empty() || !parse_pin_hash(stored_hash, &parsed)) return false;
    std::string again = pbkdf2_hex(pin, parsed.salt_hex, parsed.iterations);
    return CRYPTO_memcmp(again.data(), parsed.hash_hex.data(), 64) == 0;
}

bool is_loopback_url(const std::string& url) {
    const std::string scheme = "http://";
    if (url.rfind(scheme, 0) != 0) return false;
    std::string authority = url.substr(scheme.size());
    authority = authority.substr(0, authority.find_first_of("/?#"));
    // "http://127.0.0.1@crm.example/" goes to crm.example: user info never counts as the host.
    if (authority.find('@') != std::string::npos) return false;
    std::string host;
    if (!authority.empty() && authority[0] == '[') {
        auto close = authority.find(']');
        if (close == std::string::npos) return false;
        host = authority.substr(0, close + 1);
    } else {
        host = authority.substr(0, authority.find(':'));
    }
    if (host == "localhost" || host == "[::1]") return true;
    // 127.0.0.0/8, written as four decimal numbers (no "127.1", no hex: libcurl would read those differently).
    if (host.rfind("127.", 0) != 0) return false;
    int parts = 0;
    size_t start = 0;
    while (start <= host.size()) {
        size_t dot = host.find('.', start);
        std::string part = host.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        if (part.empty() || part.size() > 3 || part.find_first_not_of("0123456789") != std::string::npos ||
            std::stoi(part) > 255)
            return false;
        ++parts;
        if (dot == std::string::npos) break;
        start = dot + 1;
    }
    return parts == 4;
}

bool load_kiosk_secrets(KioskConfig* config, std::string* error) {
    if (config->crm_url.rfind("http://", 0) == 0 && !is_loopback_url(config->crm_url)) {
        *error = "crm_url " + config->crm_url +
                 ": plain http:// only to a CRM on this machine (127.0.0.1, localhost, [::1]); use https://";
        return false;
    }
    if (!config->kiosk_secret_file.empty()) {
        std::string text;
        if (!read_private_file(config->kiosk_secret_file, kMaxSecretBytes, &text, error)) {
            *error = "kiosk_secret_file " + *error;
            return false;
        }
        text = trim_line_ends(text);
        if (text.empty() || text.find_first_of(" \t\r\n") != std::string::npos) {
            *error = "kiosk_secret_file " + config->kiosk_secret_file + ": must hold the secret alone on one line";
            return false;
        }
        config->kiosk_secret = text;
        OPENSSL_cleanse(text.data(), text.size());
    } else if (!config->demo) {
        *error = "no kiosk secret: name a file only the kiosk user can read with kiosk_secret_file "
                 "(or run with --demo)";
        return false;
    }
    if (!config->demo && config->kiosk_secret == kDemoKioskSecret) {
        *error = "kiosk_secret_file " + config->kiosk_secret_file + ": holds the demo secret; outside --demo each "
                 "kiosk needs its own";
        return false;
    }
    if (!config->admin_pin_file.empty()) {
        std::string text;
        if (!read_private_file(config->admin_pin_file, 512, &text, error)) {
            *error = "admin_pin_file " + *error;
            return false;
        }
        text = trim_line_ends(text);
        PinHash parsed;
        if (!parse_pin_hash(text, &parsed)) {
            *error = "admin_pin_file " + config->admin_pin_file + ": must hold a hash made by `kiosk --hash-pin`";
            return false;
        }
        if (!config->demo && staff_pin_matches(text, kDemoStaffPin)) {
            *error = "admin_pin_file " + config->admin_pin_file + ": holds the demo staff PIN; choose another";
            return false;
        }
        config->admin_pin_hash = text;
    } else if (config->demo) {
        config->admin_pin_hash = hash_staff_pin(kDemoStaffPin);
    } else {
        config->admin_pin_hash.clear();  // no PIN set: staff mode stays locked
    }
    return true;
}

}  // namespace kiosk
