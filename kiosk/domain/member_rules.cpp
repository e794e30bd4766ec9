#include "domain/member_rules.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <nlohmann/json.hpp>

#include "crm_contract/bounded_json.h"
#include "domain/privacy.h"

namespace kiosk {

using nlohmann::json;

namespace {

std::string hex(const unsigned char* bytes, size_t n) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    out.reserve(n * 2);
    for (size_t i = 0; i < n; ++i) {
        out += digits[bytes[i] >> 4];
        out += digits[bytes[i] & 15];
    }
    return out;
}

std::string trim(std::string_view s) {
    size_t b = 0, e = s.size();
    while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
    while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
    return std::string(s.substr(b, e - b));
}

}  // namespace

std::optional<SignedInMember> parse_sign_in_answer(std::string_view body, const std::string& card, int64_t now_ms) {
    // Within the contract's bounds before anything is built (a hostile or broken
    // reply must not exhaust the stack or memory): a statement is small.
    crm_contract::JsonBounds bounds;
    bounds.max_bytes = 256 * 1024;
    bounds.max_depth = 4;
    bounds.max_text_bytes = 1024;
    bounds.max_items = 1000;
    json doc = crm_contract::parse_bounded(body, bounds).value_or(json());
    if (!doc.is_object()) return std::nullopt;
    try {
        SignedInMember m;
        m.card = card;
        m.card_last4 = card.size() >= 4 ? card.substr(card.size() - 4) : card;
        m.masked_name = mask_name(doc.at("name").get<std::string>());
        auto tier = tier_from_code(doc.at("tier").get<std::string>());
        if (!tier) return std::nullopt;
        m.tier = *tier;
        m.balance = never_negative(doc.at("balance").get<int64_t>());
        m.balance_as_of_wall_ms = now_ms;
        m.birthday_today = doc.value("birthday_today", false);
        MemberStatement st;
        st.year_spend_yuan = doc.value("year_spend_yuan", int64_t(0));
        if (auto it = doc.find("next_tier"); it != doc.end() && it->is_object()) {
            st.next_tier = tier_from_code(it->value("tier", ""));
            st.spend_yuan_to_next_tier = it->value("spend_yuan_to_reach", int64_t(-1));
        } else if (it == doc.end()) {
            st.next_tier = next_tier(m.tier);  // an older CRM: name the next tier, without a distance
        }
        if (auto it = doc.find("expiring"); it != doc.end() && it->is_object()) {
            st.expiring_points = std::min(never_negative(it->value("points", int64_t(0))), m.balance);
            st.expiring_on = it->value("on", "");
        }
        for (const json& h : doc.value("history", json::array()))
            st.history.push_back({h.at("delta").get<int64_t>(), h.at("kind").get<std::string>(),
                                  h.value("note", ""), h.value("at_ms", int64_t(0))});
        for (const json& mo : doc.value("earned_by_month", json::array())) {
            if (st.earned_by_month.size() == 12) break;
            st.earned_by_month.push_back({mo.at("month").get<std::string>(), never_negative(mo.at("points").get<int64_t>())});
        }
        for (const json& v : doc.value("void_vouchers", json::array()))
            st.void_vouchers.push_back({v.value("voucher", ""), v.value("reward", ""), v.value("reason", ""),
                                        v.value("points", int64_t(0))});
        m.statement = std::move(st);
        return m;
    } catch (const json::exception&) {
        return std::nullopt;
    }
}

