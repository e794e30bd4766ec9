// Guessing at the CRM (issue 13): no oracle at sign-in, failed sign-ins and
// look-ups slowed per kiosk and per card / ticket with growing delays (429 +
// Retry-After) whose counters live in the database, staff see the counts,
// every complaint and booking look-up and every booking change needs a guard.
#include <algorithm>
#include <chrono>

#include "crm_fixture.h"
#include "guessing.h"

namespace {

const SignAs kStranger{"lobby-2", "other"};

httplib::Result sign_in_as(CrmFixture& f, const std::string& card, const std::string& pin, const SignAs& as = {}) {
    return f.kiosk("POST", "/api/v1/members/sign-in", json{{"card", card}, {"pin", pin}}.dump(), as);
}

int64_t retry_after(const httplib::Result& res) {
    REQUIRE(res);
    REQUIRE(res->has_header("Retry-After"));
    return std::stoll(res->get_header_value("Retry-After"));
}

std::string card_number(int n) {
    std::string digits = std::to_string(n);
    return "62" + std::string(14 - digits.size(), '0') + digits;
}

// Files a complaint through the batch; its look-up guard is the phone (when
// given) or the look-up code (when given).
void file_complaint(CrmFixture& f, const std::string& ticket, const json& extra) {
    json payload = {{"ticket", ticket}, {"text", "waited two hours"}};
    payload.update(extra);
    REQUIRE(f.batch({record("c-" + ticket, "complaint", payload)})[0]["status"] == "accepted");
}

httplib::Result complaint(CrmFixture& f, const std::string& ticket, const std::string& query = "",
                          const SignAs& as = {}) {
    return f.kiosk("GET", "/api/v1/complaints/" + ticket + (query.empty() ? "" : "?" + query), "", as);
}

}  // namespace

