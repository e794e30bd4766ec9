#include "i18n/strings.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "platform/log.h"

namespace kiosk {

bool StringTable::load(const std::string& dir, std::string* error) {
    for (Lang lang : kAllLangs) {
        std::string path = dir + "/" + lang_code(lang) + ".json";
        std::ifstream in(path);
        if (!in) {
            *error = path + ": cannot be read";
            return false;
        }
        nlohmann::json doc = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
        if (doc.is_discarded() || !doc.is_object()) {
            *error = path + ": not a JSON object of key → string";
            return false;
        }
        auto& table = tables_[size_t(lang)];
        table.clear();
        for (auto& [key, value] : doc.items()) {
            if (!value.is_string()) {
                *error = path + ": value of \"" + key + "\" is not a string";
                return false;
            }
            table[key] = value.get<std::string>();
        }
    }
    return true;
}

const std::string& StringTable::get(Lang lang, const std::string& key) const {
    const auto& table = tables_[size_t(lang)];
    if (auto it = table.find(key); it != table.end()) return it->second;

    std::lock_guard<std::mutex> lock(logged_mutex_);
    if (logged_missing_.insert(std::string(lang_code(lang)) + "/" + key).second)
        log_warn("i18n: key \"%s\" missing in %s, showing English", key.c_str(), lang_code(lang));
    const auto& english = tables_[size_t(Lang::en)];
    if (auto it = english.find(key); it != english.end()) return it->second;
    return *unknown_keys_.insert(key).first;
}

std::string StringTable::format(Lang lang, const std::string& key, const std::string& name,
                                const std::string& value) const {
    std::string text = get(lang, key);
    std::string placeholder = "{" + name + "}";
    for (size_t at = text.find(placeholder); at != std::string::npos; at = text.find(placeholder, at + value.size()))
        text.replace(at, placeholder.size(), value);
    return text;
}

std::vector<std::string> StringTable::keys() const {
    std::vector<std::string> out;
    for (auto& [key, value] : tables_[size_t(Lang::en)]) out.push_back(key);
    return out;
}

bool StringTable::has(Lang lang, const std::string& key) const { return tables_[size_t(lang)].count(key) != 0; }

std::string StringTable::all_text() const {
    std::string out;
    for (auto& table : tables_)
        for (auto& [key, value] : table) out += value;
    return out;
}

double StringTable::coverage(Lang lang) const {
    const auto& english = tables_[size_t(Lang::en)];
    if (english.empty()) return 0.0;
    size_t present = 0;
    for (auto& [key, value] : english) present += tables_[size_t(lang)].count(key);
    return double(present) / double(english.size());
}

}  // namespace kiosk