bool is_card_number(std::string_view text) {
    if (text.size() < 8 || text.size() > 19) return false;
    return std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The member card's barcode is the number itself; the phone app's QR code is
// "KNMEMBER:<number>" (prefix in any letter case), so a QR code meant for
// something else is never taken for a card.
std::optional<std::string> card_from_scan(std::string_view text) {
    std::string t = trim(text);
    static constexpr std::string_view kPrefix = "KNMEMBER:";
    if (t.size() > kPrefix.size()) {
        std::string head = t.substr(0, kPrefix.size());
        std::transform(head.begin(), head.end(), head.begin(), [](unsigned char c) { return char(std::toupper(c)); });
        if (head == kPrefix) t = trim(std::string_view(t).substr(kPrefix.size()));
    }
    if (!is_card_number(t)) return std::nullopt;
    return t;
}

std::string member_cache_key(std::string_view secret, std::string_view card) {
    std::string message = "member-card:" + std::string(card);
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    HMAC(EVP_sha256(), secret.data(), int(secret.size()), reinterpret_cast<const unsigned char*>(message.data()),
         message.size(), mac, &n);
    return "member:" + hex(mac, n);
}

PinVerifier make_pin_verifier(std::string_view pin, std::string_view salt_hex, int iterations) {
    unsigned char out[32];
    PKCS5_PBKDF2_HMAC(pin.data(), int(pin.size()), reinterpret_cast<const unsigned char*>(salt_hex.data()),
                      int(salt_hex.size()), iterations, EVP_sha256(), sizeof out, out);
    return {std::string(salt_hex), iterations, hex(out, sizeof out)};
}

bool pin_matches(const PinVerifier& verifier, std::string_view pin) {
    if (verifier.iterations <= 0 || verifier.hash_hex.size() != 64) return false;
    PinVerifier again = make_pin_verifier(pin, verifier.salt_hex, verifier.iterations);
    return CRYPTO_memcmp(again.hash_hex.data(), verifier.hash_hex.data(), 64) == 0;
}

std::string random_salt_hex() {
    unsigned char bytes[16];
    if (RAND_bytes(bytes, sizeof bytes) != 1) return {};
    return hex(bytes, sizeof bytes);
}

std::string OfflineMember::to_json() const {
    json holds_json = json::array();
    for (const OfflineHold& h : holds) holds_json.push_back({{"key", h.key}, {"points", h.points}});
    json grant_json = nullptr;
    if (grant)
        grant_json = {{"id", grant->id}, {"signature", grant->signature}, {"cap_points", grant->cap_points},
                      {"expires_ms", grant->expires_ms}, {"spent", grant->spent}};
    return json{{"v", 2},
                {"last4", card_last4},
                {"masked_name", masked_name},
                {"tier", tier_code(tier)},
                {"balance", balance},
                {"balance_as_of_ms", balance_as_of_ms},
                {"pin", {{"salt", pin.salt_hex}, {"iterations", pin.iterations}, {"hash", pin.hash_hex}}},
                {"failed_pins", failed_pins},
                {"locked_until_ms", locked_until_ms},
                {"last_failed_ms", last_failed_ms},
                {"grant", grant_json},
                {"holds", holds_json}}
        .dump();
}

std::optional<OfflineMember> offline_member_from_json(std::string_view text) {
    json doc = json::parse(text, nullptr, false);
    // Version 1 entries (before grants) are no entries: that card signs in online once more.
    if (!doc.is_object() || doc.value("v", 0) != 2) return std::nullopt;
    try {
        OfflineMember m;
        m.card_last4 = doc.at("last4").get<std::string>();
        m.masked_name = doc.at("masked_name").get<std::string>();
        m.tier = tier_from_code(doc.at("tier").get<std::string>()).value_or(MemberTier::basic);
        m.balance = never_negative(doc.at("balance").get<int64_t>());
        m.balance_as_of_ms = doc.at("balance_as_of_ms").get<int64_t>();
        const json& pin = doc.at("pin");
        m.pin = {pin.at("salt").get<std::string>(), pin.at("iterations").get<int>(), pin.at("hash").get<std::string>()};
        m.failed_pins = doc.at("failed_pins").get<int>();
        m.locked_until_ms = doc.at("locked_until_ms").get<int64_t>();
        m.last_failed_ms = doc.value("last_failed_ms", int64_t(0));  // entries before 0.3 have none
        if (const json& g = doc.at("grant"); !g.is_null()) {
            auto grant = parse_offline_grant(g.dump());
            if (!grant) return std::nullopt;
            grant->spent = never_negative(g.at("spent").get<int64_t>());
            m.grant = grant;
        }
        for (const json& h : doc.at("holds")) m.holds.push_back({h.at("key").get<std::string>(), h.at("points").get<int64_t>()});
        return m;
    } catch (const json::exception&) {
        return std::nullopt;  // a damaged entry is no entry: the member signs in online next time
    }
}

int64_t pin_wait_after(int failures) {
    if (failures <= kPinFreeFailures) return 0;
    int64_t wait = kPinFirstWaitMs;
    for (int i = kPinFreeFailures + 1; i < failures && wait < kPinMaxWaitMs; ++i) wait *= 2;
    return std::min(wait, kPinMaxWaitMs);
}

PinCheck check_offline_pin(OfflineMember& m, std::string_view pin, int64_t now_ms) {
    PinCheck out;
    // A clock set back must not stretch a wait beyond the cap.
    m.locked_until_ms = std::min(m.locked_until_ms, now_ms + kPinMaxWaitMs);
    if (m.locked_until_ms > now_ms) {
        out.outcome = PinCheck::Outcome::wait;  // no PIN is checked: a guess now would be free
        out.wait_ms = m.locked_until_ms - now_ms;
        return out;
    }
    if (pin_matches(m.pin, pin)) {
        m.failed_pins = 0;
        out.outcome = PinCheck::Outcome::ok;
        return out;
    }
    int64_t quiet = now_ms > m.last_failed_ms ? now_ms - m.last_failed_ms : 0;
    int64_t forgiven = std::min<int64_t>(m.failed_pins, quiet / kPinForgetOneMs);
    m.failed_pins = int(m.failed_pins - forgiven) + 1;
    m.last_failed_ms = now_ms;
    out.wait_ms = pin_wait_after(m.failed_pins);
    m.locked_until_ms = now_ms + out.wait_ms;
    return out;
}

int64_t available_points(const OfflineMember& m) {
    int64_t held = 0;
    for (const OfflineHold& h : m.holds) held += h.points;
    return never_negative(m.balance - held);
}

std::optional<OfflineGrant> parse_offline_grant(std::string_view text) {
    json doc = json::parse(text, nullptr, false);
    if (!doc.is_object()) return std::nullopt;
    auto id = doc.find("id"), sig = doc.find("signature"), cap = doc.find("cap_points"), exp = doc.find("expires_ms");
    if (id == doc.end() || !id->is_string() || sig == doc.end() || !sig->is_string() || cap == doc.end() ||
        !cap->is_number_integer() || exp == doc.end() || !exp->is_number_integer())
        return std::nullopt;
    OfflineGrant g;
    g.id = id->get<std::string>();
    g.signature = sig->get<std::string>();
    g.cap_points = cap->get<int64_t>();
    g.expires_ms = exp->get<int64_t>();
    // Bounded like any input: an id or signature no CRM makes, a cap beyond any balance.
    if (g.id.empty() || g.id.size() > 64 || g.signature.empty() || g.signature.size() > 128 || g.cap_points < 0 ||
        g.cap_points > 10'000'000)
        return std::nullopt;
    return g;
}

OfflineRedeem check_offline_redemption(const OfflineMember& m, int64_t points, int64_t kiosk_limit, int64_t now_ms) {
    OfflineRedeem out;
    out.available = available_points(m);
    if (points <= 0) {
        out.outcome = OfflineRedeem::Outcome::invalid_points;
        return out;
    }
    if (!m.grant || now_ms >= m.grant->expires_ms || kiosk_limit <= 0) {
        out.outcome = OfflineRedeem::Outcome::no_grant;
        return out;
    }
    out.left = never_negative(std::min(m.grant->cap_points, kiosk_limit) - m.grant->spent);
    if (points > out.available) out.outcome = OfflineRedeem::Outcome::insufficient_points;
    else if (points > out.left) out.outcome = OfflineRedeem::Outcome::over_limit;
    return out;
}

void hold_offline_redemption(OfflineMember& m, const std::string& key, int64_t points) {
    if (m.grant) m.grant->spent += points;
    m.holds.push_back({key, points});
}

void refresh_from_crm(OfflineMember& m, int64_t balance, int64_t as_of_ms,
                      const std::function<bool(const std::string& key)>& still_queued, std::optional<OfflineGrant> grant) {
    // The CRM counts what this card spent under earlier grants in the cap it grants now.
    m.grant = std::move(grant);
    m.balance = never_negative(balance);
    m.balance_as_of_ms = as_of_ms;
    m.failed_pins = 0;
    m.locked_until_ms = 0;
    // Delivered records are in the CRM's balance now; refused ones never will be.
    std::erase_if(m.holds, [&](const OfflineHold& h) { return !still_queued(h.key); });
}

namespace {
json grant_citation(const std::optional<OfflineGrant>& grant) {
    if (!grant) return nullptr;
    return {{"id", grant->id}, {"signature", grant->signature}};
}
}  // namespace

std::string redemption_payload(const std::string& card, const std::string& reward, int64_t points_shown,
                               int64_t cash_fen_shown, const std::string& voucher, const std::optional<OfflineGrant>& grant) {
    json p{{"card", card}, {"reward", reward}, {"mode", cash_fen_shown > 0 ? "points_cash" : "points"},
           {"points", points_shown}, {"voucher", voucher}};
    if (cash_fen_shown > 0) p["cash_fen"] = cash_fen_shown;
    if (grant) p["grant"] = grant_citation(grant);
    return p.dump();
}

std::string gift_payload(const std::string& from_card, const std::string& to_card, int64_t points,
                         const std::string& voucher, const std::optional<OfflineGrant>& grant) {
    json p{{"from_card", from_card}, {"to_card", to_card}, {"points", points}, {"voucher", voucher}};
    if (grant) p["grant"] = grant_citation(grant);
    return p.dump();
}

std::optional<MemberTier> next_tier(MemberTier tier) { return crm_contract::tier_above(tier); }

// Spelled out: the string tables' test finds every key used literally in kiosk/.
std::string tier_name_key(MemberTier tier) {
    switch (tier) {
        case MemberTier::vip: return "tier.vip";
        case MemberTier::key: return "tier.key";
        case MemberTier::regular: return "tier.regular";
        case MemberTier::basic: return "tier.basic";
    }
    return "tier.basic";
}

std::string tier_benefit_key(MemberTier tier) {
    switch (tier) {
        case MemberTier::vip: return "members.benefit.vip";
        case MemberTier::key: return "members.benefit.key";
        case MemberTier::regular: return "members.benefit.regular";
        case MemberTier::basic: return "members.benefit.basic";
    }
    return "members.benefit.basic";
}

std::string voucher_from_key(std::string_view key) {
    std::string out = "V-";
    for (char c : key) {
        if (out.size() == 10) break;
        if (std::isxdigit(static_cast<unsigned char>(c))) out += char(std::toupper(static_cast<unsigned char>(c)));
    }
    return out;
}

std::string voucher_qr_text(const std::string& voucher, int64_t cash_fen) {
    return "KNVOUCHER:" + voucher + ";cash_fen=" + std::to_string(never_negative(cash_fen));
}

}  // namespace kiosk
