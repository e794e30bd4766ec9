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
    CHECK(f.batch({record("m1", "booking_move", {{"code", "B-3"}, {"slot", b}, {"person", person}})})[0]["reason"] ==
          "already_booked_that_day");
    // Moving B-1 within its day is fine, and frees its old slot at once.
    CHECK(f.batch({record("m2", "booking_move", {{"code", "B-1"}, {"slot", b}, {"person", person}})})[0]["status"] == "accepted");
    CHECK(free_slots(f, "surgery", day)[0]["slot"] == a);
    CHECK(f.batch({record("x1", "booking_cancel", {{"code", "B-1"}, {"person", person}})})[0]["status"] == "accepted");
    CHECK(f.batch({record("x2", "booking_cancel", {{"code", "B-1"}, {"person", person}})})[0]["reason"] == "no_such_booking");
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

namespace {
httplib::Result look_up(CrmFixture& f, const std::string& code, const std::string& query,
                        const CrmFixture::As& as = {}) {
    return f.kiosk("GET", "/api/v1/bookings/" + code + (query.empty() ? "" : "?" + query), "", as);
}
}  // namespace

TEST_CASE("A booking looked up by its code shows confirmed, cancelled or refused with alternatives",
          "[crm][bookings]") {
    CrmFixture f;
    const std::string day = day_after(f.clock, 1);
    json slots = free_slots(f, "internal", day);
    const std::string a = slots[0]["slot"], b = slots[1]["slot"];
    const std::string guest = "guest:0f0e";
    // lobby-1 books a for a guest; lobby-2, offline at the time, wanted the same slot.
    REQUIRE(f.batch({record("g1", "booking", {{"code", "B-lobby-1-000001"}, {"slot", a}, {"person", guest},
                                              {"phone_last4", "5678"}})})[0]["status"] == "accepted");
    CrmFixture::As lobby2{"lobby-2", "other"};
    json lost = f.batch({record("g2", "booking", {{"code", "B-lobby-2-000001"}, {"slot", a}, {"person", "guest:aa"},
                                                  {"phone_last4", "1111"}})},
                        lobby2);
    REQUIRE(lost[0]["reason"] == "slot_taken");

    SECTION("the winner is confirmed, with its doctor and time; the phone digits guard it") {
        auto res = look_up(f, "B-lobby-1-000001", "phone_last4=5678");
        REQUIRE(res->status == 200);
        json doc = json::parse(res->body);
        CHECK(doc["status"] == "confirmed");
        CHECK(doc["slot"] == a);
        CHECK(doc["department"] == "internal");
        CHECK(doc["day"] == day);
        CHECK_FALSE(doc["doctor_name"].get<std::string>().empty());
        CHECK_FALSE(doc.contains("refused"));
        // A wrong or missing guess is answered like an unknown code.
        CHECK(error_code(look_up(f, "B-lobby-1-000001", "phone_last4=0000")) == "no_such_booking");
        CHECK(look_up(f, "B-lobby-1-000001", "")->status == 404);
        CHECK(look_up(f, "B-nobody", "phone_last4=5678")->status == 404);
    }
    SECTION("the loser is refused with the reason and the nearest free slots, from any kiosk") {
        auto res = look_up(f, "B-lobby-2-000001", "phone_last4=1111");
        REQUIRE(res->status == 200);
        json doc = json::parse(res->body);
        CHECK(doc["status"] == "refused");
        CHECK(doc["refused"]["reason"] == "slot_taken");
        CHECK(doc["slot"] == a);
        REQUIRE(doc["alternatives"].size() == 3);
        // Nearest to the wanted time, and all free: the taken slot is not among them.
        for (const json& alt : doc["alternatives"]) CHECK(alt["slot"] != a);
        CHECK(doc["alternatives"][0]["starts_ms"] == slots[1]["starts_ms"]);
        // Booking an alternative under the same code clears the refusal.
        REQUIRE(f.batch({record("g3", "booking", {{"code", "B-lobby-2-000001"}, {"slot", b}, {"person", "guest:aa"},
                                                  {"phone_last4", "1111"}})},
                        lobby2)[0]["status"] == "accepted");
        doc = json::parse(look_up(f, "B-lobby-2-000001", "phone_last4=1111")->body);
        CHECK(doc["status"] == "confirmed");
        CHECK(doc["slot"] == b);
        CHECK_FALSE(doc.contains("refused"));
    }
    SECTION("a cancelled booking says so, and its slot is free at once") {
        REQUIRE(f.batch({record("c1", "booking_cancel", {{"code", "B-lobby-1-000001"}, {"phone_last4", "5678"}})})[0]["status"] == "accepted");
        CHECK(json::parse(look_up(f, "B-lobby-1-000001", "phone_last4=5678")->body)["status"] == "cancelled");
        CHECK(free_slots(f, "internal", day)[0]["slot"] == a);
    }
    SECTION("a refused move leaves the visit confirmed where it was, and says why") {
        REQUIRE(f.batch({record("o1", "booking", {{"code", "B-other"}, {"slot", b}, {"person", "guest:bb"},
                                                  {"phone_last4", "2222"}})})[0]["status"] == "accepted");
        REQUIRE(f.batch({record("m1", "booking_move", {{"code", "B-lobby-1-000001"}, {"slot", b}, {"phone_last4", "5678"}})})[0]["reason"] ==
                "slot_taken");
        json doc = json::parse(look_up(f, "B-lobby-1-000001", "phone_last4=5678")->body);
        CHECK(doc["status"] == "confirmed");
        CHECK(doc["slot"] == a);
        CHECK(doc["refused"]["type"] == "booking_move");
        CHECK(doc["refused"]["slot"] == b);
        CHECK_FALSE(doc["alternatives"].empty());
    }
}

