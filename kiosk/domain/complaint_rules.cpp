#include "domain/complaint_rules.h"

#include <cstdio>

#include <nlohmann/json.hpp>

#include "domain/feedback_rules.h"
#include "domain/guest_codes.h"

namespace kiosk {

namespace {
bool is_ticket_char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}
}  // namespace

std::string new_ticket() { return random_code(kTicketPrefix); }

std::string format_ticket(std::string_view kiosk_id, int64_t number) {
    // A kiosk id outside the CRM's ticket alphabet is written with '_' there,
    // so the ticket is always one the CRM accepts.
    std::string id;
    for (char c : kiosk_id) id.push_back(is_ticket_char(c) ? c : '_');
    char digits[32];
    std::snprintf(digits, sizeof digits, "%06lld", static_cast<long long>(number));
    return "K-" + id + "-" + digits;
}

bool is_ticket_text(std::string_view text) {
    if (text.empty() || text.size() > 64) return false;
    for (char c : text)
        if (!is_ticket_char(c)) return false;
    return true;
}

std::string normalize_ticket_input(std::string_view typed) {
    // A ticket's QR code is its phone page (issue 14): ".../r/c/<ticket>?g=…" held to the scanner reads as the ticket.
    if (size_t at = typed.find("/r/c/"); at != std::string_view::npos && typed.substr(0, 4) == "http") {
        typed = typed.substr(at + 5);
        typed = typed.substr(0, typed.find('?'));
    }
    if (auto code = parse_guest_code(typed, kTicketPrefix)) return *code;
    std::string t;
    for (char c : typed)
        if (c != ' ' && c != '\t' && c != '\n') t.push_back(c);
    if (t.size() >= 2 && t[0] == 'k' && t[1] == '-') t[0] = 'K';
    return is_ticket_text(t) ? t : "";
}

std::string expand_ticket_input(std::string_view typed, std::string_view kiosk_id) {
    std::string t = normalize_ticket_input(typed);
    // Digits alone (up to six, as old tickets were numbered): the number of an
    // old ticket from this kiosk. Eight symbols are a new ticket (above).
    if (!t.empty() && t.size() <= 6 && t.find_first_not_of("0123456789") == std::string::npos) {
        int64_t number = std::stoll(t);
        return number > 0 ? format_ticket(kiosk_id, number) : "";
    }
    return t;
}

std::string normalize_phone(std::string_view typed) {
    std::string digits;
    for (size_t i = 0; i < typed.size(); ++i) {
        char c = typed[i];
        if (c >= '0' && c <= '9') digits.push_back(c);
        else if (c == '+' && digits.empty() && i == typed.find_first_not_of(' ')) digits.push_back(c);
        else if (c != ' ' && c != '-') return "";
    }
    size_t count = digits.size() - (digits.rfind('+', 0) == 0 ? 1 : 0);
    return count >= 7 && count <= 15 ? digits : "";
}

std::string phone_last4(std::string_view phone) {
    std::string digits;
    for (char c : phone)
        if (c >= '0' && c <= '9') digits.push_back(c);
    return digits.size() >= 4 ? digits.substr(digits.size() - 4) : "";
}

std::optional<LookUpGuard> look_up_guard(std::string_view typed) {
    std::string digits;
    for (char c : typed) {
        if (c == ' ' || c == '-') continue;
        if (c < '0' || c > '9') return std::nullopt;
        digits.push_back(c);
    }
    LookUpGuard guard;
    if (digits.size() == 4) guard.phone_last4 = digits;
    else if (is_lookup_code(digits)) guard.lookup_code = digits;
    else if (!digits.empty()) return std::nullopt;
    return guard;
}

const char* complaint_when_code(ComplaintWhen when) {
    switch (when) {
        case ComplaintWhen::today: return "today";
        case ComplaintWhen::yesterday: return "yesterday";
        case ComplaintWhen::this_week: return "this_week";
        case ComplaintWhen::earlier: return "earlier";
    }
    return "today";
}

