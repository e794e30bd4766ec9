#include "platform/utf8.h"

namespace platform {

namespace {
// Decodes the sequence at s[i]; returns its length, or 0 when it is not well-formed.
size_t decode(std::string_view s, size_t i, uint32_t* cp) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + len > s.size()) return 0;
    uint32_t value = len == 1 ? c : len == 2 ? c & 0x1Fu : len == 3 ? c & 0x0Fu : c & 0x07u;
    for (size_t k = 1; k < len; ++k) {
        unsigned char cc = static_cast<unsigned char>(s[i + k]);
        if ((cc & 0xC0) != 0x80) return 0;
        value = (value << 6) | (cc & 0x3Fu);
    }
    if ((len == 2 && value < 0x80) || (len == 3 && value < 0x800) || (len == 4 && value < 0x10000) ||
        value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF))
        return 0;
    *cp = value;
    return len;
}
}  // namespace

bool is_valid_utf8(std::string_view s) {
    uint32_t cp = 0;
    for (size_t i = 0; i < s.size();) {
        size_t len = decode(s, i, &cp);
        if (len == 0) return false;
        i += len;
    }
    return true;
}

void for_each_code_point(std::string_view s, const std::function<void(uint32_t)>& fn) {
    uint32_t cp = 0;
    for (size_t i = 0; i < s.size();) {
        size_t len = decode(s, i, &cp);
        if (len == 0) {
            fn(0xFFFD);
            i += 1;
        } else {
            fn(cp);
            i += len;
        }
    }
}

size_t count_code_points(std::string_view s) {
    size_t n = 0;
    for_each_code_point(s, [&n](uint32_t) { ++n; });
    return n;
}

bool has_control_characters(std::string_view s) {
    bool found = false;
    for_each_code_point(s, [&found](uint32_t cp) {
        if ((cp < 0x20 && cp != '\n' && cp != '\t') || (cp >= 0x7F && cp < 0xA0)) found = true;
    });
    return found;
}

void append_utf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
        out += char(cp);
    } else if (cp < 0x800) {
        out += char(0xC0 | (cp >> 6));
        out += char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += char(0xE0 | (cp >> 12));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    } else {
        out += char(0xF0 | (cp >> 18));
        out += char(0x80 | ((cp >> 12) & 0x3F));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    }
}

}  // namespace platform
