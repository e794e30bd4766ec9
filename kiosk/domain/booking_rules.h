// kiosk/domain/booking_rules.h — follow-up visits (复诊预约): the rules with no UI.
//
// The CRM has the last word on every booking (one live booking per slot, one
// visit per person, department and day — docs/crm-api.md). The kiosk applies
// the same rules to what it knows, so it never offers a slot it already gave
// away itself, a slot that has started or closed, or a second visit the same
// day in one department; and it makes booking codes that are unique across
// kiosks, restarts and rebuilt stores without asking anyone: 40 random bits
// (domain/guest_codes.h), so a code cannot be guessed from another.
//
// Index — schedule
//   Department, Doctor, parse_departments(body)    content "departments" → departments (nullopt: malformed)
//   Slot, parse_slots(body)                        GET /api/v1/slots reply ({"items": […]}) → slots (nullopt: malformed)
//   parse_slot_list(json)                          the same from an already parsed array (alternatives)
//   kBookingClosesBeforeMs                         a slot closes for booking this long before it starts
//   slot_state(slot, now, held)                    open, past, closed or held on this kiosk
//   offerable_slots(slots, now, held, doctor)      the open ones, of one doctor or any (""), earliest first
//   nearest_alternatives(slots, wanted, now, held, n)   the n open slots nearest in time to the one wanted
//   booking_days(now, count)                       the days a guest may pick: today and the next ones (UTC, YYYY-MM-DD)
//   utc_day(ms) / utc_time(ms)                     from domain/calendar.h (the schedule is in UTC, as the contract says)
// Index — people
//   member_person(card)                            "card:<number>", the CRM's person id for a member
//   guest_person(name, phone)                      "guest:<sha256 hex>" of the normalised name and phone digits
//   GuestCheck, check_guest(name, phone)           whether a guest's name and phone will do
//   phone_last4(phone)                             the last four digits (they guard the look-up)
//   ledger_person_key(person)                      the kiosk-local index key of a person's bookings (a hash, never the id)
//   HeldVisit, has_visit_that_day(held, person, department, day, except_code)   one visit per department and day
// Index — codes and the slip
//   new_booking_code()                             "B-7KQ4-M2XD", fresh from the CSPRNG ("" if it failed)
//   parse_booking_code(text)                       a typed or scanned code, normalised (any case, dashes optional, O/0
//                                                  and I/L/1 alike; old "B-lobby-1-000003" codes as typed); nullopt if not one
//   booking_guard(booking)                         what a move or cancel carries to prove it is the guest's (docs/crm-api.md)
//   booking_qr_payload(code)                       what the QR code holds ("booking:<code>"; parse_booking_code reads it back)
//   SlipContent, booking_slip(input, strings, lang)   the printed slip: title, rows, QR text, in the guest's language
// Index — what this kiosk knows about a booking it made
//   LocalBooking, to_json(b) / local_booking_from_json(text)   kept in the kiosk's SQLite beside the outbox record
//   BookingStatus, local_status(booking, record_state)          from the latest record's outbox state
#pragma once

#include "domain/calendar.h"
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "i18n/lang.h"
#include "i18n/strings.h"
#include "platform/receipt_printer.h"

