// Follow-up booking rules as plain functions: which slots a guest is offered,
// one visit per department and day, booking codes, the guest's person id,
// the slip and what the kiosk's own records say about a booking.
#include <catch2/catch.hpp>
#include <set>

#include "domain/booking_rules.h"
#include "domain/calendar.h"
#include "platform/clock.h"

using namespace kiosk;

namespace {
constexpr int64_t kMinute = 60'000;
// 2026-11-23 08:00 UTC
constexpr int64_t kMonday8 = 1795420800000;

Slot slot(const std::string& id, const std::string& doctor, int64_t starts) { return {id, doctor, std::string("Dr ").append(doctor), starts}; }

void load_strings(StringTable& t) {
    std::string error;
    INFO(error);
    REQUIRE(t.load(KIOSK_SOURCE_DIR "/assets/i18n", &error));
}
}  // namespace

TEST_CASE("Slots that have started, close within half an hour or are held here are not offered", "[booking]") {
    platform::ManualClock clock(0, kMonday8 - 10 * kMinute);
    std::vector<Slot> slots = {
        slot("late", "a", kMonday8 - 30 * kMinute),    // over
        slot("now", "a", kMonday8 - 10 * kMinute),     // starting this instant
        slot("soon", "b", kMonday8 + 10 * kMinute),    // 20 minutes away: registration has closed
        slot("held", "a", kMonday8 + 60 * kMinute),    // booked on this kiosk, not yet confirmed
        slot("b-10", "b", kMonday8 + 120 * kMinute),
        slot("a-9", "a", kMonday8 + 60 * kMinute + 30 * kMinute),
    };
    std::set<std::string> held = {"held"};
    int64_t now = clock.wall_ms();
    CHECK(slot_state(slots[0], now, held) == SlotState::past);
    CHECK(slot_state(slots[1], now, held) == SlotState::past);
    CHECK(slot_state(slots[2], now, held) == SlotState::closed);
    CHECK(slot_state(slots[3], now, held) == SlotState::held);
    CHECK(slot_state(slots[4], now, held) == SlotState::open);

    auto any = offerable_slots(slots, now, held, "");
    REQUIRE(any.size() == 2);
    CHECK(any[0].id == "a-9");  // earliest first
    CHECK(any[1].id == "b-10");
    auto doctor_b = offerable_slots(slots, now, held, "b");
    REQUIRE(doctor_b.size() == 1);
    CHECK(doctor_b[0].id == "b-10");

    // At 09:05 the 09:30 slot has closed too.
    clock.advance(75 * kMinute);
    CHECK(offerable_slots(slots, clock.wall_ms(), held, "").size() == 1);
    // Released (the request was refused): offered again.
    CHECK(offerable_slots(slots, now, {}, "").size() == 3);
}

TEST_CASE("The nearest free alternatives to a refused slot are the open ones closest in time", "[booking]") {
    std::vector<Slot> slots;
    for (int i = 0; i < 8; ++i) slots.push_back(slot(std::string("s").append(std::to_string(i)), "a", kMonday8 + i * 30 * kMinute));
    int64_t now = kMonday8 - 24 * 60 * kMinute;
    auto near = nearest_alternatives(slots, kMonday8 + 3 * 30 * kMinute, now, {"s3", "s4"}, 3);
    REQUIRE(near.size() == 3);
    CHECK(near[0].id == "s2");  // 30 minutes earlier
    CHECK(near[1].id == "s1");  // an hour earlier and s5 an hour later: the earlier wins a tie
    CHECK(near[2].id == "s5");
    CHECK(nearest_alternatives({}, kMonday8, now, {}, 3).empty());
}

