#include "crm_contract/masking.h"

#include <vector>

#include "platform/utf8.h"

namespace crm_contract {

namespace {
// The name's code points, each re-encoded.
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
    if (cps.empty()) return "";
    if (cps.size() == 1) return "*";
    if (cps.size() == 2) return cps[0] + "*";
    bool latin = cps.front().size() == 1;
    std::string out = cps.front();
    for (size_t i = 1; i + 1 < cps.size(); ++i) out += "*";
    // Chinese names keep their last character (张*明); Latin words do not.
    out += latin ? std::string("*") : cps.back();
    return out;
}

std::string digits_of(const std::string& s) {
    std::string digits;
    for (char c : s)
        if (c >= '0' && c <= '9') digits += c;
    return digits;
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
    std::string digits = digits_of(number);
    if (digits.size() <= 4) return "••••";
    return "•••• " + digits.substr(digits.size() - 4);
}

std::string mask_phone(const std::string& number) {
    std::string digits = digits_of(number);
    if (digits.size() < 7) return std::string(digits.size(), '*');
    return digits.substr(0, 3) + std::string(digits.size() - 7, '*') + digits.substr(digits.size() - 4);
}

// Cards are 16 digits and phones 11: 8 or more in a row is treated as one of them.
std::string mask_digit_runs(const std::string& s) {
    std::string out;
    size_t i = 0;
    while (i < s.size()) {
        size_t j = i;
        while (j < s.size() && s[j] >= '0' && s[j] <= '9') ++j;
        if (j - i >= 8) {
            out += "****" + s.substr(j - 4, 4);
            i = j;
        } else if (j > i) {
            out.append(s, i, j - i);
            i = j;
        } else {
            out += s[i++];
        }
    }
    return out;
}

std::string last4(const std::string& s) { return s.size() >= 4 ? s.substr(s.size() - 4) : s; }

}  // namespace crm_contract
