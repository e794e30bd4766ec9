// kiosk/i18n/lang.h — the four languages of the lobby, and text in all of them.
//
// Index
//   Lang, kAllLangs                 zh-Hans (default), zh-Hant, en, es
//   lang_code(lang)                 "zh-Hans", …
//   lang_from_code(code)            the Lang for a code, or nullopt
//   LocalizedText::in(lang)         the text in lang; else Simplified Chinese, else English, else ""
//   LocalizedText::missing()        which languages have no text (content checks, staff coverage)
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk {

enum class Lang { zh_Hans = 0, zh_Hant = 1, en = 2, es = 3 };
inline constexpr std::array<Lang, 4> kAllLangs = {Lang::zh_Hans, Lang::zh_Hant, Lang::en, Lang::es};
inline constexpr Lang kDefaultLang = Lang::zh_Hans;

const char* lang_code(Lang lang);
std::optional<Lang> lang_from_code(std::string_view code);

struct LocalizedText {
    std::array<std::string, 4> by_lang;
    const std::string& in(Lang lang) const;
    std::vector<Lang> missing() const;
};

}  // namespace kiosk
