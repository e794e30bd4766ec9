// kiosk/i18n/strings.h — key-based string tables (assets/i18n/<lang>.json,
// and one file per language in each feature folder: assets/i18n/<area>/<lang>.json).
//
// Every key exists in every language (a test enforces it, and that every key
// is used somewhere in kiosk/). A key missing at run time falls back to
// English and is logged once; a key missing everywhere shows the key itself.
//
// The hospital may reword any string from its CRM (content "translations",
// docs/crm-api.md): overrides win over the shipped text, but only for keys the
// kiosk has — the CRM cannot add keys no screen uses — and only with valid,
// bounded UTF-8 text. Overrides change on the UI thread, between frames.
//
// Index
//   StringTable::load(dir, &error)    read all four tables; false + a message naming the file on failure
//   StringTable::apply_overrides(json, &report)   replace all overrides with the CRM's "translations" (UI thread)
//   StringTable::override_count()     how many (language, key) strings the CRM currently overrides
//   StringTable::get(lang, key)       the string for key in lang (override, shipped, English, then the key)
//   StringTable::format(lang, key, name, value)   get() with "{name}" replaced by value
//   StringTable::keys()               every key of the English table, sorted
//   StringTable::has(lang, key)       whether that language has the key (coverage checks)
//   StringTable::all_text()           every string of every language, for building the glyph atlas
//   StringTable::coverage(lang)       fraction of English keys present in lang
#pragma once

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "i18n/lang.h"

namespace kiosk {

// What apply_overrides() did: counts for the log and the staff screen.
struct OverrideReport {
    int applied = 0;        // (language, key) strings now overridden
    int unknown_keys = 0;   // keys the kiosk does not have: ignored
    int refused = 0;        // texts that were not strings, not valid UTF-8, had control characters or were too long
    std::string error;      // the document itself was unusable (then nothing changed)
};

inline constexpr size_t kMaxOverrideBytes = 2000;

class StringTable {
public:
    bool load(const std::string& dir, std::string* error);
    bool apply_overrides(const std::string& translations_json, OverrideReport* report);
    int override_count() const;
    const std::string& get(Lang lang, const std::string& key) const;
    std::string format(Lang lang, const std::string& key, const std::string& name, const std::string& value) const;
    std::vector<std::string> keys() const;
    bool has(Lang lang, const std::string& key) const;
    std::string all_text() const;
    double coverage(Lang lang) const;

private:
    bool load_file(const std::string& path, Lang lang, std::string* error);

    std::array<std::map<std::string, std::string>, 4> tables_;
    std::array<std::map<std::string, std::string>, 4> overrides_;
    mutable std::mutex logged_mutex_;
    mutable std::set<std::string> logged_missing_;  // "lang/key" already logged: once is enough
    mutable std::set<std::string> unknown_keys_;    // keys missing everywhere: stored so get() can return a reference
};

}  // namespace kiosk