TEST_CASE("A member's upcoming visits are listed earliest first, refused requests included", "[crm][bookings]") {
    CrmFixture f;
    const std::string member = "card:6200000000000007";
    const std::string d1 = day_after(f.clock, 1), d2 = day_after(f.clock, 2);
    const std::string late = free_slots(f, "dental", d2)[0]["slot"], early = free_slots(f, "surgery", d1)[2]["slot"];
    const std::string taken = free_slots(f, "pediatrics", d1)[0]["slot"];
    REQUIRE(f.batch({record("t", "booking", {{"code", "B-x"}, {"slot", taken}, {"person", "card:1"}})})[0]["status"] ==
            "accepted");
    json r = f.batch({record("m1", "booking", {{"code", "B-m1"}, {"slot", late}, {"person", member}}),
                      record("m2", "booking", {{"code", "B-m2"}, {"slot", early}, {"person", member}}),
                      record("m3", "booking", {{"code", "B-m3"}, {"slot", taken}, {"person", member}})});
    REQUIRE(r[2]["reason"] == "slot_taken");
    // A member's visits need that member's session at this kiosk.
    CHECK(error_code(f.kiosk("GET", "/api/v1/bookings?person=" + member)) == "member_session_required");
    std::string session = f.session("6200000000000007");
    auto res = f.kiosk("GET", "/api/v1/bookings?person=" + member, "", {}, session);
    REQUIRE(res->status == 200);
    json items = json::parse(res->body)["items"];
    REQUIRE(items.size() == 3);
    CHECK(items[0]["code"] == "B-m3");  // pediatrics day 1 at 08:00
    CHECK(items[0]["status"] == "refused");
    CHECK(items[1]["code"] == "B-m2");
    CHECK(items[2]["code"] == "B-m1");
    CHECK(items[2]["department"] == "dental");
    // The member's own id opens a booking by code without phone digits; another member's does not.
    CHECK(f.kiosk("GET", "/api/v1/bookings/B-m1?person=" + member, "", {}, session)->status == 200);
    CHECK(error_code(look_up(f, "B-m1", "person=" + member)) == "member_session_required");
    CHECK(error_code(f.kiosk("GET", "/api/v1/bookings/B-m1?person=card:6200000000000008", "", {}, f.session("6200000000000008"))) ==
          "no_such_booking");
    // Cancelled and past visits drop off the list.
    REQUIRE(f.batch({record("x", "booking_cancel", {{"code", "B-m2"}, {"person", member}})})[0]["status"] == "accepted");
    CHECK(json::parse(f.kiosk("GET", "/api/v1/bookings?person=" + member, "", {}, session)->body)["items"].size() == 2);
    f.clock.advance(8 * 86'400'000LL);
    CHECK(json::parse(f.kiosk("GET", "/api/v1/bookings?person=" + member, "", {}, f.session("6200000000000007"))->body)
              ["items"].empty());
    CHECK(error_code(f.kiosk("GET", "/api/v1/bookings")) == "invalid_field");
}
