#include "i18n/lang.h"

namespace kiosk {

const char* lang_code(Lang lang) {
    switch (lang) {
        case Lang::zh_Hans: return "zh-Hans";
        case Lang::zh_Hant: return "zh-Hant";
        case Lang::en: return "en";
        case Lang::es: return "es";
    }
    return "zh-Hans";
}

std::optional<Lang> lang_from_code(std::string_view code) {
    for (Lang lang : kAllLangs)
        if (code == lang_code(lang)) return lang;
    return std::nullopt;
}

const std::string& LocalizedText::in(Lang lang) const {
    const std::string& wanted = by_lang[size_t(lang)];
    if (!wanted.empty()) return wanted;
    const std::string& chinese = by_lang[size_t(Lang::zh_Hans)];
    if (!chinese.empty()) return chinese;
    return by_lang[size_t(Lang::en)];
}

std::vector<Lang> LocalizedText::missing() const {
    std::vector<Lang> out;
    for (Lang lang : kAllLangs)
        if (by_lang[size_t(lang)].empty()) out.push_back(lang);
    return out;
}

}  // namespace kiosk
