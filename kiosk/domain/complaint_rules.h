// kiosk/domain/complaint_rules.h — complaint tickets, the complaint form and
// a complaint's status, as plain functions.
//
// Tickets are made on the kiosk, offline too: "K-7KQ4-M2XD", 40 random bits
// (domain/guest_codes.h), so a ticket cannot be guessed from another and two
// kiosks — or one kiosk whose store was rebuilt — never hand out the same one.
// The store claims each ticket in the record's transaction and retries a clash
// with a new one (Outbox::enqueue_with_code). The CRM takes them as given and
// refuses a duplicate (docs/crm-api.md).
//
// Every look-up needs a guard: the phone's last four digits, or — when no phone
// was given — a 6-digit look-up code shown with the ticket (`lookup_code` in the
// record; the CRM keeps only its hash).
//
// Tickets of kiosks before 0.3 ("K-lobby-1-000007", a per-kiosk sequence) are
// still looked up as typed; format_ticket makes them for that purpose only.
//
// Index
//   new_ticket()                          a fresh random ticket, "K-7KQ4-M2XD" ("" if the CSPRNG failed)
//   format_ticket(kiosk_id, number)       an old-format ticket, "K-lobby-1-000007" (look-ups of old tickets)
//   is_ticket_text(text)                  what the CRM accepts: 1–64 of [A-Za-z0-9_-]
//   normalize_ticket_input(typed)         a typed ticket: a new one in any case, with or without dashes, O/0 and
//                                         I/L/1 alike; or an old one, spaces dropped, "k-" → "K-"; "" if it cannot be one
//   expand_ticket_input(typed, kiosk_id)  the same, and digits alone (up to 6) mean this kiosk's old ticket
//   LookUpGuard, look_up_guard(typed)     what the guest typed in the guard field: 4 digits (phone) or 6 (code)
//   normalize_phone(typed) / phone_last4(phone)   digits (leading + kept) or "" if not a phone; the look-up guard
//   ComplaintWhen, complaint_when_code    today / yesterday / this_week / earlier
//   ComplaintForm, ComplaintFormProblem   the guest's form and what is wrong with it
//   check_complaint_form(form)            none, or the first problem (text, phone, consent)
//   complaint_form_problem_key(problem)   the guest-facing message's string key
//   complaint_payload(form, ticket)       the `complaint` record (lookup_code only when no phone was given)
//   complaint_satisfaction_payload(ticket, satisfied)   the `complaint_satisfaction` record
//   kComplaintStages, stage_index(stage)  submitted … closed, in order
//   ComplaintStatus, parse_complaint_status(body)   the CRM's look-up answer; nullopt when malformed
//   ComplaintStatus::resolved()           the stage is resolved or later: ask about satisfaction
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk {

std::string new_ticket();
std::string format_ticket(std::string_view kiosk_id, int64_t number);
bool is_ticket_text(std::string_view text);
std::string normalize_ticket_input(std::string_view typed);
std::string expand_ticket_input(std::string_view typed, std::string_view kiosk_id);
std::string normalize_phone(std::string_view typed);
std::string phone_last4(std::string_view phone);

struct LookUpGuard {
    std::string phone_last4;  // 4 digits, or ""
    std::string lookup_code;  // 6 digits, or ""
    bool empty() const { return phone_last4.empty() && lookup_code.empty(); }
};
// nullopt: typed something that is neither (the guest is told); an empty guard: typed nothing.
std::optional<LookUpGuard> look_up_guard(std::string_view typed);

enum class ComplaintWhen { today, yesterday, this_week, earlier };
const char* complaint_when_code(ComplaintWhen when);

struct ComplaintForm {
    std::string text;        // what happened
    std::string department;  // a department id from the CRM content; "" = not sure
    ComplaintWhen when = ComplaintWhen::today;
    std::string phone;       // optional, for the call-back
    bool consent = false;    // to be contacted; required when a phone is given
    std::string lookup_code; // without a phone: the code that guards the look-up (random_lookup_code)
    std::string page_guard;  // the guard of the complaint's phone page (random_page_guard); "" = no page
};

enum class ComplaintFormProblem { none, text_missing, text_too_long, text_invalid, phone_invalid, consent_missing };
ComplaintFormProblem check_complaint_form(const ComplaintForm& form);
const char* complaint_form_problem_key(ComplaintFormProblem problem);

std::string complaint_payload(const ComplaintForm& form, std::string_view ticket);
std::string complaint_satisfaction_payload(std::string_view ticket, bool satisfied);

inline constexpr std::array<std::string_view, 6> kComplaintStages = {"submitted", "acknowledged",
                                                                    "assigned", "resolved", "return_visit", "closed"};
int stage_index(std::string_view stage);  // -1 when unknown

struct ComplaintStageReached {
    std::string stage;
    std::optional<int64_t> reached_ms;
};

struct ComplaintStatus {
    std::string ticket;
    std::string stage;
    std::vector<ComplaintStageReached> stages;
    std::string next_stage;              // "" once closed
    std::optional<int64_t> next_due_ms;
    bool resolved() const { return stage_index(stage) >= stage_index("resolved"); }
};

std::optional<ComplaintStatus> parse_complaint_status(const std::string& body);

}  // namespace kiosk
