#include "domain/privacy.h"

#include "platform/utf8.h"

#include <vector>

namespace kiosk {

namespace {
// The name's code points, each re-encoded: masking never produces invalid
// UTF-8 (an invalid byte becomes U+FFFD and is masked like any other).
std::vector<std::string> code_points(const std::string& s) {
    std::vector<std::string> out;
    platform::for_each_code_point(s, [&out](uint32_t cp) {
        std::string one;
        platform::append_utf8(one, cp);
        out.push_back(std::move(one));
    });
    return out;
}

std::string mask_word(const std::vector<std::string>& cps) {
    std::string out;
    if (cps.empty()) return out;
    if (cps.size() == 1) return "*";
    if (cps.size() == 2) return cps[0] + "*";
    bool latin = cps.front().size() == 1;
    out = cps.front();
    for (size_t i = 1; i + 1 < cps.size(); ++i) out += "*";
    // Chinese names keep their last character (张*明); Latin words do not.
    out += latin ? std::string("*") : cps.back();
    return out;
}
}  // namespace

std::string mask_name(const std::string& name) {
    std::string out;
    std::vector<std::string> word;
    for (auto& cp : code_points(name)) {
        if (cp == " ") {
            out += mask_word(word) + " ";
            word.clear();
        } else {
            word.push_back(cp);
        }
    }
    return out + mask_word(word);
}

std::string mask_card(const std::string& number) {
    std::string digits;
    for (char c : number)
        if (c >= '0' && c <= '9') digits += c;
    if (digits.size() <= 4) return "••••";
    return "•••• " + digits.substr(digits.size() - 4);
}

std::string mask_phone(const std::string& number) {
    std::string digits;
    for (char c : number)
        if (c >= '0' && c <= '9') digits += c;
    if (digits.size() < 7) return std::string(digits.size(), '*');
    return digits.substr(0, 3) + std::string(digits.size() - 7, '*') + digits.substr(digits.size() - 4);
}

}  // namespace kiosk
