// kiosk/app/booking_ledger.h — what this kiosk knows of the bookings it made.
//
// Each booking, move or cancellation is an outbox record (docs/crm-api.md).
// Beside it, in the same SQLite transaction, the ledger claims a new booking's
// random code (Outbox::claim_code) and keeps a small entry per code
// (domain/booking_rules.h LocalBooking) in the store's member cache, so that:
//   - this store never hands a code out twice (a clash is retried with a new code);
//   - a slot booked here while offline is held, never offered twice here;
//   - the guest can look the booking up by code — waiting, confirmed, or
//     refused with the CRM's reason (the outbox record keeps it).
// Keys never hold a card number or phone in clear: a person's index is keyed
// by a hash of the person id. UI thread only (the store's guest connection).
//
// Index
//   BookingLedger(store, clock, kiosk_id)
//   book(b)                            save a `booking` record for b (b.code empty: a fresh random code; or a refused one's)
//   move(b, slot, day)                 save a `booking_move` carrying b's guard; the entry remembers where the visit was
//   cancel(b)                          save a `booking_cancel` carrying b's guard
//   find(code)                         the entry for a code made or changed here
//   record_state(b) / refusal(b)       the latest record's outbox state ("" once pruned) and the CRM's reason
//   status(b)                          local_status() of b's latest record
//   held_slots(department, day)        slots this kiosk gave away (waiting or confirmed)
//   visits(department, day)            the same as HeldVisit, for the one-a-day rule
//   of_person(person)                  this kiosk's bookings for a person, earliest first
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "domain/booking_rules.h"
#include "offline_cache/outbox.h"
#include "offline_cache/store.h"
#include "platform/clock.h"

namespace kiosk {

struct LedgerSave {
    offline_cache::SaveResult result;
    LocalBooking booking;  // as saved (record_key set) when result.ok()
};

class BookingLedger {
public:
    BookingLedger(offline_cache::Store& store, platform::Clock& clock, std::string kiosk_id)
        : store_(store), clock_(clock), kiosk_id_(std::move(kiosk_id)) {}

    LedgerSave book(const LocalBooking& booking);
    LedgerSave move(const LocalBooking& booking, const Slot& to, const std::string& day);
    LedgerSave cancel(const LocalBooking& booking);

    std::optional<LocalBooking> find(const std::string& code);
    std::string record_state(const LocalBooking& booking);
    std::string refusal(const LocalBooking& booking);
    BookingStatus status(const LocalBooking& booking) { return local_status(booking, record_state(booking)); }
    std::set<std::string> held_slots(const std::string& department, const std::string& day);
    std::vector<HeldVisit> visits(const std::string& department, const std::string& day);
    std::vector<LocalBooking> of_person(const std::string& person);

private:
    // clash non-null: claim booking.code as a new code; *clash tells a code this store issued before.
    LedgerSave save(const char* type, const std::string& payload, LocalBooking booking, bool* clash);
    std::vector<LocalBooking> entries(const std::string& index_key);

    offline_cache::Store& store_;
    platform::Clock& clock_;
    std::string kiosk_id_;
};

}  // namespace kiosk