TEST_CASE("The schedule from the CRM is read strictly: its instants are UTC milliseconds", "[booking]") {
    auto slots = parse_slots(
        R"({"items": [{"slot": "internal-1-2026-11-23-0", "doctor": "internal-1", "doctor_name": "王医生", "starts_ms": 1795420800000}]})");
    REQUIRE(slots);
    REQUIRE(slots->size() == 1);
    CHECK((*slots)[0].doctor_name == "王医生");
    CHECK(utc_day((*slots)[0].starts_ms) == "2026-11-23");
    CHECK(utc_time((*slots)[0].starts_ms + 30 * kMinute) == "08:30");
    CHECK_FALSE(parse_slots("not json"));
    CHECK_FALSE(parse_slots(R"({"items": [{"slot": "x"}]})"));           // no time
    CHECK_FALSE(parse_slots(R"({"items": [{"slot": "x", "starts_ms": "8"}]})"));
    CHECK_FALSE(parse_slots(R"({"items": {}})"));

    auto departments = parse_departments(
        R"({"version": "1", "departments": [{"id": "internal", "name": {"zh-Hans": "内科", "en": "Internal medicine"},
            "doctors": [{"id": "internal-1", "name": "王医生"}, {"id": 7}]}]})");
    REQUIRE(departments);
    REQUIRE(departments->size() == 1);
    CHECK((*departments)[0].name.in(Lang::zh_Hans) == "内科");
    CHECK((*departments)[0].name.in(Lang::es) == "内科");  // a missing language falls back, never blank
    CHECK((*departments)[0].doctors.size() == 1);
    CHECK((*departments)[0].doctors[0].name_in(Lang::en) == "王医生");  // no "names": as the schedule writes it
    CHECK_FALSE(parse_departments(R"({"departments": [{"name": {}}]})"));

    // A doctor's name in each language (issue 14, fault 5: Chinese names for English and Spanish guests).
    auto named = parse_departments(
        R"({"departments": [{"id": "internal", "name": {"en": "Internal medicine"}, "doctors": [{"id": "internal-1",
            "name": "王医生", "names": {"zh-Hans": "王医生", "zh-Hant": "王醫生", "en": "Dr Wang", "es": "Dr. Wang"}}]}]})");
    REQUIRE(named);
    const Doctor& wang = (*named)[0].doctors.at(0);
    CHECK(wang.name_in(Lang::en) == "Dr Wang");
    CHECK(wang.name_in(Lang::es) == "Dr. Wang");
    CHECK(wang.name_in(Lang::zh_Hant) == "王醫生");

    auto days = booking_days(kMonday8 + 15 * 60 * kMinute, 3);  // 23:00 on the Monday
    CHECK(days == std::vector<std::string>{"2026-11-23", "2026-11-24", "2026-11-25"});
}

TEST_CASE("One person holds at most one visit per department and day", "[booking]") {
    std::vector<HeldVisit> held = {{"B-1", "card:6200000000000002", "internal", "2026-11-23"}};
    CHECK(has_visit_that_day(held, "card:6200000000000002", "internal", "2026-11-23", ""));
    CHECK_FALSE(has_visit_that_day(held, "card:6200000000000002", "internal", "2026-11-24", ""));
    CHECK_FALSE(has_visit_that_day(held, "card:6200000000000002", "dental", "2026-11-23", ""));
    CHECK_FALSE(has_visit_that_day(held, "card:6200000000000003", "internal", "2026-11-23", ""));
    // Moving B-1 within its own day is not a second visit.
    CHECK_FALSE(has_visit_that_day(held, "card:6200000000000002", "internal", "2026-11-23", "B-1"));
}

TEST_CASE("A guest's person id is a hash of name and phone that never holds either", "[booking][privacy]") {
    std::string p = guest_person("Ana López", "13812345678");
    CHECK(p.rfind("guest:", 0) == 0);
    CHECK(p.size() == 6 + 64);
    CHECK(p.find("Ana") == std::string::npos);
    CHECK(p.find("5678") == std::string::npos);
    // The same person typing slightly differently is the same person…
    CHECK(guest_person("  ana   lópez ", "13812345678") == p);
    // …a different phone or name is not.
    CHECK(guest_person("Ana López", "13812345679") != p);
    CHECK(guest_person("Ana Lopez", "13812345678") != p);
    CHECK(member_person("6200000000000002") == "card:6200000000000002");
    CHECK(phone_last4("13812345678") == "5678");
}

