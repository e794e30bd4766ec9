#include "touch/keyboard_layout.h"

#include <algorithm>
#include <random>

namespace kiosk {

namespace {
Key letter(const std::string& s) { return Key{s, s, KeyAction::insert, 1.0f}; }
KeyRow letters(const std::string& row) {
    KeyRow keys;
    for (char c : row) keys.push_back(letter(std::string(1, c)));
    return keys;
}
const Key kBackspace{"←", "", KeyAction::backspace, 1.5f};
const Key kDone{"OK", "", KeyAction::done, 1.5f};
}  // namespace

std::vector<KeyRow> number_pad(uint32_t shuffle_seed) {
    std::vector<std::string> digits = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "0"};
    if (shuffle_seed != 0) {
        std::mt19937 random(shuffle_seed);
        std::shuffle(digits.begin(), digits.end(), random);
    }
    std::vector<KeyRow> rows;
    for (int r = 0; r < 3; ++r)
        rows.push_back({letter(digits[size_t(r * 3)]), letter(digits[size_t(r * 3 + 1)]), letter(digits[size_t(r * 3 + 2)])});
    rows.push_back({Key{"←", "", KeyAction::backspace, 1.0f}, letter(digits[9]), Key{"OK", "", KeyAction::done, 1.0f}});
    return rows;
}

std::vector<KeyRow> latin_keyboard(LatinLayer layer) {
    std::vector<KeyRow> rows;
    if (layer == LatinLayer::accents) {
        rows.push_back({letter("á"), letter("é"), letter("í"), letter("ó"), letter("ú"), letter("ü"), letter("ñ")});
        rows.push_back({letter("Á"), letter("É"), letter("Í"), letter("Ó"), letter("Ú"), letter("Ü"), letter("Ñ")});
        rows.push_back({letter("¿"), letter("?"), letter("¡"), letter("!"), letter(","), letter("."), letter("@"),
                        letter("-"), letter("'")});
    } else {
        bool upper = layer == LatinLayer::upper;
        for (std::string row : {"qwertyuiop", "asdfghjkl", "zxcvbnm"}) {
            if (upper) std::transform(row.begin(), row.end(), row.begin(), [](char c) { return char(c - 'a' + 'A'); });
            rows.push_back(letters(row));
        }
        rows.back().push_back(letter(","));
        rows.back().push_back(letter("."));
    }
    rows.push_back({Key{"Aa", "", KeyAction::shift, 1.5f}, Key{"áñ¿", "", KeyAction::accents, 1.5f},
                    Key{"space", " ", KeyAction::space, 4.0f}, kBackspace, kDone});
    return rows;
}

std::vector<KeyRow> code_keyboard() {
    std::vector<KeyRow> rows = {letters("1234567890"), letters("QWERTYUIOP"), letters("ASDFGHJKL"), letters("ZXCVBNM-")};
    rows.push_back({kBackspace, kDone});
    return rows;
}

std::vector<KeyRow> pinyin_keyboard() {
    std::vector<KeyRow> rows = {letters("qwertyuiop"), letters("asdfghjkl"), letters("zxcvbnm")};
    rows.back().push_back(letter("，"));
    rows.back().push_back(letter("。"));
    rows.push_back({Key{"space", " ", KeyAction::space, 5.0f}, kBackspace, kDone});
    return rows;
}

}  // namespace kiosk
