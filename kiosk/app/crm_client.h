// kiosk/app/crm_client.h — the kiosk's one typed client of the CRM's
// questions (docs/crm-api.md). Screens call these; they never build a URL,
// never parse an error body and never see the member's session token.
//
// Invariants:
//   - Every value that goes into a path or a query is percent-encoded here
//     (escape_path_value / escape_query_value), so a typed code or ticket can
//     never become another path or another parameter.
//   - The member's session token (from a successful online sign-in) lives here
//     only, on the UI thread. It goes out as X-Member-Session with the requests
//     a session authorises (spending, gifts, recipient look-ups, a member's
//     visits and bookings), and ends with the guest: end_session() drops every
//     open question and tells the CRM to end the session (sign-out).
//   - Answers arrive on the UI thread through CrmLink, never for a later guest.
//   - "unreachable" means the CRM did not answer as a CRM: no connection, a
//     timeout, or a 5xx. Only then may a screen fall back to the offline rules.
//
// Index
//   CrmOutcome, CrmReply             ok / refused (with the CRM's error code) / unreachable
//   SignInReply                      the member (name masked), the offline grant; a refusal says no more
//                                    than wrong_card_or_pin, and a 429 how long to wait (retry_after_s)
//   SpendRecord, SpendReply          one redemption or gift record and the CRM's word on it
//   Price                            the CRM's current price of a reward (in a price_changed refusal)
//   RecipientReply                   a gift recipient's last four digits and masked name
//   JsonReply, TextReply             visits and booking status (JSON), complaint status and slots (text for the domain parsers)
//   CrmClient(link)
//   sign_in(card, pin, done)         POST /members/sign-in; on ok the session token is kept
//   signed_in()                      a member session is open
//   end_session()                    UI thread, at the guest's end: drop open questions, sign the member out at the CRM
//   spend(record, done)              POST /redemptions with the session (the record is already in the outbox)
//   recipient(card, done)            POST /members/recipient with the session
//   visits(person, done)             GET /bookings?person= (with the session for a member)
//   booking(code, phone_last4, person, done)   GET /bookings/{code}
//   complaint_status(ticket, guard, done)      GET /complaints/{ticket} with the phone's last 4 or the look-up code
//   slots(department, day, keep, done)          GET /slots (a valid 200 kept for offline use)
//   help_status(id, done)            GET /help/{id}: has staff acknowledged this kiosk's call for help?
//   busy()                           a question is open (screens show "please wait")
//   escape_query_value(text), escape_path_value(text)   percent-encoding (RFC 3986 unreserved kept)
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "app/crm_link.h"
#include "domain/complaint_rules.h"
#include "domain/member_rules.h"
#include "domain/member_session.h"

namespace kiosk {

enum class CrmOutcome { ok, refused, unreachable };

struct CrmReply {
    CrmOutcome outcome = CrmOutcome::unreachable;
    long status = 0;   // the HTTP status (0: not reached)
    std::string code;  // refused: the CRM's error code, "" when it gave none
    int64_t retry_after_s = -1;  // a 429's Retry-After (too many wrong guesses); -1: none
    bool ok() const { return outcome == CrmOutcome::ok; }
    bool refused() const { return outcome == CrmOutcome::refused; }
    bool unreachable() const { return outcome == CrmOutcome::unreachable; }
};

struct SignInReply : CrmReply {
    std::optional<SignedInMember> member;  // ok (a 200 that does not parse is refused, code "malformed_answer")
    std::optional<OfflineGrant> grant;     // ok, when the CRM allows offline spending at this kiosk
};

struct SpendRecord {
    std::string key;   // the outbox record's idempotency key: one key per guest action
    std::string type;  // redemption | points_gift
    std::string payload;
    int64_t created_at_ms = 0;
};

struct Price {
    std::string reward, mode;
    int64_t points = 0, cash_fen = 0;
};

struct SpendReply : CrmReply {
    std::string result;              // ok: accepted | duplicate | rejected
    std::string reason;              // rejected: why (insufficient_points, price_changed, …)
    std::optional<int64_t> balance;  // the member's balance after, when the CRM said
    std::optional<Price> price;      // rejected price_changed: the price now
    bool applied() const { return ok() && (result == "accepted" || result == "duplicate"); }
    bool rejected() const { return ok() && result == "rejected"; }
};

struct RecipientReply : CrmReply {
    std::string card_last4, masked_name;
};

struct JsonReply : CrmReply {
    nlohmann::json doc;  // ok: the answer, a JSON object
};

struct TextReply : CrmReply {
    std::string body;  // ok: the answer as sent, for the domain's own parser
};

std::string escape_query_value(const std::string& text);
std::string escape_path_value(const std::string& text);

class CrmClient {
public:
    explicit CrmClient(CrmLink& link) : link_(link) {}

    void sign_in(const std::string& card, const std::string& pin, std::function<void(const SignInReply&)> done);
    bool signed_in() const { return !session_.empty(); }
    void end_session();

    void spend(const SpendRecord& record, std::function<void(const SpendReply&)> done);
    void recipient(const std::string& card, std::function<void(const RecipientReply&)> done);

    void visits(const std::string& person, std::function<void(const JsonReply&)> done);
    void booking(const std::string& code, const std::string& phone_last4, const std::string& person,
                 std::function<void(const JsonReply&)> done);
    void complaint_status(const std::string& ticket, const LookUpGuard& guard,
                          std::function<void(const TextReply&)> done);
    void slots(const std::string& department, const std::string& day, CrmLink::KeepAs keep,
               std::function<void(const TextReply&)> done);

    void help_status(const std::string& id, std::function<void(const JsonReply&)> done);

    bool busy() const { return link_.busy(); }

private:
    CrmLink& link_;
    std::string session_;  // the member's session token; "" when none
};

}  // namespace kiosk
