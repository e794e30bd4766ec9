// The staff screen against the real CRM (issue 14, fault 9): its values in the
// staff member's language, "Sync now" answering with what it did, and the
// safe way out (Close) as the highlighted button rather than exiting the program.
#include "kiosk_with_crm.h"

TEST_CASE("Sync now on the staff screen says it started and then that it finished", "[with-crm][staff]") {
    KioskWithCrm k;
    ScriptResult r = k.run_script(R"(
tap start
tap lang.en
hold_at 20 20 3000
expect screen admin_pin
tap pin.2
tap pin.4
tap pin.6
tap pin.8
tap pin.ok
expect screen admin
expect hidden staff.sync_feedback
tap admin.sync_now
expect visible staff.sync_feedback
sync
expect visible Sync finished: 0 waiting, Online
)");
    REQUIRE_SCRIPT_PASSES(r);
}
