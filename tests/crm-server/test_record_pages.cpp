// The page a guest's phone opens from the QR code on a ticket, booking slip
// or voucher (issue 14, paper and phone), fetched over HTTP from the real CRM
// on 127.0.0.1 as a phone would: no kiosk key, only the record's own guard.
// It shows the record with the right guard; an unknown code, a wrong guard and
// a record not yet received get one page, byte for byte; wrong guesses are
// throttled through the same counters as the kiosk look-ups.
#include "crm_contract/record_pages.h"
#include "crm_fixture.h"

namespace {

const std::string kGuard = "7KQ4M2XD7KQ4M2XD";
const std::string kOtherGuard = "0123456789ABCDEF";

httplib::Result phone_get(CrmFixture& f, const std::string& path_and_query) {
    auto c = f.client();
    return c.Get(path_and_query.c_str());  // no kiosk headers: a phone has none
}

bool has(const httplib::Result& res, const std::string& text) { return res && res->body.find(text) != std::string::npos; }

}  // namespace

TEST_CASE("A complaint's page opens with its guard, in the guest's language, and shows no phone", "[crm][record_pages]") {
    CrmFixture f;
    REQUIRE(f.batch({record("c1", "complaint", {{"ticket", "K-7KQ4-M2XD"}, {"text", "waited two hours"},
                                                {"contact_phone", "13812345678"}, {"page_guard", kGuard}})})[0]["status"] ==
            "accepted");
    auto en = phone_get(f, "/r/c/K-7KQ4-M2XD?g=" + kGuard + "&l=en");
    REQUIRE(en);
    CHECK(en->status == 200);
    CHECK(en->get_header_value("Content-Type") == "text/html; charset=utf-8");
    CHECK(en->get_header_value("Cache-Control") == "no-store");
    CHECK(has(en, "Complaint progress"));
    CHECK(has(en, "K-7KQ4-M2XD"));
    CHECK(has(en, "Submitted"));
    CHECK_FALSE(has(en, "5678"));               // not even the phone's last digits
    CHECK_FALSE(has(en, "waited two hours"));   // nor what the guest wrote
    CHECK_FALSE(has(en, "http"));               // no external resource of any kind
    CHECK_FALSE(has(en, "<script"));
    auto zh = phone_get(f, "/r/c/K-7KQ4-M2XD?g=" + kGuard + "&l=zh-Hant");
    CHECK(has(zh, "投訴進度"));
    auto fallback = phone_get(f, "/r/c/K-7KQ4-M2XD?g=" + kGuard);
    CHECK(has(fallback, "投诉进度"));  // no language given: the hospital's own

    // Staff lists keep the complaint, never its page guard.
    auto list = f.staff("GET", "/api/v1/admin/complaints");
    CHECK(has(list, "K-7KQ4-M2XD"));
    CHECK_FALSE(has(list, kGuard));

    // Staff move it on: the phone sees the new stage.
    REQUIRE(f.staff("POST", "/api/v1/admin/complaints/K-7KQ4-M2XD/advance")->status == 200);
    CHECK(has(phone_get(f, "/r/c/K-7KQ4-M2XD?g=" + kGuard + "&l=es"), "Recibida"));
}

