#include "content/help_desk.h"

#include <nlohmann/json.hpp>

#include "platform/utf8.h"

namespace kiosk {

namespace {

std::optional<LocalizedText> texts_of(const nlohmann::json& entry) {
    if (!entry.is_object()) return std::nullopt;
    LocalizedText text;
    bool any = false;
    for (Lang lang : kAllLangs) {
        auto it = entry.find(lang_code(lang));
        if (it == entry.end() || !it->is_string()) continue;
        const std::string& s = it->get_ref<const std::string&>();
        if (s.empty() || s.size() > kMaxHelpDeskTextBytes || !platform::is_valid_utf8(s)) continue;
        text.by_lang[size_t(lang)] = s;
        any = true;
    }
    if (!any) return std::nullopt;
    return text;
}

}  // namespace

std::optional<LocalizedText> help_desk_for(std::string_view body, const std::string& kiosk_id) {
    if (body.size() > kMaxHelpDeskBytes) return std::nullopt;
    nlohmann::json doc = nlohmann::json::parse(body, nullptr, false);
    if (!doc.is_object()) return std::nullopt;
    auto kiosks = doc.find("kiosks");
    if (kiosks != doc.end() && kiosks->is_object()) {
        auto mine = kiosks->find(kiosk_id);
        if (mine != kiosks->end())
            if (auto text = texts_of(*mine)) return text;
    }
    auto fallback = doc.find("default");
    return fallback != doc.end() ? texts_of(*fallback) : std::nullopt;
}

}  // namespace kiosk
