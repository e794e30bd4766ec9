// kiosk/domain/complaint_rules.h — complaint tickets, the complaint form and
// a complaint's status, as plain functions.
//
// Tickets are made on the kiosk, offline too: K-<kiosk id>-<number>, the
// number from a durable counter in the kiosk's own SQLite (Outbox::
// enqueue_numbered), so two kiosks never collide (their ids differ) and one
// kiosk never reuses a number (the counter survives restarts). The CRM takes
// them as given and refuses a duplicate (docs/crm-api.md).
//
// Index
//   kTicketCounter                        the outbox counter that numbers tickets
//   format_ticket(kiosk_id, number)       "K-lobby-1-000007" (at least 6 digits)
//   is_ticket_text(text)                  what the CRM accepts: 1–64 of [A-Za-z0-9_-]
//   normalize_ticket_input(typed)         a typed ticket: spaces dropped, "k-" → "K-"; "" if it cannot be one
//   expand_ticket_input(typed, kiosk_id)  the same, and digits alone mean this kiosk's ticket ("7" → K-lobby-1-000007)
//   normalize_phone(typed) / phone_last4(phone)   digits (leading + kept) or "" if not a phone; the look-up guard
//   ComplaintWhen, complaint_when_code    today / yesterday / this_week / earlier
//   ComplaintForm, ComplaintFormProblem   the guest's form and what is wrong with it
//   check_complaint_form(form)            none, or the first problem (text, phone, consent)
//   complaint_form_problem_key(problem)   the guest-facing message's string key
//   complaint_payload(form, ticket)       the `complaint` record
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

inline constexpr std::string_view kTicketCounter = "complaint_ticket";

std::string format_ticket(std::string_view kiosk_id, int64_t number);
bool is_ticket_text(std::string_view text);
std::string normalize_ticket_input(std::string_view typed);
std::string expand_ticket_input(std::string_view typed, std::string_view kiosk_id);
std::string normalize_phone(std::string_view typed);
std::string phone_last4(std::string_view phone);

enum class ComplaintWhen { today, yesterday, this_week, earlier };
const char* complaint_when_code(ComplaintWhen when);

struct ComplaintForm {
    std::string text;        // what happened
    std::string department;  // a department id from the CRM content; "" = not sure
    ComplaintWhen when = ComplaintWhen::today;
    std::string phone;       // optional, for the call-back
    bool consent = false;    // to be contacted; required when a phone is given
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
