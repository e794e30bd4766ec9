// Members at the kiosk, end to end: the real kiosk binary, headless and
// scripted, against the real reference CRM — sign in by scan or typed card,
// the balance hidden until tapped, the three ways to spend, the PIN lockout,
// offline sign-in and redemption within the daily limit, a queued redemption
// the CRM refuses (a void voucher told at the next sign-in), and the member's
// data leaving the screen at sign-out and idle timeout.
#include "kiosk_with_crm.h"

namespace {
const char* kSignIn20 = R"(
tap start
tap lang.en
tap home.members
expect screen members
scan https://example.com/not-a-card
expect visible That is not a member card or member QR code. Please try another.
scan KNMEMBER:6200000000000020
type 1234
tap member.sign_in
expect screen member_points
)";

std::string sign_in_typed(const std::string& card, const std::string& pin = "1234") {
    return "tap start\ntap lang.en\ntap home.members\ntype " + card + "\ntap member.card_next\ntype " + pin +
           "\ntap member.sign_in\n";
}

int64_t balance_of(KioskWithCrm& k, const std::string& card) { return k.sign_in(card)["balance"]; }
}  // namespace

TEST_CASE("A member signs in by QR code, sees the balance only after tapping, and spends points three ways", "[with-crm][members]") {
    KioskWithCrm k;
    int64_t balance = balance_of(k, "6200000000000020");
    int64_t friend_balance = balance_of(k, "6200000000000002");
    ScriptResult r = k.run_script(std::string(kSignIn20) + R"(
expect visible member.name
expect hidden member.balance
# The chart and the history add up to the balance: hidden with it (issue 14, fault 6).
expect hidden member.chart
expect hidden member.history.0
expect visible member.statement_hidden
tap member.show_balance
expect visible member.balance
expect visible member.chart
expect visible member.history.0
tap member.redeem
expect screen member_redeem
tap reward.registration-discount
expect visible redeem.question
# The balance before and after, before the guest confirms (issue 14, fault 6).
expect visible redeem.balance_preview
tap redeem.confirm
expect visible redeem.voucher
# A points-only voucher has its QR code too: its phone page (issue 14, paper and phone).
expect visible redeem.qr
tap redeem.done
expect screen member_points
tap member.redeem
tap reward.teeth-cleaning
tap redeem.confirm
expect visible redeem.voucher
expect visible redeem.qr
expect visible Please pay ¥30 at the cashier: show the voucher number or its QR code.
tap redeem.done
tap member.redeem
tap redeem.gift
type 6200000000000002
tap gift.find
expect visible To: 李*英 (•••• 0002)
type 50
tap gift.next
expect visible Give 50 points to 李*英 (•••• 0002)? A gift cannot be undone.
tap gift.confirm
expect visible redeem.voucher
# A gift says so, with the balance before and after (issue 14, fault 6).
expect visible Points given
expect visible redeem.balance_change
tap redeem.done
tap member.sign_out
expect screen home
expect visible session.signed_out
)");
    REQUIRE_SCRIPT_PASSES(r);
    json items = k.admin_list("redemptions");
    REQUIRE(items.size() == 3);
    CHECK(items[0]["type"] == "points_gift");
    CHECK(items[0]["payload"]["points"] == 50);
    CHECK(items[1]["payload"]["mode"] == "points_cash");
    CHECK(items[1]["payload"]["cash_fen"] == 3000);
    CHECK(items[2]["payload"]["mode"] == "points");
    CHECK(items[2]["payload"]["voucher"].get<std::string>().rfind("V-", 0) == 0);
    CHECK(balance_of(k, "6200000000000020") == balance - 300 - 1500 - 50);
    CHECK(balance_of(k, "6200000000000002") == friend_balance + 50);
    CHECK(r.output.find("6200000000000020") == std::string::npos);  // logs mask the card
}

// Issue 14, fault 6: the history did not show the redemption or gift just
// made online — the member saw a balance that had moved for no reason.
TEST_CASE("What a member just spent online shows at once in the history: a redemption, then a gift", "[with-crm][members]") {
    KioskWithCrm k;
    ScriptResult r = k.run_script(std::string(kSignIn20) + R"(
tap member.show_balance
expect visible member.history.0
expect hidden Redeemed -300
tap member.redeem
tap reward.registration-discount
tap redeem.confirm
expect visible redeem.voucher
tap redeem.done
expect screen member_points
tap member.show_balance
expect visible member.balance
expect visible Redeemed -300
expect visible member.history.0.change
expect visible Redeemed -300
tap member.redeem
tap redeem.gift
type 6200000000000002
tap gift.find
type 50
tap gift.next
tap gift.confirm
expect visible Points given
tap redeem.done
expect screen member_points
tap member.show_balance
expect visible Given -50
expect visible Redeemed -300
)");
    REQUIRE_SCRIPT_PASSES(r);
}