TEST_CASE("A guest's name and phone are checked before anything is saved", "[booking]") {
    CHECK(check_guest("李秀英", "13812345678") == GuestCheck::ok);
    CHECK(check_guest("Ana", "91234567") == GuestCheck::ok);  // Hong Kong: 8 digits
    CHECK(check_guest("   ", "13812345678") == GuestCheck::name_missing);
    CHECK(check_guest(std::string(41, 'a'), "13812345678") == GuestCheck::name_too_long);
    CHECK(check_guest("李秀英", "1381234") == GuestCheck::phone_invalid);         // too short
    CHECK(check_guest("李秀英", "1381234567890123") == GuestCheck::phone_invalid);  // too long
    CHECK(check_guest("李秀英", "138-1234-5678") == GuestCheck::phone_invalid);    // digits only
}

TEST_CASE("Booking codes are 40 random bits, grouped to read aloud, never a sequence", "[booking]") {
    std::set<std::string> seen;
    for (int i = 0; i < 2000; ++i) {
        std::string code = new_booking_code();
        REQUIRE(code.size() == 11);  // B-XXXX-XXXX
        CHECK(code.rfind("B-", 0) == 0);
        CHECK(code[6] == '-');
        CHECK(parse_booking_code(code) == std::optional<std::string>(code));
        seen.insert(code);
    }
    CHECK(seen.size() == 2000);  // no repeats (a clash among 2,000 has a chance of 2 in a million)
}

TEST_CASE("A typed or scanned booking code is read back, a wrong one refused", "[booking]") {
    CHECK(parse_booking_code("B-7KQ4-M2XD") == std::optional<std::string>("B-7KQ4-M2XD"));
    CHECK(parse_booking_code("b 7kq4 m2xd") == std::optional<std::string>("B-7KQ4-M2XD"));  // any case, any grouping
    CHECK(parse_booking_code("7KQ4M2XD") == std::optional<std::string>("B-7KQ4-M2XD"));     // the letter is optional
    CHECK(parse_booking_code("B-7KQ4-M2XO") == std::optional<std::string>("B-7KQ4-M2X0"));  // O is 0, I and L are 1
    CHECK(parse_booking_code("booking:B-7KQ4-M2XD") == std::optional<std::string>("B-7KQ4-M2XD"));
    CHECK(parse_booking_code("B-lobby-1-000003") == std::optional<std::string>("B-lobby-1-000003"));
    CHECK(parse_booking_code(" b-lobby-1-000003 ") == std::optional<std::string>("B-lobby-1-000003"));
    CHECK(parse_booking_code(booking_qr_payload("B-lobby-2-700001")) == std::optional<std::string>("B-lobby-2-700001"));
    CHECK_FALSE(parse_booking_code(""));
    CHECK_FALSE(parse_booking_code("K-lobby-1-000007"));  // a complaint ticket
    CHECK_FALSE(parse_booking_code("B-lobby-1-00;0003"));
    CHECK_FALSE(parse_booking_code(std::string("B-").append(70, '1')));
}

TEST_CASE("The slip holds the hospital, department, doctor, time, code and QR in the guest's language", "[booking]") {
    StringTable t;
    load_strings(t);
    SlipInput in{"B-lobby-1-000003", "内科", "王医生", kMonday8 + 30 * kMinute, false, "", "", ""};
    SlipContent zh = booking_slip(in, t, Lang::zh_Hans);
    CHECK(zh.title == t.get(Lang::zh_Hans, "app.hospital_name"));
    CHECK(zh.subtitle == t.get(Lang::zh_Hans, "booking.slip.title"));
    REQUIRE(zh.rows.size() == 5);
    CHECK(zh.rows[0].label == t.get(Lang::zh_Hans, "booking.field.department"));
    CHECK(zh.rows[0].value == "内科");
    CHECK(zh.rows[1].value == "王医生");
    CHECK(zh.rows[2].value == "2026-11-23");
    CHECK(zh.rows[3].value == "08:30");
    CHECK(zh.rows[4].value == "B-lobby-1-000003");
    CHECK(zh.qr == "booking:B-lobby-1-000003");
    SlipContent es = booking_slip(in, t, Lang::es);
    CHECK(es.rows[0].label == t.get(Lang::es, "booking.field.department"));
    CHECK(es.rows[0].label != zh.rows[0].label);
    // An offline request says it still waits for the hospital's confirmation.
    in.waiting = true;
    CHECK(booking_slip(in, t, Lang::en).subtitle == t.get(Lang::en, "booking.slip.request"));
    CHECK(booking_slip(in, t, Lang::en).footer == t.get(Lang::en, "booking.slip.footer_waiting"));
}

