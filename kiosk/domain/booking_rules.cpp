#include "domain/booking_rules.h"
#include "domain/guest_codes.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>

#include "platform/utf8.h"

namespace kiosk {

using nlohmann::json;

namespace {

constexpr int64_t kDayMs = 86'400'000;

const std::string* text_field(const json& doc, const char* name) {
    auto it = doc.find(name);
    return it != doc.end() && it->is_string() ? it->get_ptr<const std::string*>() : nullptr;
}

std::string sha256_hex(const std::string& text) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    EVP_Digest(text.data(), text.size(), digest, &n, EVP_sha256(), nullptr);
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < n; ++i) {
        out += hex[digest[i] >> 4];
        out += hex[digest[i] & 15];
    }
    return out;
}

std::string digits_of(const std::string& text) {
    std::string out;
    for (char c : text)
        if (std::isdigit(static_cast<unsigned char>(c))) out += c;
    return out;
}

// Spaces trimmed and runs of spaces made one, ASCII letters lower-cased: the
// same person typing "Ana  López" or "ana lópez" is the same person.
std::string normalised_name(const std::string& name) {
    std::string out;
    bool space = false;
    for (char c : name) {
        if (c == ' ' || c == '\t') {
            space = !out.empty();
            continue;
        }
        if (space) out += ' ';
        space = false;
        out += char(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

}  // namespace

// ---- schedule ----

std::optional<std::vector<Department>> parse_departments(const std::string& body) {
    json doc = json::parse(body, nullptr, false);
    if (doc.is_discarded() || !doc.is_object() || !doc.contains("departments") || !doc["departments"].is_array())
        return std::nullopt;
    std::vector<Department> out;
    for (const json& d : doc["departments"]) {
        if (!d.is_object()) return std::nullopt;
        const std::string* id = text_field(d, "id");
        if (!id || id->empty()) return std::nullopt;
        Department dept;
        dept.id = *id;
        if (d.contains("name") && d["name"].is_object())
            for (Lang lang : kAllLangs)
                if (const std::string* t = text_field(d["name"], lang_code(lang))) dept.name.by_lang[size_t(lang)] = *t;
        if (dept.name.in(Lang::en).empty()) dept.name.by_lang[size_t(Lang::en)] = dept.id;
        if (d.contains("doctors") && d["doctors"].is_array())
            for (const json& doc_entry : d["doctors"]) {
                const std::string* did = doc_entry.is_object() ? text_field(doc_entry, "id") : nullptr;
                const std::string* name = doc_entry.is_object() ? text_field(doc_entry, "name") : nullptr;
                if (!did || !name) continue;
                Doctor doctor{*did, *name, {}};
                if (doc_entry.contains("names") && doc_entry["names"].is_object())
                    for (Lang lang : kAllLangs)
                        if (const std::string* t = text_field(doc_entry["names"], lang_code(lang)))
                            doctor.names.by_lang[size_t(lang)] = *t;
                dept.doctors.push_back(std::move(doctor));
            }
        out.push_back(std::move(dept));
    }
    return out;
}

std::optional<std::vector<Slot>> parse_slot_list(const json& items) {
    if (!items.is_array()) return std::nullopt;
    std::vector<Slot> out;
    for (const json& it : items) {
        if (!it.is_object()) return std::nullopt;
        const std::string* id = text_field(it, "slot");
        auto starts = it.find("starts_ms");
        if (!id || id->empty() || starts == it.end() || !starts->is_number_integer()) return std::nullopt;
        Slot s;
        s.id = *id;
        if (const std::string* d = text_field(it, "doctor")) s.doctor = *d;
        if (const std::string* n = text_field(it, "doctor_name")) s.doctor_name = *n;
        s.starts_ms = starts->get<int64_t>();
        out.push_back(std::move(s));
    }
    return out;
}

std::optional<std::vector<Slot>> parse_slots(const std::string& body) {
    json doc = json::parse(body, nullptr, false);
    if (doc.is_discarded() || !doc.is_object() || !doc.contains("items")) return std::nullopt;
    return parse_slot_list(doc["items"]);
}

SlotState slot_state(const Slot& slot, int64_t now_ms, const std::set<std::string>& held) {
    if (slot.starts_ms <= now_ms) return SlotState::past;
    if (slot.starts_ms - now_ms < kBookingClosesBeforeMs) return SlotState::closed;
    if (held.count(slot.id)) return SlotState::held;
    return SlotState::open;
}

std::vector<Slot> offerable_slots(const std::vector<Slot>& slots, int64_t now_ms, const std::set<std::string>& held,
                                  const std::string& doctor) {
    std::vector<Slot> out;
    for (const Slot& s : slots)
        if (slot_state(s, now_ms, held) == SlotState::open && (doctor.empty() || s.doctor == doctor)) out.push_back(s);
    std::stable_sort(out.begin(), out.end(), [](const Slot& a, const Slot& b) {
        return a.starts_ms != b.starts_ms ? a.starts_ms < b.starts_ms : a.doctor < b.doctor;
    });
    return out;
}

std::vector<Slot> nearest_alternatives(const std::vector<Slot>& slots, int64_t wanted_ms, int64_t now_ms,
                                       const std::set<std::string>& held, size_t count) {
    std::vector<Slot> open = offerable_slots(slots, now_ms, held, "");
    auto distance = [wanted_ms](const Slot& s) { return s.starts_ms > wanted_ms ? s.starts_ms - wanted_ms : wanted_ms - s.starts_ms; };
    std::stable_sort(open.begin(), open.end(), [&](const Slot& a, const Slot& b) { return distance(a) < distance(b); });
    if (open.size() > count) open.resize(count);
    return open;
}

std::vector<std::string> booking_days(int64_t now_ms, int count) {
    std::vector<std::string> out;
    for (int i = 0; i < count; ++i) out.push_back(utc_day(now_ms + int64_t(i) * kDayMs));
    return out;
}

// ---- people ----

std::string member_person(const std::string& card) { return "card:" + card; }

// The CRM never learns a guest's name or phone from a booking: only this
// hash, which lets it hold the one-visit-a-day rule for the same person
// booking twice. Versioned, so a change of normalisation is a new prefix.
std::string guest_person(const std::string& name, const std::string& phone) {
    return "guest:" + sha256_hex("lobby-kiosk guest v1\n" + normalised_name(name) + "\n" + digits_of(phone));
}

GuestCheck check_guest(const std::string& name, const std::string& phone) {
    std::string n = normalised_name(name);
    if (n.empty()) return GuestCheck::name_missing;
    if (!platform::is_valid_utf8(name) || platform::count_code_points(name) > kMaxGuestNameChars)
        return GuestCheck::name_too_long;
    // Mainland mobiles have 11 digits, Hong Kong numbers 8, international up to 15.
    std::string d = digits_of(phone);
    if (d.size() != phone.size() || d.size() < 8 || d.size() > 15) return GuestCheck::phone_invalid;
    return GuestCheck::ok;
}

std::string phone_last4(const std::string& phone) {
    std::string d = digits_of(phone);
    return d.size() >= 4 ? d.substr(d.size() - 4) : d;
}

std::string ledger_person_key(const std::string& person) {
    return "booking/person/" + sha256_hex("lobby-kiosk ledger v1\n" + person).substr(0, 32);
}

bool has_visit_that_day(const std::vector<HeldVisit>& held, const std::string& person, const std::string& department,
                        const std::string& day, const std::string& except_code) {
    return std::any_of(held.begin(), held.end(), [&](const HeldVisit& v) {
        return v.person == person && v.department == department && v.day == day && v.code != except_code;
    });
}

// ---- codes and the slip ----

std::string new_booking_code() { return random_code(kBookingPrefix); }

std::optional<std::string> parse_booking_code(const std::string& text) {
    std::string t;
    for (char c : text)
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n') t += c;
    if (t.rfind("booking:", 0) == 0) t = t.substr(8);
    // A slip's QR code of the booking's phone page: ".../r/b/<code>?g=…" (crm_contract/record_pages.h).
    if (size_t at = t.find("/r/b/"); at != std::string::npos && t.rfind("http", 0) == 0)
        t = t.substr(at + 5, t.find('?', at) == std::string::npos ? std::string::npos : t.find('?', at) - at - 5);
    if (auto code = parse_guest_code(t, kBookingPrefix)) return code;
    // An old code, "B-lobby-1-000003" (kiosks before 0.3): as typed.
    if (t.size() < 3 || t.size() > 64) return std::nullopt;
    for (char c : t)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return std::nullopt;
    // Kiosk ids are lower case ("lobby-1"); a guest may type the B in either case.
    if (t[0] == 'b') t[0] = 'B';
    if (t.rfind("B-", 0) != 0) return std::nullopt;
    return t;
}

std::string booking_qr_payload(const std::string& code) { return "booking:" + code; }

SlipContent booking_slip(const SlipInput& in, const StringTable& strings, Lang lang) {
    SlipContent slip;
    slip.title = strings.get(lang, "app.hospital_name");
    slip.subtitle = strings.get(lang, in.waiting ? "booking.slip.request" : "booking.slip.title");
    slip.rows = {
        {strings.get(lang, "booking.field.department"), in.department_name},
        {strings.get(lang, "booking.field.doctor"), in.doctor_name},
        {strings.get(lang, "booking.field.day"), in.day_text.empty() ? utc_day(in.starts_ms) : in.day_text},
        {strings.get(lang, "booking.field.time"), in.time_text.empty() ? utc_time(in.starts_ms) : in.time_text},
        {strings.get(lang, "booking.field.code"), in.code},
    };
    slip.qr = in.page_url.empty() ? booking_qr_payload(in.code) : in.page_url;
    slip.footer = strings.get(lang, in.waiting ? "booking.slip.footer_waiting" : "booking.slip.footer");
    return slip;
}

platform::Slip printable_slip(const SlipContent& content) {
    platform::Slip slip;
    slip.title(content.title).text(content.subtitle).rule();
    for (const SlipRow& row : content.rows) slip.key_value(row.label, row.value);
    slip.rule().qr_code(content.qr).text(content.footer).feed_and_cut();
    return slip;
}

// ---- this kiosk's own bookings ----

json booking_guard(const LocalBooking& b) {
    if (!b.phone_last4.empty()) return {{"phone_last4", b.phone_last4}};
    return {{"person", b.person}};
}

std::string to_json(const LocalBooking& b) {
    return json{{"code", b.code},
                {"record_key", b.record_key},
                {"action", b.action},
                {"slot", b.slot},
                {"department", b.department},
                {"day", b.day},
                {"doctor", b.doctor},
                {"doctor_name", b.doctor_name},
                {"starts_ms", b.starts_ms},
                {"person", b.person},
                {"phone_last4", b.phone_last4},
                {"page_guard", b.page_guard},
                {"before_slot", b.before_slot},
                {"before_doctor_name", b.before_doctor_name},
                {"before_starts_ms", b.before_starts_ms}}
        .dump();
}

std::optional<LocalBooking> local_booking_from_json(const std::string& text) {
    json doc = json::parse(text, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) return std::nullopt;
    LocalBooking b;
    auto str = [&](const char* name, std::string& out) {
        if (const std::string* v = text_field(doc, name)) out = *v;
    };
    auto num = [&](const char* name, int64_t& out) {
        auto it = doc.find(name);
        if (it != doc.end() && it->is_number_integer()) out = it->get<int64_t>();
    };
    str("code", b.code);
    str("record_key", b.record_key);
    str("action", b.action);
    str("slot", b.slot);
    str("department", b.department);
    str("day", b.day);
    str("doctor", b.doctor);
    str("doctor_name", b.doctor_name);
    num("starts_ms", b.starts_ms);
    str("person", b.person);
    str("phone_last4", b.phone_last4);
    str("page_guard", b.page_guard);
    str("before_slot", b.before_slot);
    str("before_doctor_name", b.before_doctor_name);
    num("before_starts_ms", b.before_starts_ms);
    if (b.code.empty() || b.action.empty()) return std::nullopt;
    return b;
}

BookingStatus local_status(const LocalBooking& b, const std::string& state) {
    bool waiting = state == "pending" || state == "in_flight";
    bool refused = state == "rejected";
    if (b.action == "booking_move")
        return waiting ? BookingStatus::move_waiting : refused ? BookingStatus::move_refused : BookingStatus::confirmed;
    if (b.action == "booking_cancel")
        return waiting ? BookingStatus::cancel_waiting
                       : refused ? BookingStatus::cancel_refused : BookingStatus::cancelled;
    return waiting ? BookingStatus::waiting : refused ? BookingStatus::refused : BookingStatus::confirmed;
}

const char* booking_status_key(BookingStatus status) {
    switch (status) {
        case BookingStatus::waiting: return "booking.status.waiting";
        case BookingStatus::confirmed: return "booking.status.confirmed";
        case BookingStatus::refused: return "booking.status.refused";
        case BookingStatus::move_waiting: return "booking.status.move_waiting";
        case BookingStatus::move_refused: return "booking.status.move_refused";
        case BookingStatus::cancel_waiting: return "booking.status.cancel_waiting";
        case BookingStatus::cancelled: return "booking.status.cancelled";
        case BookingStatus::cancel_refused: return "booking.status.cancel_refused";
    }
    return "booking.status.waiting";
}

}  // namespace kiosk