TEST_CASE("The growing delays: free slips, then doubling waits up to a cap, forgiven by quiet time", "[crm][guessing]") {
    using namespace crm;
    CHECK(delay_after(kSignInPerCard, 3) == 0);
    CHECK(delay_after(kSignInPerCard, 4) == 5'000);
    CHECK(delay_after(kSignInPerCard, 5) == 10'000);
    CHECK(delay_after(kSignInPerCard, 9) == 160'000);
    CHECK(delay_after(kSignInPerCard, 40) == 15 * 60'000);  // never longer than the cap
    CHECK(delay_after(kSignInPerKiosk, 10) == 0);
    CHECK(delay_after(kSignInPerKiosk, 11) == 1'000);
    CHECK(delay_after(kSignInPerKiosk, 1000) == 120'000);
    GuessCount c{5, 1'000'000};
    CHECK(failures_now(kSignInPerKiosk, c, 1'000'000 + 2 * 60'000 - 1) == 5);
    CHECK(failures_now(kSignInPerKiosk, c, 1'000'000 + 2 * 60'000) == 4);
    CHECK(failures_now(kSignInPerKiosk, c, 1'000'000 + 60 * 60'000) == 0);
    CHECK(after_failure(kSignInPerKiosk, c, 1'000'000 + 4 * 60'000).failures == 4);
}

TEST_CASE("Sign-in: an unknown card and a wrong PIN get identical answers in about the same time", "[crm][guessing]") {
    CrmFixture f;
    // One wrong PIN per card, and two minutes between them, so that no wait
    // (429) ever comes into the measurement.
    std::vector<double> known_ms, unknown_ms;
    std::string known_body, unknown_body;
    for (int i = 1; i <= 24; ++i) {
        for (bool known : {true, false}) {
            std::string card = known ? card_number(i) : card_number(900 + i);
            auto start = std::chrono::steady_clock::now();
            auto res = sign_in_as(f, card, "0000");
            double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
            REQUIRE(res);
            CHECK(res->status == 401);
            CHECK_FALSE(res->has_header("Retry-After"));
            (known ? known_ms : unknown_ms).push_back(ms);
            (known ? known_body : unknown_body) = res->body;
            f.clock.advance(2 * 60'000);
        }
    }
    CHECK(known_body == unknown_body);  // no tries_left, no other field for a real card
    CHECK(json::parse(known_body)["error"]["code"] == "wrong_card_or_pin");
    auto median = [](std::vector<double> v) {
        std::sort(v.begin(), v.end());
        return v[v.size() / 2];
    };
    double known = median(known_ms), unknown = median(unknown_ms);
    INFO("median wrong PIN " << known << " ms, unknown card " << unknown << " ms");
    // The same statements and the same commit on both paths: the medians differ by noise only.
    CHECK(std::abs(known - unknown) < std::max(3.0, 0.75 * std::max(known, unknown)));
}

TEST_CASE("A burst of wrong sign-ins across many cards from one kiosk is slowed, with growing delays",
          "[crm][guessing]") {
    CrmFixture f;
    // Ten slips are free at a kiosk; the eleventh wrong PIN makes it wait.
    int n = 1;
    for (; n <= 10; ++n) CHECK(sign_in_as(f, card_number(n), "0000", kStranger)->status == 401);
    auto slowed = sign_in_as(f, card_number(n), "0000", kStranger);
    CHECK(slowed->status == 401);  // the eleventh is still checked…
    auto waits = sign_in_as(f, card_number(++n), "1234", kStranger);
    CHECK(waits->status == 429);   // …and then the kiosk waits, even with a right PIN: no PIN is checked
    CHECK(error_code(waits) == "rate_limited");
    CHECK(retry_after(waits) == 1);
    CHECK(json::parse(waits->body)["retry_after_s"] == 1);
    CHECK_FALSE(json::parse(waits->body).contains("balance"));

    // Each further failure doubles the wait, up to two minutes.
    std::vector<int64_t> seen;
    for (int i = 0; i < 10; ++i) {
        f.clock.advance(retry_after(sign_in_as(f, card_number(++n), "0000", kStranger)) * 1000);
        CHECK(sign_in_as(f, card_number(++n), "0000", kStranger)->status == 401);
        seen.push_back(retry_after(sign_in_as(f, card_number(++n), "0000", kStranger)));
    }
    CHECK(seen == std::vector<int64_t>{2, 4, 8, 16, 32, 64, 120, 120, 120, 120});

    // Another kiosk is not slowed by this one.
    CHECK(sign_in_as(f, card_number(2), "1234")->status == 200);
}

TEST_CASE("A member whose card a stranger hammered can still sign in after the delay", "[crm][guessing]") {
    CrmFixture f;
    const std::string card = card_number(7);
    // The stranger tries PIN after PIN on one card, as fast as the CRM lets them,
    // for two hours; the waits never exceed 15 minutes.
    int guesses = 0;
    int64_t longest = 0, elapsed = 0;
    while (elapsed < 2 * 3'600'000) {
        auto res = sign_in_as(f, card, std::to_string(1000 + guesses), kStranger);
        REQUIRE(res);
        if (res->status == 429) {
            longest = std::max(longest, retry_after(res));
            f.clock.advance(retry_after(res) * 1000);
            elapsed += retry_after(res) * 1000;
        } else {
            CHECK(res->status == 401);
            ++guesses;
        }
    }
    CHECK(longest == 15 * 60);
    CHECK(guesses <= 20);  // 3 free, then 5 s, 10 s, … 15 min: 18 guesses in two hours
    // The stranger's latest wrong guess, just now.
    for (;;) {
        auto res = sign_in_as(f, card, "0001", kStranger);
        if (res->status == 401) break;
        f.clock.advance(retry_after(res) * 1000);
    }

    // The member, at another kiosk, right after the stranger's latest guess: asked to wait…
    auto wait = sign_in_as(f, card, "1234");
    CHECK(wait->status == 429);
    CHECK(retry_after(wait) <= 15 * 60);
    // …and in after the wait, never locked out for longer.
    f.clock.advance(retry_after(wait) * 1000);
    CHECK(sign_in_as(f, card, "1234")->status == 200);
    // The right PIN forgot the card's count: the member's own slip costs nothing.
    CHECK(sign_in_as(f, card, "0000")->status == 401);
    CHECK(sign_in_as(f, card, "1234")->status == 200);
}

TEST_CASE("Guess counters live in the database: a restarted CRM (or another process) keeps them", "[crm][guessing]") {
    CrmFixture f;
    for (int i = 0; i < 4; ++i) sign_in_as(f, card_number(5), "0000");
    CHECK(sign_in_as(f, card_number(5), "1234")->status == 429);
    f.start();  // a new server on the same database file
    CHECK(sign_in_as(f, card_number(5), "1234")->status == 429);
    crm::CrmServer second(f.options, f.clock);  // a second process's view, side by side
    std::string error;
    REQUIRE(second.start(&error));
    CHECK(second.store().sign_in("lobby-1", card_number(5), "1234").outcome == crm::SignIn::Outcome::wait);
}

TEST_CASE("Staff see who has been guessing, with cards masked", "[crm][guessing]") {
    CrmFixture f;
    for (int i = 0; i < 5; ++i) sign_in_as(f, card_number(7), "000" + std::to_string(i), kStranger);
    file_complaint(f, "K-7KQ4-M2XD", {{"contact_phone", "13812345678"}});
    complaint(f, "K-7KQ4-M2XD", "phone_last4=0000");
    CHECK(f.staff("GET", "/api/v1/admin/guessing", "", "wrong")->status == 401);
    auto res = f.staff("GET", "/api/v1/admin/guessing");
    REQUIRE(res->status == 200);
    CHECK(res->body.find(card_number(7)) == std::string::npos);  // never the card number in clear
    json items = json::parse(res->body)["items"];
    auto find = [&](const std::string& scope, const std::string& subject) {
        for (const json& item : items)
            if (item["scope"] == scope && item["subject"] == subject) return item;
        return json();
    };
    json card = find("sign_in_card", "****0007");
    REQUIRE(card.is_object());
    CHECK(card["total_failures"] == 4);  // the fifth was told to wait, not counted
    CHECK(card["waits_until_ms"] > f.clock.wall_ms());
    CHECK(find("sign_in_kiosk", "lobby-2")["total_failures"] == 4);
    CHECK(find("look_up_code", "K-7KQ4-M2XD")["total_failures"] == 1);
    CHECK(find("look_up_kiosk", "lobby-1")["total_failures"] == 1);
}

TEST_CASE("A complaint filed without a phone opens only with its look-up code, kept hashed", "[crm][guessing]") {
    CrmFixture f;
    file_complaint(f, "K-AAAA-BBBB", {{"lookup_code", "483920"}});
    CHECK(complaint(f, "K-AAAA-BBBB")->status == 404);  // the ticket alone is not enough
    CHECK(error_code(complaint(f, "K-AAAA-BBBB", "lookup_code=111111")) == "no_such_ticket");
    auto open = complaint(f, "K-AAAA-BBBB", "lookup_code=483920");
    REQUIRE(open->status == 200);
    CHECK(json::parse(open->body)["stage"] == "submitted");
    // Staff lists hold the record, never the code.
    auto list = f.staff("GET", "/api/v1/admin/complaints");
    CHECK(list->body.find("K-AAAA-BBBB") != std::string::npos);
    CHECK(list->body.find("483920") == std::string::npos);
    // A complaint with neither a phone nor a code (an old kiosk's) cannot be opened at a kiosk at all.
    file_complaint(f, "K-lobby-1-000001", json::object());
    CHECK(complaint(f, "K-lobby-1-000001")->status == 404);
    // A code that is not 4–12 letters or digits is refused.
    CHECK(f.batch({record("bad-code", "complaint", {{"ticket", "K-CCCC-DDDD"}, {"text", "x"}, {"lookup_code", "1"}})})[0]
              ["reason"] == "invalid_lookup_code");
}

TEST_CASE("Wrong look-up guesses are slowed per ticket and per kiosk", "[crm][guessing]") {
    CrmFixture f;
    file_complaint(f, "K-7KQ4-M2XD", {{"contact_phone", "13812345678"}});
    // Three wrong phone digits are free; the fourth makes the ticket wait 5 s —
    // at every kiosk, and even for the right digits.
    for (int i = 0; i < 4; ++i) CHECK(complaint(f, "K-7KQ4-M2XD", "phone_last4=000" + std::to_string(i))->status == 404);
    auto wait = complaint(f, "K-7KQ4-M2XD", "phone_last4=5678", kStranger);
    CHECK(wait->status == 429);
    CHECK(retry_after(wait) == 5);
    f.clock.advance(5'000);
    CHECK(complaint(f, "K-7KQ4-M2XD", "phone_last4=5678", kStranger)->status == 200);

    // Walking ticket numbers from one kiosk: ten misses are free, then the kiosk waits.
    for (int i = 0; i < 10; ++i) CHECK(complaint(f, "K-lobby-2-00000" + std::to_string(i), "", kStranger)->status == 404);
    CHECK(complaint(f, "K-lobby-2-000010", "", kStranger)->status == 404);
    CHECK(complaint(f, "K-lobby-2-000011", "", kStranger)->status == 429);
    CHECK(complaint(f, "K-7KQ4-M2XD", "phone_last4=5678")->status == 200);  // another kiosk is not held up
}

TEST_CASE("Booking look-ups, moves and cancellations carry the booking's guard", "[crm][guessing]") {
    CrmFixture f;
    const std::string day = day_after(f.clock, 2);
    auto slots = json::parse(f.kiosk("GET", "/api/v1/slots?department=internal&day=" + day)->body)["items"];
    const std::string a = slots[0]["slot"], b = slots[1]["slot"], c = slots[2]["slot"];
    REQUIRE(f.batch({record("g1", "booking", {{"code", "B-GGGG-1111"}, {"slot", a}, {"person", "guest:ab"},
                                              {"phone_last4", "5678"}}),
                     record("m1", "booking", {{"code", "B-MMMM-2222"}, {"slot", b}, {"person", "card:6200000000000004"}})}) ==
            json::array({{{"key", "g1"}, {"status", "accepted"}}, {{"key", "m1"}, {"status", "accepted"}}}));

    CHECK(f.kiosk("GET", "/api/v1/bookings/B-GGGG-1111")->status == 404);
    CHECK(f.kiosk("GET", "/api/v1/bookings/B-GGGG-1111?phone_last4=5678")->status == 200);

    auto results = f.batch({
        record("x1", "booking_cancel", {{"code", "B-GGGG-1111"}}),                           // an old kiosk's: no guard
        record("x2", "booking_cancel", {{"code", "B-GGGG-1111"}, {"phone_last4", "0000"}}),  // a wrong guess
        record("x3", "booking_move", {{"code", "B-MMMM-2222"}, {"slot", c}, {"person", "card:6200000000000005"}}),
        record("x4", "booking_move", {{"code", "B-MMMM-2222"}, {"slot", c}, {"person", "card:6200000000000004"}}),
        record("x5", "booking_cancel", {{"code", "B-GGGG-1111"}, {"phone_last4", "5678"}}),
    });
    CHECK(results[0]["reason"] == "guard_required");
    CHECK(results[1]["reason"] == "no_such_booking");  // told like an unknown code
    CHECK(results[2]["reason"] == "no_such_booking");
    CHECK(results[3]["status"] == "accepted");
    CHECK(results[4]["status"] == "accepted");

    // Guessing a booking's digits through the outbox is slowed like a look-up:
    // once the code must wait, a batch with a change to it is answered 429.
    for (int i = 0; i < 4; ++i)
        CHECK(f.batch({record("y" + std::to_string(i), "booking_move",
                              {{"code", "B-MMMM-2222"}, {"slot", a}, {"phone_last4", "000" + std::to_string(i)}})})[0]
                  ["reason"] == "no_such_booking");
    auto res = f.kiosk("POST", "/api/v1/outbox/batch",
                       json{{"records", {record("y9", "booking_cancel", {{"code", "B-MMMM-2222"},
                                                                          {"person", "card:6200000000000004"}})}}}
                           .dump());
    CHECK(res->status == 429);
    CHECK(retry_after(res) == 5);
    f.clock.advance(5'000);
    CHECK(f.batch({record("y9", "booking_cancel", {{"code", "B-MMMM-2222"}, {"person", "card:6200000000000004"}})})[0]
              ["status"] == "accepted");
}