TEST_CASE("Wrong PINs at the kiosk are slowed: the guest is told how long to wait, then signs in", "[with-crm][members]") {
    KioskWithCrm k;
    std::string script = "tap start\ntap lang.en\ntap home.members\ntype 6200000000000007\ntap member.card_next\n";
    for (int i = 0; i < 4; ++i)  // no count of tries left: it would tell a real card from an unknown one
        script += "type 0000\ntap member.sign_in\nexpect visible Card number or PIN not right. Please check them.\n";
    script += "type 1234\ntap member.sign_in\n"
              "expect visible Too many wrong tries. To protect your points, please wait 5 seconds, then try again.\n"
              "expect screen members\n";
    ScriptResult r = k.run_script(script);
    REQUIRE_SCRIPT_PASSES(r);
    auto wait = k.kiosk("POST", "/api/v1/members/sign-in", R"({"card":"6200000000000007","pin":"1234"})");
    CHECK(wait->status == 429);
    CHECK(wait->get_header_value("Retry-After") == "5");
    // After the wait, the member is in: never locked out for longer.
    k.clock.advance(5'000);
    REQUIRE_SCRIPT_PASSES(k.run_script("tap start\ntap lang.en\ntap home.members\ntype 6200000000000007\n"
                                       "tap member.card_next\ntype 1234\ntap member.sign_in\nexpect screen member_points\n"));
}

TEST_CASE("Offline, a member signs in from the cache and redeems up to the daily limit, never a gift", "[with-crm][members]") {
    KioskWithCrm k;
    // Online once: the kiosk keeps what the offline rules need.
    {
        // Run once: the macro names its argument twice.
        ScriptResult run = k.run_script(sign_in_typed("6200000000000021") + "expect screen member_points\n");
        REQUIRE_SCRIPT_PASSES(run);
    };

    ScriptRun offline = ScriptRun::offline();
    offline.config_lines = {"offline_redeem_limit_points = 2000"};
    ScriptResult r = k.run_script(sign_in_typed("6200000000000021", "9999") + R"(
expect visible Card number or PIN not right. Please check them.
type 1234
tap member.sign_in
expect screen member_points
expect visible member.offline_note
expect hidden member.chart
tap member.redeem
expect visible redeem.offline_note
tap reward.registration-discount
tap redeem.confirm
expect visible redeem.queued
expect outbox 1
tap redeem.done
tap member.redeem
tap reward.rehab-session
tap redeem.confirm
expect visible While offline, this kiosk allows only a few points a day: 1700 points are left for today.
expect outbox 1
tap redeem.cancel
tap reward.teeth-cleaning
tap redeem.confirm
expect visible redeem.qr
expect outbox 2
tap redeem.done
tap member.redeem
tap redeem.gift
expect visible Giving points needs the hospital's system. Please try again once we are back online.
expect outbox 2
)", offline);
    REQUIRE_SCRIPT_PASSES(r);

    // A card this kiosk has not seen cannot sign in offline.
    {
        // Run once: the macro names its argument twice.
        ScriptResult run = k.run_script(sign_in_typed("6200000000000023") +
                                           "expect visible We are offline, and this kiosk has no recent record of your "
                                           "card, so it cannot sign you in. Please try later or ask at the service desk.\n",
                                       offline);
        REQUIRE_SCRIPT_PASSES(run);
    };

    int64_t before = balance_of(k, "6200000000000021");
    {
        // Run once: the macro names its argument twice.
        ScriptResult run = k.run_script("sync\nexpect outbox 0\n");
        REQUIRE_SCRIPT_PASSES(run);
    };
    CHECK(balance_of(k, "6200000000000021") == before - 300 - 1500);
    CHECK(k.admin_list("redemptions").size() == 2);
}

// Issue 14, fault 6: the history did not show the redemption just made —
// offline it showed nothing at all. What was spent here and waits in the
// outbox is listed with the balance (hidden with it), across a sign-out too.
TEST_CASE("Offline, the history lists the redemption just made, from the outbox, and hides it with the balance",
          "[with-crm][members]") {
    KioskWithCrm k;
    {
        ScriptResult run = k.run_script(sign_in_typed("6200000000000022") + "expect screen member_points\n");
        REQUIRE_SCRIPT_PASSES(run);
    }
    ScriptResult r = k.run_script(sign_in_typed("6200000000000022") + R"(
expect screen member_points
expect visible member.offline_note
tap member.show_balance
expect hidden member.history.0
tap member.redeem
tap reward.registration-discount
tap redeem.confirm
expect visible redeem.queued
tap redeem.done
expect screen member_points
expect hidden member.history.0
tap member.show_balance
expect visible member.history.0
expect visible Waiting to be sent from this kiosk
expect hidden member.history.1
tap member.sign_out
tap home.members
type 6200000000000022
tap member.card_next
type 1234
tap member.sign_in
expect screen member_points
expect hidden member.history.0
tap member.show_balance
expect visible member.history.0
)", ScriptRun::offline());
    REQUIRE_SCRIPT_PASSES(r);
}

TEST_CASE("Points held offline cannot be spent twice at one kiosk", "[with-crm][members]") {
    KioskWithCrm k;
    const std::string card = "6200000000000024";
    int64_t balance = balance_of(k, card);
    // Leave the member 400 points, then sign in once online.
    auto spend = k.kiosk("POST", "/api/v1/redemptions",
                         record("setup", "points_gift", {{"from_card", card}, {"to_card", "6200000000000025"},
                                                         {"points", balance - 400}}).dump(),
                         {}, k.session(card));
    REQUIRE(spend->status == 200);
    {
        // Run once: the macro names its argument twice.
        ScriptResult run = k.run_script(sign_in_typed(card) + "expect screen member_points\n");
        REQUIRE_SCRIPT_PASSES(run);
    };
    ScriptRun offline = ScriptRun::offline();
    offline.config_lines = {"offline_redeem_limit_points = 100000"};
    {
        // Run once: the macro names its argument twice.
        ScriptResult run = k.run_script(sign_in_typed(card) + R"(
tap member.redeem
tap reward.registration-discount
tap redeem.confirm
expect visible redeem.queued
expect outbox 1
)", offline);
        REQUIRE_SCRIPT_PASSES(run);
    };
    // Restarted, still offline: 100 points left here, not 400.
    {
        // Run once: the macro names its argument twice.
        ScriptResult run = k.run_script(sign_in_typed(card) + R"(
tap member.show_balance
expect visible 100 points
tap member.redeem
tap reward.registration-discount
tap redeem.confirm
expect visible There are not enough points for that.
expect outbox 1
)", offline);
        REQUIRE_SCRIPT_PASSES(run);
    };
}

TEST_CASE("A queued redemption the CRM refuses is void, and the member is told at the next sign-in", "[with-crm][members]") {
    KioskWithCrm k;
    const std::string card = "6200000000000022";
    {
        // Run once: the macro names its argument twice.
        ScriptResult run = k.run_script(sign_in_typed(card) + "expect screen member_points\n");
        REQUIRE_SCRIPT_PASSES(run);
    };
    {
        // Run once: the macro names its argument twice.
        ScriptResult run = k.run_script(sign_in_typed(card) + R"(
tap member.redeem
tap reward.registration-discount
tap redeem.confirm
expect visible redeem.queued
expect outbox 1
)", ScriptRun::offline());
        REQUIRE_SCRIPT_PASSES(run);
    };

    // Meanwhile the member spends everything at another kiosk.
    int64_t balance = balance_of(k, card);
    SignAs lobby2{"lobby-2", "other"};
    auto spent = k.kiosk("POST", "/api/v1/redemptions",
                         record("elsewhere", "points_gift", {{"from_card", card}, {"to_card", "6200000000000025"},
                                                             {"points", balance}}).dump(),
                         lobby2, k.session(card, lobby2));
    REQUIRE(json::parse(spent->body)["status"] == "accepted");

    ScriptResult back = k.run_script("sync\nexpect outbox 0\n" + sign_in_typed(card) + R"(
expect screen member_points
expect visible member.void.0
tap member.show_balance
expect visible 0 points
)");
    REQUIRE_SCRIPT_PASSES(back);
    // Told once.
    {
        // Run once: the macro names its argument twice.
        ScriptResult run = k.run_script(sign_in_typed(card) + "expect screen member_points\nexpect hidden member.void.0\n");
        REQUIRE_SCRIPT_PASSES(run);
    };
}

TEST_CASE("At sign-out and at idle timeout the member's name and balance leave the screen", "[with-crm][members][privacy]") {
    KioskWithCrm k;
    ScriptResult r = k.run_script(std::string(kSignIn20) + R"(
tap member.show_balance
expect visible member.balance
tap member.sign_out
expect screen home
expect visible session.signed_out
expect hidden signed_in.member
expect hidden member.name
expect hidden member.balance
tap home.members
expect screen members
scan 6200000000000020
type 1234
tap member.sign_in
tap member.show_balance
expect visible member.balance
wait 71 s
expect screen attract
expect hidden member.balance
expect hidden member.name
tap start
tap home.members
expect screen members
expect hidden member.name
)");
    REQUIRE_SCRIPT_PASSES(r);
}

// Issue 14, fault 1: a member who leaves the member screens by Home is still
// signed in — so every screen says so, with the way out, and signing out says
// so too; afterwards nothing on the kiosk acts for them.
TEST_CASE("A signed-in member is named on every screen with a sign-out, and signing out says so", "[with-crm][members][privacy]") {
    KioskWithCrm k;
    ScriptResult r = k.run_script(std::string(kSignIn20) + R"(
expect visible signed_in.member
tap nav.home
expect screen home
expect visible signed_in.member
expect visible session.sign_out
tap home.visit_flow
expect visible signed_in.member
tap nav.home
tap home.booking
expect visible session.sign_out
tap session.sign_out
expect screen home
expect visible session.signed_out
expect hidden signed_in.member
expect hidden session.sign_out
tap home.members
expect screen members
wait 6 s
expect hidden session.signed_out
)");
    REQUIRE_SCRIPT_PASSES(r);
}

// Issue 14, fault 1, the rest of it: after the member left, the next guest's
// feedback offered "attach my membership", a booking skipped the name and
// phone (prefilled with the member) — nothing may act for them once they signed out.
TEST_CASE("After sign-out nothing offers or uses the member: feedback and booking are a guest's again",
          "[with-crm][members][privacy]") {
    KioskWithCrm k;
    ScriptResult r = k.run_script(std::string(kSignIn20) + R"(
tap nav.home
tap home.feedback
tap feedback.face.0
expect visible feedback.attach_membership
tap nav.home
tap session.sign_out
expect screen home
tap home.feedback
tap feedback.face.0
expect hidden feedback.attach_membership
tap nav.home
sync
tap home.booking
tap Internal medicine
tap book.doctor.0
tap book.day.1
tap book.slot.0
expect visible book.name
expect visible book.phone
)");
    REQUIRE_SCRIPT_PASSES(r);
}

// Issue 14, fault 1: "My booking" listed the member's visits to the next guest.
// The member books as themselves (no name or phone asked), sees the visit under
// "My visits", signs out — and the list is gone, for this kiosk's copy and the CRM's.
TEST_CASE("My booking lists a member's visits while they are signed in, and not after sign-out", "[with-crm][members][privacy][booking]") {
    KioskWithCrm k;
    ScriptResult r = k.run_script(std::string(kSignIn20) + R"(
tap nav.home
sync
tap home.booking
tap Internal medicine
tap book.doctor.0
tap book.day.1
tap book.slot.0
expect hidden book.name
expect visible book.confirm
tap book.confirm
sync
expect visible book.code
tap nav.home
tap home.booking_manage
expect screen booking_manage
await 10 s book.visit.0
tap nav.home
tap session.sign_out
expect screen home
tap home.booking_manage
expect screen booking_manage
wait 1 s
expect hidden book.visit.0
expect hidden Your upcoming visits
)");
    REQUIRE_SCRIPT_PASSES(r);
    REQUIRE(k.admin_list("bookings").size() == 1);
    CHECK(k.admin_list("bookings")[0]["payload"]["person"].get<std::string>().rfind("card:", 0) == 0);
}

TEST_CASE("The member band goes when the idle countdown ends the session", "[with-crm][members][privacy]") {
    KioskWithCrm k;
    ScriptResult r = k.run_script(std::string(kSignIn20) + R"(
tap nav.home
expect visible signed_in.member
wait 61 s
expect countdown
expect visible signed_in.member
wait 10 s
expect screen attract
tap start
expect screen home
expect hidden signed_in.member
expect hidden session.signed_out
)");
    REQUIRE_SCRIPT_PASSES(r);
}

TEST_CASE("A redemption whose reply is lost after the CRM applied it is charged once: one key, online and in the outbox", "[with-crm][members][trust]") {
    KioskWithCrm k;
    const std::string card = "6200000000000028";
    int64_t balance = balance_of(k, card);
    REQUIRE(balance >= 300);
    // The CRM applies the next online redemption, then cuts the connection before its reply.
    REQUIRE(k.staff("POST", "/api/v1/test/faults", R"({"mode": "drop_after_store", "on": "redemptions"})")->status == 204);
    ScriptResult r = k.run_script(sign_in_typed(card) + R"(
expect screen member_points
tap member.redeem
tap reward.registration-discount
tap redeem.confirm
expect visible redeem.voucher
expect visible redeem.queued
expect outbox 1
sync
expect outbox 0
)");
    REQUIRE_SCRIPT_PASSES(r);
    CHECK(balance_of(k, card) == balance - 300);
    json items = k.admin_list("redemptions");
    REQUIRE(items.size() == 1);
    CHECK(items[0]["payload"]["reward"] == "registration-discount");
}
