#include "domain/guest_codes.h"

#include <openssl/rand.h>

namespace kiosk {

std::string code_from_bytes(char prefix, const std::array<unsigned char, 5>& bytes) {
    uint64_t bits = 0;
    for (unsigned char b : bytes) bits = bits << 8 | b;
    std::string out{prefix, '-'};
    for (int i = 7; i >= 0; --i) {
        out.push_back(kCodeAlphabet[(bits >> (5 * i)) & 31]);
        if (i == 4) out.push_back('-');
    }
    return out;
}

std::string random_code(char prefix) {
    std::array<unsigned char, 5> bytes{};
    if (RAND_bytes(bytes.data(), int(bytes.size())) != 1) return {};
    return code_from_bytes(prefix, bytes);
}

std::optional<std::string> parse_guest_code(std::string_view typed, char prefix) {
    std::string symbols;
    for (char c : typed) {
        if (c == ' ' || c == '-' || c == '\t' || c == '\r' || c == '\n') continue;
        if (c >= 'a' && c <= 'z') c = char(c - 'a' + 'A');
        if (symbols.size() > 9) return std::nullopt;
        symbols.push_back(c);
    }
    // The prefix letter is optional when typing: eight symbols alone are the code.
    if (symbols.size() == 9 && symbols[0] == prefix) symbols.erase(0, 1);
    if (symbols.size() != 8) return std::nullopt;
    std::string out{prefix, '-'};
    for (size_t i = 0; i < symbols.size(); ++i) {
        char c = symbols[i];
        if (c == 'O') c = '0';
        if (c == 'I' || c == 'L') c = '1';
        if (kCodeAlphabet.find(c) == std::string_view::npos) return std::nullopt;
        out.push_back(c);
        if (i == 3) out.push_back('-');
    }
    return out;
}

std::string random_lookup_code() {
    std::string out;
    while (out.size() < kLookupCodeDigits) {
        unsigned char b = 0;
        if (RAND_bytes(&b, 1) != 1) return {};
        if (b < 250) out.push_back(char('0' + b % 10));  // 250 = 25 × 10: no digit more likely than another
    }
    return out;
}

std::string random_page_guard() {
    std::array<unsigned char, 10> bytes{};  // 80 bits: 16 symbols of 5 bits
    if (RAND_bytes(bytes.data(), int(bytes.size())) != 1) return {};
    std::string out;
    for (size_t i = 0; i < 16; ++i) {
        size_t bit = i * 5;
        unsigned v = (unsigned(bytes[bit / 8]) << 8 | (bit / 8 + 1 < bytes.size() ? bytes[bit / 8 + 1] : 0u)) >> (11 - bit % 8);
        out.push_back(kCodeAlphabet[v & 31u]);
    }
    return out;
}

bool is_lookup_code(std::string_view text) {
    if (text.size() != kLookupCodeDigits) return false;
    for (char c : text)
        if (c < '0' || c > '9') return false;
    return true;
}

}  // namespace kiosk
