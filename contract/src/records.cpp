#include "crm_contract/records.h"

#include <algorithm>
#include <array>

namespace crm_contract {

using nlohmann::json;

namespace {

constexpr std::array<std::string_view, 11> kRecordTypes = {
    "feedback", "feedback_follow_up", "survey_answer", "complaint",  "complaint_satisfaction",
    "booking",  "booking_move",       "booking_cancel", "redemption", "points_gift", "help"};
constexpr std::array<std::string_view, 3> kAnonymousTypes = {"feedback", "feedback_follow_up", "survey_answer"};

// Named numbers and their ranges, whatever the type; the reason names the field.
struct NumberRange {
    std::string_view field;
    int64_t min, max;
    std::string_view reason;
};
constexpr NumberRange kNumberFieldRanges[] = {
    {"points", 1, 10'000'000, "invalid_points"},
    {"cash_fen", 0, 100'000'000, "invalid_cash"},  // at most 1,000,000 yuan paid at the cashier
    {"face", 0, 3, "invalid_face"},
    {"hour_ms", 0, kMaxWallMs, "number_out_of_range"},
};

// Named texts shorter than the general limit.
struct TextLimit {
    std::string_view field;
    size_t max_bytes;
};
constexpr TextLimit kTextFieldLimits[] = {
    {"card", 32},   {"from_card", 32}, {"to_card", 32}, {"contact_phone", 32}, {"phone_last4", 32},
    {"ticket", 64}, {"code", 64},      {"slot", 64},    {"person", 128},       {"reward", 64},
    {"voucher", 64}, {"mode", 16},     {"receipt", 32}, {"survey", 64}, {"lookup_code", 16},
};

template <size_t N>
bool contains(const std::array<std::string_view, N>& list, std::string_view s) {
    return std::find(list.begin(), list.end(), s) != list.end();
}

}  // namespace

int64_t hour_of(int64_t wall_ms) {
    int64_t r = wall_ms % kHourMs;
    return wall_ms - (r < 0 ? r + kHourMs : r);
}

bool is_record_type(std::string_view type) { return contains(kRecordTypes, type); }
bool is_anonymous_type(std::string_view type) { return contains(kAnonymousTypes, type); }

JsonBounds payload_bounds() {
    JsonBounds b;
    b.max_bytes = kMaxPayloadBytes;
    b.max_depth = kMaxPayloadDepth;
    b.max_text_bytes = kMaxPayloadTextBytes;
    b.max_items = kMaxPayloadItems;
    return b;
}

std::string check_record(std::string_view key, std::string_view type, std::string_view payload,
                         int64_t created_at_ms, json* tree) {
    if (key.empty() || key.size() > kMaxKeyBytes) return "invalid_key";
    if (!is_record_type(type)) return "unknown_type";
    if (created_at_ms < 0 || created_at_ms > kMaxWallMs) return "invalid_created_at";
    JsonProblem problem;
    std::optional<json> doc = parse_bounded(payload, payload_bounds(), &problem);
    switch (problem) {
        case JsonProblem::none: break;
        case JsonProblem::too_large: return "payload_too_large";
        case JsonProblem::too_deep: return "payload_too_deep";
        case JsonProblem::not_json: return "payload_not_json";
        default: return json_problem_code(problem);
    }
    if (!doc->is_object()) return "payload_not_json";
    for (const NumberRange& range : kNumberFieldRanges) {
        auto it = doc->find(std::string(range.field));
        if (it == doc->end() || it->is_null()) continue;
        if (!it->is_number_integer()) return std::string(range.reason);
        int64_t v = it->get<int64_t>();
        if (v < range.min || v > range.max) return std::string(range.reason);
    }
    for (const TextLimit& limit : kTextFieldLimits) {
        auto it = doc->find(std::string(limit.field));
        if (it != doc->end() && it->is_string() && it->get_ref<const std::string&>().size() > limit.max_bytes)
            return "text_too_long";
    }
    *tree = std::move(*doc);
    return "";
}

bool is_final_rejection(std::string_view reason) {
    static constexpr std::string_view kFinal[] = {
        // any type: the record itself is wrong and will be wrong on every try
        "invalid_key", "unknown_type", "invalid_created_at", "payload_too_large", "payload_too_deep",
        "payload_not_json", "text_too_long", "too_many_items", "number_out_of_range", "idempotency_conflict",
        // complaints
        "missing_ticket", "invalid_ticket", "duplicate_ticket", "invalid_lookup_code",
        // a complaint, booking or voucher whose phone page guard is not 16 base-32 symbols (record_pages.h)
        "invalid_page_guard",
        // bookings ("guard_required": a move or cancel that names no guard, from a kiosk before 0.3)
        "missing_booking_code", "no_such_booking", "no_such_slot", "slot_in_the_past", "missing_person",
        "duplicate_booking_code", "slot_taken", "already_booked_that_day", "guard_required",
        // points
        "invalid_points", "invalid_cash", "invalid_mode", "unknown_reward", "price_changed", "no_offline_grant",
        "invalid_grant", "grant_expired", "over_offline_cap", "unknown_member", "insufficient_points", "gift_to_self",
        "unknown_recipient",
        // feedback and surveys
        "invalid_face", "unknown_survey_version", "invalid_answers",
        // calls for help: the screen's name and nothing else
        "invalid_screen", "unexpected_field",
    };
    return std::find(std::begin(kFinal), std::end(kFinal), reason) != std::end(kFinal);
}

}  // namespace crm_contract