namespace kiosk {

// ---- schedule ----

struct Doctor {
    std::string id, name;  // name: as the CRM's schedule writes it (Chinese)
    LocalizedText names;   // optional "names" {lang: text}: "Dr Wang" for English and Spanish guests
    const std::string& name_in(Lang lang) const {
        const std::string& text = names.in(lang);
        return text.empty() ? name : text;
    }
};

struct Department {
    std::string id;
    LocalizedText name;
    std::vector<Doctor> doctors;
};

std::optional<std::vector<Department>> parse_departments(const std::string& body);

struct Slot {
    std::string id, doctor, doctor_name;
    int64_t starts_ms = 0;
};

std::optional<std::vector<Slot>> parse_slots(const std::string& body);
std::optional<std::vector<Slot>> parse_slot_list(const nlohmann::json& items);

// Registration needs the guest in the building before the doctor starts.
inline constexpr int64_t kBookingClosesBeforeMs = 30 * 60'000;

enum class SlotState { open, past, closed, held };
SlotState slot_state(const Slot& slot, int64_t now_ms, const std::set<std::string>& held);
std::vector<Slot> offerable_slots(const std::vector<Slot>& slots, int64_t now_ms, const std::set<std::string>& held,
                                  const std::string& doctor);
std::vector<Slot> nearest_alternatives(const std::vector<Slot>& slots, int64_t wanted_ms, int64_t now_ms,
                                       const std::set<std::string>& held, size_t count);
std::vector<std::string> booking_days(int64_t now_ms, int count);

// ---- people ----

std::string member_person(const std::string& card);
std::string guest_person(const std::string& name, const std::string& phone);

inline constexpr size_t kMaxGuestNameChars = 40;
enum class GuestCheck { ok, name_missing, name_too_long, phone_invalid };
GuestCheck check_guest(const std::string& name, const std::string& phone);
std::string phone_last4(const std::string& phone);
std::string ledger_person_key(const std::string& person);

struct HeldVisit {
    std::string code, person, department, day;
};
bool has_visit_that_day(const std::vector<HeldVisit>& held, const std::string& person, const std::string& department,
                        const std::string& day, const std::string& except_code);

// ---- codes and the slip ----

std::string new_booking_code();
std::optional<std::string> parse_booking_code(const std::string& text);
std::string booking_qr_payload(const std::string& code);

struct SlipInput {
    std::string code;
    std::string department_name;  // already in the guest's language
    std::string doctor_name;
    int64_t starts_ms = 0;
    bool waiting = false;         // an offline request, not yet confirmed by the CRM
    std::string day_text;         // the hospital's day as the guest's language writes it (HospitalCalendar); empty: the UTC day
    std::string time_text;        // the hospital's wall-clock time; empty: UTC
    std::string page_url;         // the booking's phone page (issue 14); empty: the QR code holds booking_qr_payload(code)
};

struct SlipRow {
    std::string label, value;
};

struct SlipContent {
    std::string title;           // the hospital's name
    std::string subtitle;        // "Follow-up visit" / "request — waiting for confirmation"
    std::vector<SlipRow> rows;   // department, doctor, day, time, code
    std::string qr;              // the phone page's URL, or booking_qr_payload(code) without one
    std::string footer;          // what to bring / when to arrive
};

SlipContent booking_slip(const SlipInput& input, const StringTable& strings, Lang lang);
// The same content as the printer gets it: title, subtitle, a rule, the rows, the QR code, the footer, a cut.
platform::Slip printable_slip(const SlipContent& content);

// ---- this kiosk's own bookings ----

// The latest action on a code made at this kiosk, with the outbox record that
// carries it. For a move, `before_*` is where the visit was, so a refused move
// can say the visit stays there.
struct LocalBooking {
    std::string code;
    std::string record_key;   // the outbox record of the latest action
    std::string action;       // booking | booking_move | booking_cancel
    std::string slot, department, day, doctor, doctor_name;
    int64_t starts_ms = 0;
    std::string person;       // member_person() or guest_person(): never a name or phone
    std::string phone_last4;  // guests only: guards the look-up
    std::string page_guard;   // the booking's phone page (crm_contract/record_pages.h); "" for a booking made before
    std::string before_slot, before_doctor_name;
    int64_t before_starts_ms = 0;
};

std::string to_json(const LocalBooking& booking);
// {"phone_last4": …} for a guest's booking, {"person": "card:…"} for a
// member's — the hook where a member session token takes the person's place.
nlohmann::json booking_guard(const LocalBooking& booking);
std::optional<LocalBooking> local_booking_from_json(const std::string& text);

enum class BookingStatus {
    waiting,         // a request: not yet confirmed by the CRM
    confirmed,
    refused,         // the CRM refused the booking (reason in the outbox record)
    move_waiting,    // confirmed or waiting where it was; a move is queued
    move_refused,    // the visit stays where it was
    cancel_waiting,
    cancelled,
    cancel_refused,  // the CRM had no such booking to cancel
};

// record_state: the outbox state name of the latest record ("pending", "in_flight",
// "delivered", "rejected"), or "" when the record is no longer in the outbox
// (delivered and pruned).
BookingStatus local_status(const LocalBooking& booking, const std::string& record_state);
const char* booking_status_key(BookingStatus status);  // the string key that names it to the guest

}  // namespace kiosk
