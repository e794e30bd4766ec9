// kiosk/i18n/strings.h — key-based string tables (assets/i18n/<lang>.json).
//
// Every key exists in every language (a test enforces it, and that every key
// is used somewhere in kiosk/). A key missing at run time falls back to
// English and is logged once; a key missing everywhere shows the key itself.
//
// Index
//   StringTable::load(dir, &error)    read all four tables; false + a message naming the file on failure
//   StringTable::get(lang, key)       the string for key in lang (fallback: English, then the key)
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

class StringTable {
public:
    bool load(const std::string& dir, std::string* error);
    const std::string& get(Lang lang, const std::string& key) const;
    std::string format(Lang lang, const std::string& key, const std::string& name, const std::string& value) const;
    std::vector<std::string> keys() const;
    bool has(Lang lang, const std::string& key) const;
    std::string all_text() const;
    double coverage(Lang lang) const;

private:
    std::array<std::map<std::string, std::string>, 4> tables_;
    mutable std::mutex logged_mutex_;
    mutable std::set<std::string> logged_missing_;  // "lang/key" already logged: once is enough
    mutable std::set<std::string> unknown_keys_;    // keys missing everywhere: stored so get() can return a reference
};

}  // namespace kiosk
