#include "domain/promotion_rules.h"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <tuple>

namespace kiosk {

namespace {

using nlohmann::json;

bool read_text(const json& p, const char* field, size_t max_bytes, LocalizedText* out) {
    auto it = p.find(field);
    if (it == p.end()) return true;  // optional
    if (!it->is_object()) return false;
    for (auto& [code, value] : it->items()) {
        auto lang = lang_from_code(code);
        if (!lang) continue;  // a language the kiosk does not speak: ignored
        if (!value.is_string()) return false;
        std::string text = value.get<std::string>();
        if (text.size() > max_bytes) return false;
        out->by_lang[size_t(*lang)] = std::move(text);
    }
    return true;
}

bool valid_image_id(const std::string& id) {
    return !id.empty() && id.size() <= 64 &&
           std::all_of(id.begin(), id.end(), [](char c) { return std::isalnum((unsigned char)c) || c == '_' || c == '-'; });
}

bool valid_url(const std::string& url) {
    if (url.size() > kMaxPromotionUrlBytes) return false;
    if (url.rfind("https://", 0) != 0 && url.rfind("http://", 0) != 0) return false;
    // Printable ASCII only: what a phone's camera app opens without surprises.
    return std::all_of(url.begin(), url.end(), [](char c) { return c > 0x20 && c < 0x7F; });
}

// One offer, or nullopt when it is malformed (then it alone is skipped).
std::optional<Promotion> parse_one(const json& p) {
    if (!p.is_object()) return std::nullopt;
    Promotion out;
    auto id = p.find("id");
    if (id == p.end() || !id->is_string() || id->get<std::string>().empty() || id->get<std::string>().size() > 64)
        return std::nullopt;
    out.id = id->get<std::string>();
    auto from = p.find("valid_from_ms"), until = p.find("valid_until_ms");
    if (from == p.end() || until == p.end() || !from->is_number_integer() || !until->is_number_integer())
        return std::nullopt;
    out.valid_from_ms = from->get<int64_t>();
    out.valid_until_ms = until->get<int64_t>();
    if (out.valid_until_ms <= out.valid_from_ms) return std::nullopt;
    if (auto prio = p.find("priority"); prio != p.end()) {
        if (!prio->is_number_integer()) return std::nullopt;
        out.priority = prio->get<int64_t>();
    }
    if (auto tiers = p.find("tiers"); tiers != p.end()) {
        if (!tiers->is_array()) return std::nullopt;
        for (const json& t : *tiers) {
            if (!t.is_string()) return std::nullopt;
            // An unknown tier name aims at nobody we know: it adds no one.
            if (auto tier = tier_from_code(t.get<std::string>())) out.tiers.push_back(*tier);
        }
        // Named only tiers we do not know: shown to no one rather than to everyone.
        if (!tiers->empty() && out.tiers.empty()) return std::nullopt;
    }
    if (auto langs = p.find("languages"); langs != p.end()) {
        if (!langs->is_array()) return std::nullopt;
        for (const json& l : *langs) {
            if (!l.is_string()) return std::nullopt;
            if (auto lang = lang_from_code(l.get<std::string>())) out.languages.push_back(*lang);
        }
        if (!langs->empty() && out.languages.empty()) return std::nullopt;
    }
    if (!read_text(p, "title", kMaxPromotionTitleBytes, &out.title) ||
        !read_text(p, "body", kMaxPromotionBodyBytes, &out.body))
        return std::nullopt;
    if (out.title.missing().size() == kAllLangs.size()) return std::nullopt;  // nothing to show
    // A bad image id or link costs only the picture or the QR code, not the offer.
    if (auto image = p.find("image"); image != p.end() && image->is_string() && valid_image_id(*image))
        out.image = image->get<std::string>();
    if (auto url = p.find("url"); url != p.end() && url->is_string() && valid_url(*url)) out.url = url->get<std::string>();
    return out;
}

}  // namespace

PromotionSet parse_promotions(std::string_view json_text) {
    PromotionSet set;
    json doc = json::parse(json_text, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) {
        set.error = "the promotions are not a JSON object";
        return set;
    }
    auto list = doc.find("promotions");
    if (list == doc.end() || !list->is_array()) {
        set.error = "the promotions have no \"promotions\" list";
        return set;
    }
    if (auto version = doc.find("version"); version != doc.end())
        set.version = version->is_string() ? version->get<std::string>() : version->dump();
    for (const json& p : *list) {
        if (set.promotions.size() >= kMaxPromotions) {
            ++set.skipped;
            continue;
        }
        auto parsed = parse_one(p);
        if (!parsed) {
            ++set.skipped;
            continue;
        }
        // Two offers with one id: the first wins, so a screen never shows an id twice.
        bool seen = std::any_of(set.promotions.begin(), set.promotions.end(),
                                [&](const Promotion& q) { return q.id == parsed->id; });
        if (seen) ++set.skipped;
        else set.promotions.push_back(std::move(*parsed));
    }
    return set;
}

bool is_live(const Promotion& p, int64_t now_wall_ms) {
    return p.valid_from_ms <= now_wall_ms && now_wall_ms < p.valid_until_ms;
}

std::optional<Lang> text_language(const Promotion& p, Lang wanted) {
    for (Lang lang : {wanted, Lang::zh_Hans, Lang::en})
        if (!p.title.by_lang[size_t(lang)].empty()) return lang;
    return std::nullopt;
}

std::vector<ShownPromotion> promotions_for(const PromotionSet& set, const Audience& audience, int64_t now_wall_ms) {
    std::vector<ShownPromotion> out;
    for (const Promotion& p : set.promotions) {
        if (!is_live(p, now_wall_ms)) continue;
        ShownPromotion shown;
        shown.promotion = &p;
        if (!p.tiers.empty()) {
            if (!audience.tier || std::find(p.tiers.begin(), p.tiers.end(), *audience.tier) == p.tiers.end()) continue;
            shown.why = WhyShown::your_tier;
        }
        if (!p.languages.empty() &&
            std::find(p.languages.begin(), p.languages.end(), audience.lang) == p.languages.end())
            continue;
        auto lang = text_language(p, audience.lang);
        if (!lang) continue;
        shown.text_lang = *lang;
        out.push_back(shown);
    }
    auto rank = [&](const ShownPromotion& s) {
        const Promotion& p = *s.promotion;
        return std::make_tuple(s.why == WhyShown::your_tier ? 0 : 1, s.text_lang == audience.lang ? 0 : 1, -p.priority,
                               p.valid_until_ms, std::string_view(p.id));
    };
    std::sort(out.begin(), out.end(), [&](const ShownPromotion& a, const ShownPromotion& b) { return rank(a) < rank(b); });
    return out;
}

std::optional<int64_t> next_change_ms(const PromotionSet& set, int64_t now_wall_ms) {
    std::optional<int64_t> next;
    for (const Promotion& p : set.promotions)
        for (int64_t t : {p.valid_from_ms, p.valid_until_ms})
            if (t > now_wall_ms && (!next || t < *next)) next = t;
    return next;
}

}  // namespace kiosk
