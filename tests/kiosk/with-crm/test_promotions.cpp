// Offers & events, through the real kiosk binary against the real CRM: the
// list for a guest in their language, the detail page with its QR code, the
// attract screen's carousel, content that changes between runs, offers that
// end while the kiosk is offline, and pictures that are broken.
#include "kiosk_with_crm.h"

namespace {

constexpr int64_t kDay = 86'400'000;

json in_four(const std::string& zh_hans, const std::string& zh_hant, const std::string& en, const std::string& es) {
    return {{"zh-Hans", zh_hans}, {"zh-Hant", zh_hant}, {"en", en}, {"es", es}};
}

json offer(const std::string& id, const json& title, int64_t from, int64_t until, const std::string& image = "") {
    json o = {{"id", id}, {"priority", 1}, {"tiers", json::array()}, {"valid_from_ms", from},
              {"valid_until_ms", until}, {"title", title}, {"body", title}};
    if (!image.empty()) o["image"] = image;
    return o;
}

void put_promotions(KioskWithCrm& k, const json& offers) {
    auto put = k.staff("PUT", "/api/v1/admin/content/promotions", json{{"version", "test"}, {"promotions", offers}}.dump());
    REQUIRE(put);
    REQUIRE(put->status == 204);
}

int64_t now_ms() { return platform::system_clock().wall_ms(); }

}  // namespace

TEST_CASE("A guest sees the offers for everyone in their language, and one offer with its QR code", "[with-crm][promotions]") {
    KioskWithCrm k;
    std::string shots = KioskWithCrm::screenshot_dir();
    ScriptResult run = k.run_script(R"(
tap start
tap lang.en
tap home.promotions
expect screen promotions
expect visible promotions.empty
sync
expect visible Redeem points for a health check-up card
expect visible Free health lecture
expect hidden Free teeth cleaning for VIP guests
expect hidden Mother's Day health day
expect hidden promotions.empty
tap promotions.card.health-lecture
expect screen promotion_detail
expect visible promotion.title
expect visible promotion.qr
expect visible For every guest
screenshot )" + shots + R"(/promotions-test-detail.png
tap lang.es
expect visible Charla de salud gratuita
tap nav.back
expect screen promotions
tap lang.zh-Hant
expect visible 積分兌換愛心體檢卡
)");
    REQUIRE_SCRIPT_PASSES(run);
}

TEST_CASE("The attract screen shows the current offers between its key messages", "[with-crm][promotions]") {
    KioskWithCrm k;
    // Before the first sync there are no offers: key messages only. Then the
    // first slide is an offer, the second a key message (each one turn per language, 4 s a turn).
    ScriptResult run = k.run_script(R"(
expect hidden carousel.offer
sync
expect screen attract
expect visible 积分兑换爱心体检卡
wait 17 s
expect screen attract
expect hidden carousel.offer
wait 16 s
expect visible carousel.offer
expect visible 免费健康讲座
)");
    REQUIRE_SCRIPT_PASSES(run);
}

TEST_CASE("Offers the CRM adds, changes and withdraws reach the kiosk, and an offer ends on time offline",
          "[with-crm][promotions]") {
    KioskWithCrm k;
    ScriptResult first = k.run_script(R"(
sync
tap start
tap lang.en
tap home.promotions
expect visible Free health lecture
expect visible Redeem points for a health check-up card
)");
    REQUIRE_SCRIPT_PASSES(first);

    // Staff: the lecture is withdrawn, the check-up card reworded, a short flash offer added.
    int64_t now = now_ms();
    put_promotions(k, json::array({
        offer("checkup-card", in_four("体检卡限时兑换", "體檢卡限時兌換", "Check-up cards, this month only", "Tarjetas de chequeo, solo este mes"),
              now - kDay, now + 30 * kDay, "checkup-card"),
        offer("flash", in_four("今日讲座", "今日講座", "Talk today", "Charla hoy"), now - kDay, now + 90'000),
    }));

    ScriptResult second = k.run_script(R"(
tap start
tap lang.en
tap home.promotions
expect visible Free health lecture
sync
expect hidden Free health lecture
expect hidden Redeem points for a health check-up card
expect visible Check-up cards, this month only
expect visible Talk today
)");
    REQUIRE_SCRIPT_PASSES(second);

    // Restarted with the CRM gone: the offers come from the cache, and the
    // flash offer vanishes at its end instant with nobody touching the screen.
    ScriptResult offline = k.run_script(R"(
tap start
tap lang.en
tap home.promotions
expect visible Check-up cards, this month only
expect visible Talk today
wait 100 s
expect screen promotions
expect hidden Talk today
expect visible Check-up cards, this month only
)", [] {
        ScriptRun run = ScriptRun::offline();
        run.config_lines.push_back("idle_timeout_s = 3600");  // the guest "reads" for 100 s without touching
        return run;
    }());
    REQUIRE_SCRIPT_PASSES(offline);
}

TEST_CASE("Broken, huge and wrongly typed pictures are skipped: the offer shows without one", "[with-crm][promotions]") {
    KioskWithCrm k;
    crm::Store& crm = k.server->store();
    // A real PNG header that claims 30000×30000 pixels, and a GIF stored as if it were a PNG.
    std::string bomb = crm.image("checkup-card")->body;
    for (int i : {16, 20}) bomb[size_t(i)] = 0, bomb[size_t(i) + 1] = 0, bomb[size_t(i) + 2] = char(0x75), bomb[size_t(i) + 3] = char(0x30);
    REQUIRE(crm.put_image("bomb", "image/png", bomb));
    REQUIRE(crm.put_image("gif", "image/png", "GIF89a\x01\x00\x01\x00\x00\x00\x00;"));
    int64_t now = now_ms();
    put_promotions(k, json::array({
        offer("broken", in_four("坏图", "壞圖", "Broken picture", "Imagen rota"), now - kDay, now + kDay, "broken-sample"),
        offer("bomb", in_four("巨图", "巨圖", "Huge picture", "Imagen enorme"), now - kDay, now + kDay, "bomb"),
        offer("gif", in_four("动图", "動圖", "Wrong type", "Tipo equivocado"), now - kDay, now + kDay, "gif"),
    }));
    ScriptResult run = k.run_script(R"(
sync
tap start
tap lang.en
tap home.promotions
expect visible Broken picture
expect visible Huge picture
expect visible Wrong type
tap promotions.card.broken
expect visible promotion.title
tap nav.back
tap promotions.card.bomb
expect visible promotion.title
)");
    REQUIRE_SCRIPT_PASSES(run);
    CHECK(run.output.find("promotion image broken-sample not shown") != std::string::npos);
    CHECK(run.output.find("promotion image bomb not shown") != std::string::npos);
    CHECK(run.output.find("promotion image gif skipped: not a PNG or JPEG") != std::string::npos);
}
