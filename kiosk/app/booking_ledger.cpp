#include "app/booking_ledger.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "domain/guest_codes.h"
#include "offline_cache/member_cache.h"

namespace kiosk {

using nlohmann::json;

namespace {

constexpr int64_t kDayMs = 86'400'000;

std::string code_key(const std::string& code) { return "booking/code/" + code; }
std::string day_key(const std::string& department, const std::string& day) {
    return "booking/day/" + department + "/" + day;
}

std::vector<std::string> code_list(const std::optional<std::string>& text) {
    std::vector<std::string> out;
    if (!text) return out;
    json doc = json::parse(*text, nullptr, false);
    if (!doc.is_array()) return out;
    for (const json& c : doc)
        if (c.is_string()) out.push_back(c.get<std::string>());
    return out;
}

std::string with_code(std::vector<std::string> codes, const std::string& code) {
    if (std::find(codes.begin(), codes.end(), code) == codes.end()) codes.push_back(code);
    return json(codes).dump();
}

}  // namespace

LedgerSave BookingLedger::save(const char* type, const std::string& payload, LocalBooking booking, bool* clash) {
    // Read outside the transaction: only this (UI) thread writes these entries,
    // so they cannot change before the transaction below commits.
    std::string day_index = day_key(booking.department, booking.day);
    std::string person_index = ledger_person_key(booking.person);
    std::string day_codes = with_code(code_list(store_.members().get(day_index)), booking.code);
    std::string person_codes = with_code(code_list(store_.members().get(person_index)), booking.code);
    int64_t expires = std::max(booking.starts_ms, clock_.wall_ms()) + 8 * kDayMs;

    LedgerSave out;
    out.result = store_.outbox().enqueue(type, payload, [&](sqlite3* db) {
        booking.record_key = offline_cache::Outbox::enqueued_key(db);
        if (booking.record_key.empty()) return false;
        if (clash && !offline_cache::Outbox::claim_code(db, booking.code, clock_.wall_ms())) {
            *clash = true;
            return false;
        }
        using offline_cache::MemberCache;
        return MemberCache::put_in_transaction(db, code_key(booking.code), to_json(booking), expires) &&
               MemberCache::put_in_transaction(db, day_index, day_codes, expires) &&
               MemberCache::put_in_transaction(db, person_index, person_codes, expires);
    });
    out.booking = booking;
    return out;
}

LedgerSave BookingLedger::book(const LocalBooking& b) {
    LocalBooking booking = b;
    booking.action = "booking";
    bool new_code = booking.code.empty();
    if (booking.page_guard.empty()) booking.page_guard = random_page_guard();  // issue 14: the phone page's guard
    for (int attempt = 0; attempt < offline_cache::Outbox::kCodeAttempts; ++attempt) {
        if (new_code) booking.code = new_booking_code();
        if (booking.code.empty()) break;  // the random source failed
        json payload = {{"code", booking.code}, {"slot", booking.slot}, {"person", booking.person}};
        if (!booking.phone_last4.empty()) payload["phone_last4"] = booking.phone_last4;
        if (!booking.page_guard.empty()) payload["page_guard"] = booking.page_guard;  // the CRM keeps its hash only
        bool clash = false;
        LedgerSave out = save("booking", payload.dump(), booking, new_code ? &clash : nullptr);
        if (!clash) return out;  // saved, or failed for another reason
    }
    LedgerSave failed;
    failed.result.error = offline_cache::SaveError::invalid;
    failed.result.message = "no unused booking code";
    return failed;
}

LedgerSave BookingLedger::move(const LocalBooking& b, const Slot& to, const std::string& day) {
    LocalBooking booking = b;
    // A refused move left the visit where it was before it: that is where it moves from.
    if (b.action == "booking_move" && status(b) == BookingStatus::move_refused) {
        booking.slot = b.before_slot;
        booking.doctor_name = b.before_doctor_name;
        booking.starts_ms = b.before_starts_ms;
        booking.day = utc_day(b.before_starts_ms);
    }
    booking.before_slot = booking.slot;
    booking.before_doctor_name = booking.doctor_name;
    booking.before_starts_ms = booking.starts_ms;
    booking.action = "booking_move";
    booking.slot = to.id;
    booking.doctor = to.doctor;
    booking.doctor_name = to.doctor_name;
    booking.starts_ms = to.starts_ms;
    booking.day = day;
    json payload = booking_guard(booking);  // moving a visit takes what looking it up takes
    payload["code"] = booking.code;
    payload["slot"] = to.id;
    return save("booking_move", payload.dump(), booking, nullptr);
}

LedgerSave BookingLedger::cancel(const LocalBooking& b) {
    LocalBooking booking = b;
    booking.action = "booking_cancel";
    json payload = booking_guard(booking);
    payload["code"] = booking.code;
    return save("booking_cancel", payload.dump(), booking, nullptr);
}

std::optional<LocalBooking> BookingLedger::find(const std::string& code) {
    auto text = store_.members().get(code_key(code));
    return text ? local_booking_from_json(*text) : std::nullopt;
}

std::string BookingLedger::record_state(const LocalBooking& b) {
    auto record = store_.outbox().find(b.record_key);
    return record ? offline_cache::record_state_name(record->state) : "";
}

std::string BookingLedger::refusal(const LocalBooking& b) {
    auto record = store_.outbox().find(b.record_key);
    return record && record->state == offline_cache::RecordState::rejected ? record->reject_reason : "";
}

std::vector<LocalBooking> BookingLedger::entries(const std::string& index_key) {
    std::vector<LocalBooking> out;
    for (const std::string& code : code_list(store_.members().get(index_key)))
        if (auto b = find(code)) out.push_back(*b);
    return out;
}

// A slot is held while this kiosk's booking on it waits or stands: a refused
// request or a cancellation gives it back at once.
std::set<std::string> BookingLedger::held_slots(const std::string& department, const std::string& day) {
    std::set<std::string> held;
    for (const LocalBooking& b : entries(day_key(department, day))) {
        BookingStatus s = status(b);
        if (s == BookingStatus::waiting || s == BookingStatus::confirmed || s == BookingStatus::move_waiting)
            held.insert(b.slot);
        if (s == BookingStatus::move_refused) held.insert(b.before_slot);
    }
    return held;
}

std::vector<HeldVisit> BookingLedger::visits(const std::string& department, const std::string& day) {
    std::vector<HeldVisit> out;
    for (const LocalBooking& b : entries(day_key(department, day))) {
        BookingStatus s = status(b);
        if (b.day == day && (s == BookingStatus::waiting || s == BookingStatus::confirmed ||
                             s == BookingStatus::move_waiting || s == BookingStatus::move_refused))
            out.push_back({b.code, b.person, b.department, b.day});
    }
    return out;
}

std::vector<LocalBooking> BookingLedger::of_person(const std::string& person) {
    std::vector<LocalBooking> out;
    for (LocalBooking& b : entries(ledger_person_key(person)))
        if (b.person == person) out.push_back(std::move(b));
    std::sort(out.begin(), out.end(), [](const LocalBooking& a, const LocalBooking& b) { return a.starts_ms < b.starts_ms; });
    return out;
}

}  // namespace kiosk
