#include "i18n/strings.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "platform/log.h"
#include "platform/utf8.h"

namespace kiosk {

bool StringTable::load_file(const std::string& path, Lang lang, std::string* error) {
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
    for (auto& [key, value] : doc.items()) {
        if (!value.is_string()) {
            *error = path + ": value of \"" + key + "\" is not a string";
            return false;
        }
        // Two files defining one key would make the winner depend on directory order.
        if (!table.emplace(key, value.get<std::string>()).second) {
            *error = path + ": key \"" + key + "\" is already defined in another file";
            return false;
        }
    }
    return true;
}

bool StringTable::load(const std::string& dir, std::string* error) {
    namespace fs = std::filesystem;
    // The core table first, then each feature folder in name order.
    std::vector<std::string> folders = {dir};
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec))
        if (entry.is_directory()) folders.push_back(entry.path().string());
    std::sort(folders.begin() + 1, folders.end());
    for (Lang lang : kAllLangs) {
        tables_[size_t(lang)].clear();
        for (const std::string& folder : folders) {
            std::string path = folder + "/" + lang_code(lang) + ".json";
            if (folder != dir && !fs::exists(path)) {
                *error = path + ": missing (every feature folder has all four languages)";
                return false;
            }
            if (!load_file(path, lang, error)) return false;
        }
    }
    return true;
}

bool StringTable::apply_overrides(const std::string& translations_json, OverrideReport* report) {
    *report = OverrideReport{};
    nlohmann::json doc = nlohmann::json::parse(translations_json, nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded() || !doc.is_object() || !doc.contains("strings") || !doc["strings"].is_object()) {
        report->error = "translations: not an object with \"strings\"";
        return false;
    }
    std::array<std::map<std::string, std::string>, 4> next;
    for (auto& [key, by_lang] : doc["strings"].items()) {
        if (!tables_[size_t(Lang::en)].count(key)) {
            ++report->unknown_keys;
            continue;
        }
        if (!by_lang.is_object()) {
            ++report->refused;
            continue;
        }
        for (auto& [code, text] : by_lang.items()) {
            std::optional<Lang> lang = lang_from_code(code);
            if (!lang) continue;  // a language this kiosk does not offer
            // Whatever the CRM sends ends up on the glass: it must be text we can draw.
            if (!text.is_string() || text.get_ref<const std::string&>().empty() ||
                text.get_ref<const std::string&>().size() > kMaxOverrideBytes ||
                !platform::is_valid_utf8(text.get_ref<const std::string&>()) ||
                platform::has_control_characters(text.get_ref<const std::string&>())) {
                ++report->refused;
                continue;
            }
            next[size_t(*lang)][key] = text.get<std::string>();
            ++report->applied;
        }
    }
    overrides_ = std::move(next);
    return true;
}

int StringTable::override_count() const {
    int n = 0;
    for (auto& table : overrides_) n += int(table.size());
    return n;
}

const std::string& StringTable::get(Lang lang, const std::string& key) const {
    if (auto it = overrides_[size_t(lang)].find(key); it != overrides_[size_t(lang)].end()) return it->second;
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
    for (auto& table : overrides_)
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
