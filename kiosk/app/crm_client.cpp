#include "app/crm_client.h"

#include <algorithm>

#include "platform/log.h"

namespace kiosk {

using nlohmann::json;

namespace {

constexpr const char* kApi = "/api/v1";

std::string percent_encode(const std::string& text, bool keep_slash) {
    static const char* digits = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                          c == '_' || c == '.' || c == '~' || (keep_slash && c == '/');
        if (unreserved) {
            out += char(c);
        } else {
            out += '%';
            out += digits[c >> 4];
            out += digits[c & 15];
        }
    }
    return out;
}

// The outcome every typed reply starts from: a 2xx is ok, a 5xx or no answer is
// "unreachable" (the offline rules may apply), any other status is a refusal
// with the CRM's error code.
template <typename Reply>
Reply classify(const offline_cache::CrmAnswer& a) {
    Reply r;
    r.status = a.status;
    r.retry_after_s = a.retry_after_s;
    if (!a.reached() || a.status >= 500) {
        r.outcome = CrmOutcome::unreachable;
        return r;
    }
    if (a.status >= 200 && a.status < 300) {
        r.outcome = CrmOutcome::ok;
        return r;
    }
    r.outcome = CrmOutcome::refused;
    json doc = json::parse(a.body, nullptr, false);
    if (doc.is_object() && doc.contains("error") && doc["error"].is_object()) {
        const json& error = doc["error"];
        if (error.contains("code") && error["code"].is_string()) r.code = error["code"].get<std::string>().substr(0, 64);
    }
    return r;
}

// A 200 whose body is not what the contract says is a refusal the screen can word ("try again").
template <typename Reply>
void malformed(Reply& r) {
    r.outcome = CrmOutcome::refused;
    r.code = "malformed_answer";
}

int64_t int_or(const json& doc, const char* name, int64_t fallback) {
    auto it = doc.find(name);
    return it != doc.end() && it->is_number_integer() ? it->get<int64_t>() : fallback;
}

std::string text_or(const json& doc, const char* name) {
    auto it = doc.find(name);
    return it != doc.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

std::string escape_query_value(const std::string& text) { return percent_encode(text, false); }
std::string escape_path_value(const std::string& text) { return percent_encode(text, false); }

void CrmClient::sign_in(const std::string& card, const std::string& pin, std::function<void(const SignInReply&)> done) {
    std::string body = json{{"card", card}, {"pin", pin}}.dump();
    session_.clear();  // a new sign-in never inherits another's session
    link_.ask("POST", std::string(kApi) + "/members/sign-in", body,
              [this, card, done = std::move(done)](const offline_cache::CrmAnswer& a) {
                  auto r = classify<SignInReply>(a);
                  json doc = json::parse(a.body, nullptr, false);
                  if (r.ok()) {
                      // Parsed against the card asked for; the wall clock stamps the balance.
                      r.member = parse_sign_in_answer(a.body, card, 0);
                      std::string token;
                      if (doc.is_object() && doc.contains("session") && doc["session"].is_object())
                          token = text_or(doc["session"], "token");
                      if (!r.member || token.empty() || token.size() > 128) {
                          r.member.reset();
                          malformed(r);
                      } else {
                          session_ = token;
                          if (doc.contains("offline_grant") && doc["offline_grant"].is_object())
                              r.grant = parse_offline_grant(doc["offline_grant"].dump());
                      }
                  }
                  done(r);
              });
}

void CrmClient::end_session() {
    link_.end_session();
    if (session_.empty()) return;
    // Nobody waits for the answer: a CRM that misses it ends the session at its idle timeout.
    link_.tell("POST", std::string(kApi) + "/members/sign-out", "{}", session_);
    session_.clear();
}

void CrmClient::spend(const SpendRecord& record, std::function<void(const SpendReply&)> done) {
    json body{{"key", record.key}, {"type", record.type}, {"payload", record.payload}, {"created_at_ms", record.created_at_ms}};
    link_.ask("POST", std::string(kApi) + "/redemptions", body.dump(),
              [done = std::move(done)](const offline_cache::CrmAnswer& a) {
                  auto r = classify<SpendReply>(a);
                  if (r.ok()) {
                      json doc = json::parse(a.body, nullptr, false);
                      if (!doc.is_object() || text_or(doc, "status").empty()) {
                          malformed(r);
                      } else {
                          r.result = text_or(doc, "status");
                          r.reason = text_or(doc, "reason").substr(0, 64);
                          if (doc.contains("balance") && doc["balance"].is_number_integer())
                              r.balance = doc["balance"].get<int64_t>();
                          if (doc.contains("price") && doc["price"].is_object()) {
                              const json& p = doc["price"];
                              Price price{text_or(p, "reward"), text_or(p, "mode"), int_or(p, "points", -1),
                                          int_or(p, "cash_fen", -1)};
                              if (price.points > 0 && price.points <= 10'000'000 && price.cash_fen >= 0 &&
                                  price.cash_fen <= 100'000'000)
                                  r.price = price;
                          }
                      }
                  }
                  done(r);
              },
              {}, session_);
}

void CrmClient::recipient(const std::string& card, std::function<void(const RecipientReply&)> done) {
    link_.ask("POST", std::string(kApi) + "/members/recipient", json{{"card", card}}.dump(),
              [done = std::move(done)](const offline_cache::CrmAnswer& a) {
                  auto r = classify<RecipientReply>(a);
                  if (r.ok()) {
                      json doc = json::parse(a.body, nullptr, false);
                      r.masked_name = doc.is_object() ? text_or(doc, "masked_name") : "";
                      r.card_last4 = doc.is_object() ? text_or(doc, "card_last4") : "";
                      if (r.masked_name.empty() || r.masked_name.size() > 200) malformed(r);
                  }
                  done(r);
              },
              {}, session_);
}

namespace {
CrmLink::OnAnswer json_answer(std::function<void(const JsonReply&)> done) {
    return [done = std::move(done)](const offline_cache::CrmAnswer& a) {
        auto r = classify<JsonReply>(a);
        if (r.ok()) {
            r.doc = json::parse(a.body, nullptr, false);
            if (!r.doc.is_object()) malformed(r);
        }
        done(r);
    };
}
CrmLink::OnAnswer text_answer(std::function<void(const TextReply&)> done) {
    return [done = std::move(done)](const offline_cache::CrmAnswer& a) {
        auto r = classify<TextReply>(a);
        if (r.ok()) r.body = a.body;
        done(r);
    };
}
}  // namespace

void CrmClient::visits(const std::string& person, std::function<void(const JsonReply&)> done) {
    link_.ask("GET", std::string(kApi) + "/bookings?person=" + escape_query_value(person), "", json_answer(std::move(done)),
              {}, session_);
}

void CrmClient::booking(const std::string& code, const std::string& phone_last4, const std::string& person,
                        std::function<void(const JsonReply&)> done) {
    std::string path = std::string(kApi) + "/bookings/" + escape_path_value(code);
    if (!phone_last4.empty()) path += "?phone_last4=" + escape_query_value(phone_last4);
    else path += "?person=" + escape_query_value(person);
    link_.ask("GET", path, "", json_answer(std::move(done)), {}, session_);
}

void CrmClient::complaint_status(const std::string& ticket, const LookUpGuard& guard,
                                 std::function<void(const TextReply&)> done) {
    std::string path = std::string(kApi) + "/complaints/" + escape_path_value(ticket);
    if (!guard.phone_last4.empty()) path += "?phone_last4=" + escape_query_value(guard.phone_last4);
    else if (!guard.lookup_code.empty()) path += "?lookup_code=" + escape_query_value(guard.lookup_code);
    link_.ask("GET", path, "", text_answer(std::move(done)));
}

void CrmClient::slots(const std::string& department, const std::string& day, CrmLink::KeepAs keep,
                      std::function<void(const TextReply&)> done) {
    link_.ask("GET",
              std::string(kApi) + "/slots?department=" + escape_query_value(department) + "&day=" + escape_query_value(day),
              "", text_answer(std::move(done)), std::move(keep));
}

void CrmClient::help_status(const std::string& id, std::function<void(const JsonReply&)> done) {
    link_.ask("GET", std::string(kApi) + "/help/" + escape_path_value(id), "", json_answer(std::move(done)));
}

}  // namespace kiosk