ComplaintFormProblem check_complaint_form(const ComplaintForm& form) {
    switch (check_guest_text(form.text, kMaxComplaintChars, /*required=*/true)) {
        case GuestTextProblem::none: break;
        case GuestTextProblem::empty: return ComplaintFormProblem::text_missing;
        case GuestTextProblem::too_long: return ComplaintFormProblem::text_too_long;
        default: return ComplaintFormProblem::text_invalid;
    }
    if (!form.phone.empty()) {
        if (normalize_phone(form.phone).empty()) return ComplaintFormProblem::phone_invalid;
        if (!form.consent) return ComplaintFormProblem::consent_missing;
    }
    return ComplaintFormProblem::none;
}

const char* complaint_form_problem_key(ComplaintFormProblem problem) {
    switch (problem) {
        case ComplaintFormProblem::none: return "";
        case ComplaintFormProblem::text_missing: return "complaint.error.text_missing";
        case ComplaintFormProblem::text_too_long: return "feedback.text_too_long";
        case ComplaintFormProblem::text_invalid: return "feedback.text_invalid";
        case ComplaintFormProblem::phone_invalid: return "complaint.error.phone";
        case ComplaintFormProblem::consent_missing: return "complaint.error.consent";
    }
    return "";
}

std::string complaint_payload(const ComplaintForm& form, std::string_view ticket) {
    nlohmann::json p{{"ticket", ticket},
                     {"text", form.text},
                     {"category", form.department.empty() ? "not_sure" : form.department},
                     {"when", complaint_when_code(form.when)}};
    std::string phone = normalize_phone(form.phone);
    if (!phone.empty()) {
        p["contact_phone"] = phone;
        p["contact_consent"] = form.consent;
    } else if (!form.lookup_code.empty()) {
        p["lookup_code"] = form.lookup_code;  // the CRM keeps its hash only
    }
    if (!form.page_guard.empty()) p["page_guard"] = form.page_guard;  // likewise: only its hash, for the phone page
    return p.dump();
}

std::string complaint_satisfaction_payload(std::string_view ticket, bool satisfied) {
    return nlohmann::json{{"ticket", ticket}, {"satisfied", satisfied}}.dump();
}

int stage_index(std::string_view stage) {
    for (size_t i = 0; i < kComplaintStages.size(); ++i)
        if (kComplaintStages[i] == stage) return int(i);
    return -1;
}

std::optional<ComplaintStatus> parse_complaint_status(const std::string& body) {
    using nlohmann::json;
    json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (!doc.is_object()) return std::nullopt;
    auto text = [&](const json& node, const char* field) -> const std::string* {
        auto it = node.find(field);
        return it != node.end() && it->is_string() ? it->get_ptr<const std::string*>() : nullptr;
    };
    const std::string* ticket = text(doc, "ticket");
    const std::string* stage = text(doc, "stage");
    auto stages = doc.find("stages");
    if (!ticket || !stage || stage_index(*stage) < 0 || stages == doc.end() || !stages->is_array()) return std::nullopt;
    ComplaintStatus status;
    status.ticket = *ticket;
    status.stage = *stage;
    for (const json& s : *stages) {
        if (!s.is_object()) return std::nullopt;
        const std::string* name = text(s, "stage");
        if (!name || stage_index(*name) < 0) return std::nullopt;
        ComplaintStageReached reached{*name, std::nullopt};
        auto at = s.find("reached_at_ms");
        if (at != s.end() && at->is_number_integer()) reached.reached_ms = at->get<int64_t>();
        else if (at != s.end() && !at->is_null()) return std::nullopt;
        status.stages.push_back(std::move(reached));
    }
    if (const std::string* next = text(doc, "next_stage")) status.next_stage = *next;
    auto due = doc.find("next_due_ms");
    if (due != doc.end() && due->is_number_integer()) status.next_due_ms = due->get<int64_t>();
    return status;
}

}  // namespace kiosk
