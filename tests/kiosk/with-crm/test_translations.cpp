// The hospital rewords the kiosk from its CRM: content "translations"
// overrides the shipped strings, survives a restart offline, and a withdrawn
// override brings the shipped text back.
#include "kiosk_with_crm.h"

TEST_CASE("Strings the CRM rewords reach the screen, and stay when the CRM is gone", "[with-crm][i18n]") {
    KioskWithCrm k;
    auto put = k.staff("PUT", "/api/v1/admin/content/translations",
                       R"({"version": "t-1", "strings": {"tile.visit_flow": {"en": "How to see a doctor",
                                                                              "zh-Hans": "看病怎么走"}}})");
    REQUIRE(put);
    REQUIRE(put->status == 204);

    // Before it has synced, the kiosk shows its own words.
    ScriptResult first = k.run_script(R"(
tap start
tap lang.en
expect visible Visit flow
expect hidden How to see a doctor
sync
expect visible How to see a doctor
)");
    REQUIRE_SCRIPT_PASSES(first);

    // Restarted with the CRM unreachable: the override comes from the offline cache.
    ScriptResult offline = k.run_script(R"(
tap start
tap lang.zh-Hans
expect visible 看病怎么走
tap lang.es
expect visible home.visit_flow
)", ScriptRun::offline());
    REQUIRE_SCRIPT_PASSES(offline);

    // Withdrawn at the CRM: the shipped text is back after the next sync.
    put = k.staff("PUT", "/api/v1/admin/content/translations", R"({"version": "t-2", "strings": {}})");
    REQUIRE(put->status == 204);
    ScriptResult withdrawn = k.run_script(R"(
sync
tap start
tap lang.en
expect visible Visit flow
expect hidden How to see a doctor
)");
    REQUIRE_SCRIPT_PASSES(withdrawn);
}