TEST_CASE("What this kiosk knows of a booking comes from its latest record in the outbox", "[booking]") {
    LocalBooking b;
    b.code = std::string("B-lobby-1-000003");
    b.record_key = std::string("k");
    b.action = std::string("booking");
    b.slot = std::string("internal-1-2026-11-23-0");
    b.starts_ms = kMonday8;
    b.person = "card:6200000000000002";
    auto back = local_booking_from_json(to_json(b));
    REQUIRE(back);
    CHECK(back->slot == b.slot);
    CHECK(back->starts_ms == b.starts_ms);
    CHECK_FALSE(local_booking_from_json("{}"));
    CHECK_FALSE(local_booking_from_json("garbage"));

    CHECK(local_status(b, "pending") == BookingStatus::waiting);
    CHECK(local_status(b, "in_flight") == BookingStatus::waiting);
    CHECK(local_status(b, "delivered") == BookingStatus::confirmed);
    CHECK(local_status(b, "") == BookingStatus::confirmed);  // delivered and pruned
    CHECK(local_status(b, "rejected") == BookingStatus::refused);
    b.action = "booking_move";
    CHECK(local_status(b, "pending") == BookingStatus::move_waiting);
    CHECK(local_status(b, "rejected") == BookingStatus::move_refused);
    b.action = "booking_cancel";
    CHECK(local_status(b, "delivered") == BookingStatus::cancelled);
    CHECK(local_status(b, "pending") == BookingStatus::cancel_waiting);
}

// Issue 14, fault 2: the hospital's days and times, on the manual clock.
TEST_CASE("Dates are written as each language writes them, with the weekday", "[booking][local-time]") {
    CHECK(written_day(Lang::zh_Hans, "2026-12-03") == "2026年12月3日 星期四");
    CHECK(written_day(Lang::zh_Hant, "2026-12-03") == "2026年12月3日 星期四");
    CHECK(written_day(Lang::en, "2026-12-03") == "Thursday 3 December");
    CHECK(written_day(Lang::es, "2026-12-03") == "jueves 3 de diciembre");
    CHECK(written_day(Lang::es, "2026-03-29") == "domingo 29 de marzo");
    CHECK(written_day(Lang::en, "not a day") == "not a day");
}

TEST_CASE("In Shanghai \"today\" is the local day: at 18:00 UTC the next day has begun", "[booking][local-time]") {
    platform::ManualClock clock(0, 1796234400000);  // 2026-12-02 18:00 UTC = 12-03 02:00 in Shanghai
    HospitalCalendar shanghai(clock, "Asia/Shanghai");
    REQUIRE(shanghai.known());
    std::vector<std::string> days = shanghai.next_days(3);
    CHECK(days == std::vector<std::string>{"2026-12-03", "2026-12-04", "2026-12-05"});
    CHECK(shanghai.time(1796259600000) == "09:00");  // a 09:00 slot is 01:00 UTC, never "01:00"
    CHECK(shanghai.written(Lang::en, 1796259600000) == "Thursday 3 December  09:00");
    CHECK(utc_day(clock.wall_ms()) == "2026-12-02");  // what the kiosk used to call today
}

TEST_CASE("In Madrid a clinic's 09:00 stays 09:00 across the spring change of the clocks", "[booking][local-time]") {
    platform::ManualClock clock(0, 1774684800000);  // Saturday 28 March 2026, 09:00 CET
    HospitalCalendar madrid(clock, "Europe/Madrid");
    CHECK(madrid.next_days(3) == std::vector<std::string>{"2026-03-28", "2026-03-29", "2026-03-30"});
    CHECK(madrid.time(1774684800000) == "09:00");
    CHECK(madrid.time(1774854000000) == "09:00");  // Monday, CEST
    CHECK(madrid.written(Lang::es, 1774854000000) == "lunes 30 de marzo  09:00");
    HospitalCalendar nowhere(clock, "Nowhere/Atlantis");
    CHECK_FALSE(nowhere.known());
    CHECK(nowhere.time(1774684800000) == "08:00");  // an unknown zone reads as UTC, never crashes
}
