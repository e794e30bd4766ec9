#include "crm_contract/record_pages.h"

#include <cctype>

namespace crm_contract {

namespace {
constexpr std::string_view kCrockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
}

char page_kind_letter(RecordPageKind kind) {
    switch (kind) {
        case RecordPageKind::complaint: return 'c';
        case RecordPageKind::booking: return 'b';
        case RecordPageKind::voucher: return 'v';
    }
    return '?';
}

std::optional<RecordPageKind> page_kind_from_letter(std::string_view letter) {
    if (letter == "c") return RecordPageKind::complaint;
    if (letter == "b") return RecordPageKind::booking;
    if (letter == "v") return RecordPageKind::voucher;
    return std::nullopt;
}

bool is_page_guard(std::string_view text) {
    if (text.size() != kPageGuardSymbols) return false;
    for (char c : text)
        if (kCrockford.find(c) == std::string_view::npos) return false;
    return true;
}

bool is_page_id(std::string_view text) {
    if (text.empty() || text.size() > kMaxPageIdBytes) return false;
    for (char c : text)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_')) return false;
    return true;
}

const char* page_id_field(std::string_view type) {
    if (type == "complaint") return "ticket";
    if (type == "booking") return "code";
    if (type == "redemption" || type == "points_gift") return "voucher";
    return "";
}

std::optional<RecordPageKind> page_kind_of(std::string_view type) {
    if (type == "complaint") return RecordPageKind::complaint;
    if (type == "booking") return RecordPageKind::booking;
    if (type == "redemption" || type == "points_gift") return RecordPageKind::voucher;
    return std::nullopt;
}

std::string record_page_path(RecordPageKind kind, std::string_view id) {
    return std::string("/r/") + page_kind_letter(kind) + "/" + std::string(id);
}

std::string record_page_url(std::string_view base, RecordPageKind kind, std::string_view id, std::string_view guard,
                            std::string_view lang) {
    if (!is_page_id(id) || !is_page_guard(guard) || base.empty()) return "";
    while (!base.empty() && base.back() == '/') base.remove_suffix(1);
    std::string url = std::string(base) + record_page_path(kind, id) + "?g=" + std::string(guard);
    if (lang == "zh-Hans" || lang == "zh-Hant" || lang == "en" || lang == "es") url += "&l=" + std::string(lang);
    return url;
}

}  // namespace crm_contract
