#include "domain/feedback_rules.h"

#include <nlohmann/json.hpp>

#include "platform/utf8.h"

namespace kiosk {

const char* face_code(int face) {
    static const char* const codes[kFaceCount] = {"very_unhappy", "unhappy", "happy", "very_happy"};
    return face >= 0 && face < kFaceCount ? codes[face] : "";
}

std::string receipt_code_from_key(std::string_view key) {
    // The first 16 hex digits of the key (dashes skipped) as a number; a key
    // with fewer digits still gives a code, just from less randomness.
    uint64_t value = 0;
    int digits = 0;
    for (char c : key) {
        int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (v < 0) continue;
        value = value * 16 + uint64_t(v);
        if (++digits == 16) break;
    }
    std::string code;
    for (size_t i = 0; i < kReceiptLength; ++i) {
        code.push_back(kReceiptAlphabet[value % kReceiptAlphabet.size()]);
        value /= kReceiptAlphabet.size();
    }
    return code;
}

bool is_receipt_code(std::string_view text) {
    if (text.size() != kReceiptLength) return false;
    for (char c : text)
        if (kReceiptAlphabet.find(c) == std::string_view::npos) return false;
    return true;
}

bool AnswerThrottle::try_accept(int64_t now_ms) {
    if (wait_ms(now_ms) > 0) return false;
    last_accepted_ms_ = now_ms;
    return true;
}

int64_t AnswerThrottle::wait_ms(int64_t now_ms) const {
    if (!last_accepted_ms_) return 0;
    int64_t since = now_ms - *last_accepted_ms_;
    if (since < 0) return 0;  // a clock that went back never locks guests out
    return since >= min_interval_ms_ ? 0 : min_interval_ms_ - since;
}

GuestTextProblem check_guest_text(std::string_view text, size_t max_chars, bool required) {
    if (!platform::is_valid_utf8(text)) return GuestTextProblem::invalid_utf8;
    if (platform::has_control_characters(text)) return GuestTextProblem::control_characters;
    if (platform::count_code_points(text) > max_chars) return GuestTextProblem::too_long;
    if (required) {
        bool blank = true;
        for (char c : text)
            if (c != ' ' && c != '\n' && c != '\t') blank = false;
        if (blank) return GuestTextProblem::empty;
    }
    return GuestTextProblem::none;
}

const char* guest_text_problem_key(GuestTextProblem problem) {
    switch (problem) {
        case GuestTextProblem::none: return "";
        case GuestTextProblem::empty: return "feedback.text_empty";
        case GuestTextProblem::too_long: return "feedback.text_too_long";
        case GuestTextProblem::invalid_utf8:
        case GuestTextProblem::control_characters: return "feedback.text_invalid";
    }
    return "feedback.text_invalid";
}

std::string quick_feedback_payload(int face, std::string_view receipt, int64_t hour_ms) {
    nlohmann::json p{{"face", face}, {"face_name", face_code(face)}, {"receipt", receipt}, {"hour_ms", hour_of(hour_ms)}};
    return p.dump();
}

std::string follow_up_payload(const FeedbackFollowUp& follow_up, std::string_view receipt, int64_t hour_ms,
                              const std::optional<SignedInMember>& member) {
    nlohmann::json p{{"receipt", receipt}, {"hour_ms", hour_of(hour_ms)}, {"topics", follow_up.topics}};
    if (!follow_up.comment.empty()) p["comment"] = follow_up.comment;
    // The one way a person's identity enters a feedback record: their own tap on the toggle.
    if (follow_up.attach_membership && member && !member->card.empty()) p["member_card"] = member->card;
    return p.dump();
}

std::string survey_answer_payload(std::string_view survey, int64_t version,
                                  const std::map<std::string, SurveyAnswerValue>& answers,
                                  std::string_view receipt, int64_t hour_ms) {
    nlohmann::json a = nlohmann::json::object();
    for (const auto& [question, value] : answers) {
        if (const int* n = std::get_if<int>(&value)) a[question] = *n;
        else a[question] = std::get<std::string>(value);
    }
    nlohmann::json p{{"survey", survey}, {"version", version}, {"answers", a}, {"receipt", receipt},
                     {"hour_ms", hour_of(hour_ms)}};
    return p.dump();
}

}  // namespace kiosk
