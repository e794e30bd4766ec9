// Slots and bookings: a slot is never given twice, even to kiosks racing for
// it; one person holds at most one visit per department per day.
#include <thread>

#include "crm_fixture.h"

namespace {
json free_slots(CrmFixture& f, const std::string& department, const std::string& day) {
    auto res = f.kiosk("GET", "/api/v1/slots?department=" + department + "&day=" + day);
    REQUIRE(res);
    REQUIRE(res->status == 200);
    return json::parse(res->body)["items"];
}
}  // namespace

TEST_CASE("Kiosks racing for one slot: exactly one booking wins", "[crm][bookings]") {
    CrmFixture f;
    const std::string day = day_after(f.clock, 1);
    json slots = free_slots(f, "internal", day);
    REQUIRE(slots.size() == 16);  // two doctors, eight half-hours
    const std::string slot = slots[0]["slot"];

    constexpr int kKiosks = 8;
    std::vector<std::thread> kiosks;
    std::vector<std::string> outcome(kKiosks);
    for (int i = 0; i < kKiosks; ++i)
        kiosks.emplace_back([&, i] {
            std::string n = std::to_string(i);
            json body{{"records", json::array({record("race-" + n, "booking",
                                                      {{"code", "B" + n}, {"slot", slot}, {"person", "card:" + n}})})}};
            CrmFixture::As as{i % 2 ? "lobby-2" : "lobby-1", i % 2 ? "other" : "s3cret"};
            auto res = f.kiosk("POST", "/api/v1/outbox/batch", body.dump(), as);
            if (!res || res->status != 200) return;
            json r = json::parse(res->body)["results"][0];
            outcome[size_t(i)] = r["status"] == "accepted" ? "accepted" : r.value("reason", "?");
        });
    for (auto& k : kiosks) k.join();
    CHECK(std::count(outcome.begin(), outcome.end(), "accepted") == 1);
    CHECK(std::count(outcome.begin(), outcome.end(), "slot_taken") == kKiosks - 1);
    CHECK(free_slots(f, "internal", day).size() == 15);
    CHECK(json::parse(f.staff("GET", "/api/v1/admin/bookings")->body)["items"].size() == 1);
}

TEST_CASE("One visit per person, department and day — moves and cancellations free slots", "[crm][bookings]") {
    CrmFixture f;
    const std::string day = day_after(f.clock, 2), next_day = day_after(f.clock, 3);
    json slots = free_slots(f, "surgery", day);
    const std::string a = slots[0]["slot"], b = slots[3]["slot"], c = free_slots(f, "surgery", next_day)[0]["slot"];
    const std::string d = free_slots(f, "dental", day)[0]["slot"];
    const json person = "card:6200000000000004";

    json r = f.batch({
        record("k1", "booking", {{"code", "B-1"}, {"slot", a}, {"person", person}}),
        record("k2", "booking", {{"code", "B-2"}, {"slot", b}, {"person", person}}),  // same department, same day
        record("k3", "booking", {{"code", "B-3"}, {"slot", c}, {"person", person}}),  // same department, next day
        record("k4", "booking", {{"code", "B-4"}, {"slot", d}, {"person", person}}),  // another department, same day
        record("k5", "booking", {{"code", "B-5"}, {"slot", a}, {"person", "card:other"}}),
        record("k6", "booking", {{"code", "B-1"}, {"slot", b}, {"person", "card:other"}}),  // code already used
        record("k7", "booking", {{"code", "B-7"}, {"slot", "no-such-slot"}, {"person", "card:other"}}),
        record("k8", "booking", {{"code", "B-8"}, {"slot", b}}),
    });
    CHECK(r[0]["status"] == "accepted");
    CHECK(r[1]["reason"] == "already_booked_that_day");
    CHECK(r[2]["status"] == "accepted");
    CHECK(r[3]["status"] == "accepted");
    CHECK(r[4]["reason"] == "slot_taken");
    CHECK(r[5]["reason"] == "duplicate_booking_code");
    CHECK(r[6]["reason"] == "no_such_slot");
    CHECK(r[7]["reason"] == "missing_person");

    // Moving B-3 onto the day of B-1 would give two visits that day.
    CHECK(f.batch({record("m1", "booking_move", {{"code", "B-3"}, {"slot", b}})})[0]["reason"] ==
          "already_booked_that_day");
    // Moving B-1 within its day is fine, and frees its old slot at once.
    CHECK(f.batch({record("m2", "booking_move", {{"code", "B-1"}, {"slot", b}})})[0]["status"] == "accepted");
    CHECK(free_slots(f, "surgery", day)[0]["slot"] == a);
    CHECK(f.batch({record("x1", "booking_cancel", {{"code", "B-1"}})})[0]["status"] == "accepted");
    CHECK(f.batch({record("x2", "booking_cancel", {{"code", "B-1"}})})[0]["reason"] == "no_such_booking");
    CHECK(free_slots(f, "surgery", day).size() == 16);
    // Once cancelled, the person may book that department that day again.
    CHECK(f.batch({record("k9", "booking", {{"code", "B-9"}, {"slot", a}, {"person", person}})})[0]["status"] ==
          "accepted");
}

TEST_CASE("Past slots are neither offered nor bookable", "[crm][bookings]") {
    CrmFixture f;
    const std::string day = day_after(f.clock, 1);
    std::string first = free_slots(f, "pediatrics", day)[0]["slot"];
    f.clock.advance(8 * 86'400'000LL);  // the whole demo week is over
    CHECK(free_slots(f, "pediatrics", day).empty());
    CHECK(f.batch({record("late", "booking", {{"code", "B-L"}, {"slot", first}, {"person", "p"}})})[0]["reason"] ==
          "slot_in_the_past");
}