TEST_CASE("Unknown, wrong guard and not yet received are one page, and wrong guesses are slowed like a look-up",
          "[crm][record_pages]") {
    CrmFixture f;
    REQUIRE(f.batch({record("c1", "complaint", {{"ticket", "K-AAAA-BBBB"}, {"text", "x"}, {"lookup_code", "483920"},
                                                {"page_guard", kGuard}})})[0]["status"] == "accepted");
    auto wrong = phone_get(f, "/r/c/K-AAAA-BBBB?g=" + kOtherGuard + "&l=en");
    auto unknown = phone_get(f, "/r/c/K-ZZZZ-ZZZZ?g=" + kGuard + "&l=en");  // e.g. filed offline, not sent yet
    auto no_guard = phone_get(f, "/r/b/B-AAAA-BBBB?l=en");
    auto the_lookup_code = phone_get(f, "/r/c/K-AAAA-BBBB?g=483920&l=en");  // the kiosk's guard opens no page
    for (const auto* res : {&wrong, &unknown, &no_guard, &the_lookup_code}) {
        REQUIRE(*res);
        CHECK((*res)->status == 404);
        CHECK((*res)->body == wrong->body);
    }
    CHECK(has(wrong, "Not available yet"));
    CHECK(has(wrong, "try again later"));
    CHECK_FALSE(has(wrong, "K-AAAA-BBBB"));

    // Two more wrong guards at this ticket (four in all) and it waits — on the
    // phone page and at the kiosk look-up alike, even for the right guard.
    for (int i = 0; i < 2; ++i) CHECK(phone_get(f, "/r/c/K-AAAA-BBBB?g=" + kOtherGuard)->status == 404);
    auto wait = phone_get(f, "/r/c/K-AAAA-BBBB?g=" + kGuard + "&l=en");
    REQUIRE(wait);
    CHECK(wait->status == 429);
    CHECK(wait->get_header_value("Retry-After") == "5");
    CHECK(has(wait, "5 seconds"));
    CHECK(f.kiosk("GET", "/api/v1/complaints/K-AAAA-BBBB?lookup_code=483920")->status == 429);
    f.clock.advance(5'000);
    CHECK(phone_get(f, "/r/c/K-AAAA-BBBB?g=" + kGuard + "&l=en")->status == 200);

    // Walking codes from one address: ten misses are free, then that address waits
    // (after an hour's quiet, which forgives the six misses above).
    f.clock.advance(60 * 60'000);
    for (int i = 0; i < 10; ++i) phone_get(f, "/r/v/V-0000000" + std::to_string(i) + "?g=" + kGuard);
    CHECK(phone_get(f, "/r/v/V-00000010?g=" + kGuard)->status == 404);
    CHECK(phone_get(f, "/r/v/V-00000011?g=" + kGuard)->status == 429);
    // Staff see the address that guessed.
    CHECK(has(f.staff("GET", "/api/v1/admin/guessing"), "page@127.0.0.1"));
}

TEST_CASE("A booking's page shows its department, doctor and local time, and a cancellation", "[crm][record_pages]") {
    CrmFixture f;
    const std::string day = day_after(f.clock, 2);
    auto slots = json::parse(f.kiosk("GET", "/api/v1/slots?department=internal&day=" + day)->body)["items"];
    REQUIRE(f.batch({record("b1", "booking", {{"code", "B-GGGG-1111"}, {"slot", slots[0]["slot"]}, {"person", "guest:ab"},
                                              {"phone_last4", "5678"}, {"page_guard", kGuard}})})[0]["status"] ==
            "accepted");
    auto page = phone_get(f, "/r/b/B-GGGG-1111?g=" + kGuard + "&l=en");
    REQUIRE(page);
    CHECK(page->status == 200);
    CHECK(has(page, "B-GGGG-1111"));
    CHECK(has(page, "Confirmed"));
    CHECK(has(page, slots[0]["doctor_name"].get<std::string>()));
    // The hospital's wall clock (Asia/Shanghai), with the weekday.
    platform::LocalTime t = *f.clock.local_time(slots[0]["starts_ms"].get<int64_t>(), "Asia/Shanghai");
    CHECK(has(page, t.hh_mm()));
    CHECK(has(page, std::to_string(t.year)));
    CHECK_FALSE(has(page, "5678"));
    CHECK_FALSE(has(page, "guest:ab"));
    REQUIRE(f.batch({record("b2", "booking_cancel", {{"code", "B-GGGG-1111"}, {"phone_last4", "5678"}})})[0]["status"] ==
            "accepted");
    CHECK(has(phone_get(f, "/r/b/B-GGGG-1111?g=" + kGuard + "&l=zh-Hans"), "已取消"));
}

TEST_CASE("A voucher's page: a points-only voucher, points + cash and a gift each open with their own guard",
          "[crm][record_pages]") {
    CrmFixture f;
    const std::string card = "6200000000000020";
    const std::string session = f.session(card);
    // Spent online, as the kiosk does: the member's session, the CRM's prices.
    auto spend = [&](const json& rec) {
        auto res = f.kiosk("POST", "/api/v1/redemptions", rec.dump(), {}, session);
        REQUIRE(res);
        INFO(res->body);
        return json::parse(res->body);
    };
    auto with_guard = [](json payload, const std::string& guard) {
        payload["page_guard"] = guard;
        return payload;
    };
    CHECK(spend(record("v1", "redemption", with_guard(priced_redemption(card, "registration-discount", nullptr, "V-1A2B3C4D"),
                                                      kGuard)))["status"] == "accepted");
    CHECK(spend(record("v2", "redemption", with_guard(priced_redemption(card, "teeth-cleaning", nullptr, "V-5E6F7A8B"),
                                                      kOtherGuard)))["status"] == "accepted");
    CHECK(spend(record("v3", "points_gift", {{"from_card", card}, {"to_card", "6200000000000021"}, {"points", 10},
                                             {"voucher", "V-99999999"}, {"page_guard", kGuard}}))["status"] == "accepted");
    auto bad = spend(record("v4", "redemption", with_guard(priced_redemption(card, "registration-discount", nullptr,
                                                                             "V-00000000"), "not-a-guard")));
    CHECK(bad["reason"] == "invalid_page_guard");  // refused whole: nothing was spent

    auto points_only = phone_get(f, "/r/v/V-1A2B3C4D?g=" + kGuard + "&l=en");
    CHECK(points_only->status == 200);
    CHECK(has(points_only, "20% off registration"));
    CHECK(has(points_only, "300"));
    CHECK_FALSE(has(points_only, card));
    CHECK_FALSE(has(points_only, "0020"));
    auto cash = phone_get(f, "/r/v/V-5E6F7A8B?g=" + kOtherGuard + "&l=es");
    CHECK(has(cash, "Limpieza dental"));
    CHECK(has(cash, "¥30.00"));
    CHECK(phone_get(f, "/r/v/V-5E6F7A8B?g=" + kGuard)->status == 404);  // another record's guard opens nothing
    auto gift = phone_get(f, "/r/v/V-99999999?g=" + kGuard + "&l=en");
    CHECK(has(gift, "Points given"));
    CHECK_FALSE(has(gift, "0021"));
}

TEST_CASE("A voucher issued offline and refused by the CRM: its page says it is void, and took no points",
          "[crm][record_pages]") {
    CrmFixture f;
    const std::string card = "6200000000000020";
    json signed_in = f.sign_in(card);
    // Queued offline under the CRM's grant; the points went elsewhere first.
    json spent_elsewhere = record("elsewhere", "points_gift", {{"from_card", card}, {"to_card", "6200000000000021"},
                                                               {"points", signed_in["balance"].get<int64_t>() - 100}});
    REQUIRE(json::parse(f.kiosk("POST", "/api/v1/redemptions", spent_elsewhere.dump(), {},
                                signed_in["session"]["token"].get<std::string>())->body)["status"] == "accepted");
    json late = priced_redemption(card, "registration-discount", cited_grant(signed_in), "V-0FF11E00");
    late["page_guard"] = kGuard;
    auto results = f.batch({record("v-late", "redemption", late)});
    INFO(results.dump());
    REQUIRE(results[0]["status"] == "rejected");
    auto page = phone_get(f, "/r/v/V-0FF11E00?g=" + kGuard + "&l=en");
    REQUIRE(page);
    CHECK(page->status == 200);
    CHECK(has(page, "This voucher is void"));
    CHECK(has(page, "20% off registration"));
    CHECK(phone_get(f, "/r/v/V-0FF11E00?g=" + kOtherGuard)->status == 404);  // its guard only
}

TEST_CASE("A guard that is too long, or a path that is not a page, is refused before any look-up", "[crm][record_pages]") {
    CrmFixture f;
    CHECK(phone_get(f, "/r/c/K-AAAA-BBBB?g=" + std::string(65, 'A'))->status == 400);
    CHECK(phone_get(f, "/r/x/K-AAAA-BBBB?g=" + kGuard)->status == 404);
    CHECK(phone_get(f, "/r/c/" + std::string(65, 'K') + "?g=" + kGuard)->status == 404);
}

TEST_CASE("A real browser renders a complaint's page from the CRM: the ticket, the stage, in Chinese", "[crm][record_pages][browser]") {
    CrmFixture f;
    REQUIRE(f.batch({record("c1", "complaint", {{"ticket", "K-7KQ4-M2XD"}, {"text", "x"}, {"lookup_code", "483920"},
                                                {"page_guard", kGuard}})})[0]["status"] == "accepted");
    std::string url = crm_contract::record_page_url("http://127.0.0.1:" + std::to_string(f.server->port()),
                                                    crm_contract::RecordPageKind::complaint, "K-7KQ4-M2XD", kGuard, "zh-Hans");
    REQUIRE_FALSE(url.empty());
    // Headless Chromium as a phone would open it (bounded: `timeout`), its own profile in the test's directory.
    std::string command = "timeout 90 chromium --headless=new --no-sandbox --disable-gpu --no-first-run "
                          "--window-size=412,915 --user-data-dir=" + (f.dir / "chromium").string() +
                          " --dump-dom '" + url + "' 2>/dev/null";
    std::string dom;
    if (FILE* out = popen(command.c_str(), "r")) {
        char buffer[4096];
        size_t n;
        while ((n = fread(buffer, 1, sizeof buffer, out)) > 0) dom.append(buffer, n);
        pclose(out);
    }
    INFO(dom);
    CHECK(dom.find("<p class=\"code\" id=\"id\">K-7KQ4-M2XD</p>") != std::string::npos);
    CHECK(dom.find("投诉进度") != std::string::npos);
    CHECK(dom.find("已提交") != std::string::npos);
    CHECK(dom.find("<html lang=\"zh-Hans\">") != std::string::npos);
}
