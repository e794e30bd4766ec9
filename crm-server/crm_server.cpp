// The HTTP side of the reference CRM: every route checks its caller and its
// input completely before it touches the store, so a refused request stores
// nothing. Routes and their contract: docs/crm-api.md.
#include "crm_server.h"

#include <httplib.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <mutex>
#include <optional>
#include <cctype>
#include <deque>
#include <map>
#include <set>
#include <thread>

#include "platform/log.h"
#include "platform/utf8.h"
#include "crm_contract/batch.h"
#include "crm_contract/bounded_json.h"
#include "crm_contract/masking.h"
#include "crm_contract/records.h"
#include "record_page_html.h"
#include "store.h"

namespace crm {

namespace {

using Request = httplib::Request;
using Response = httplib::Response;

void send_json(Response& res, int status, const json& body) {
    res.status = status;
    res.set_content(body.dump(), "application/json");
}

void send_error(Response& res, int status, const std::string& code, const std::string& message,
                json extra = json::object()) {
    extra["error"] = {{"code", code}, {"message", message}};
    send_json(res, status, extra);
}

const char* auth_message(const std::string& code) {
    if (code == "unknown_kiosk") return "this kiosk is not known to the CRM";
    if (code == "bad_timestamp") return "X-Kiosk-Timestamp must be Unix seconds";
    if (code == "revoked_kiosk") return "this kiosk's secret was revoked at the CRM";
    if (code == "stale_timestamp") return "the request's timestamp is outside the accepted window";
    if (code == "bad_nonce") return "X-Kiosk-Nonce must be 1 to 64 characters";
    if (code == "bad_signature") return "the signature does not match the request";
    return "this exact request was already received";
}

// Log lines never hold card or phone numbers: the contract's mask keeps the last four of any long digit run.
std::string mask_digits(const std::string& s) { return crm_contract::mask_digit_runs(s); }

std::optional<int64_t> whole_number(const std::string& text) {
    int64_t v = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
    return v;
}

// An optional field of a JSON object with the given type; false when present with another type.
bool optional_int(const json& o, const char* name, int64_t* out) {
    auto it = o.find(name);
    if (it == o.end() || it->is_null()) return true;
    if (!it->is_number_integer()) return false;
    *out = it->get<int64_t>();
    return true;
}
bool optional_text(const json& o, const char* name, std::string* out) {
    auto it = o.find(name);
    if (it == o.end() || it->is_null()) return true;
    if (!it->is_string()) return false;
    *out = it->get<std::string>();
    return true;
}

// One outbox record from the wire, or nullopt when its fields have the wrong shape.
std::optional<OutboxRecord> outbox_record(const json& r) {
    if (!r.is_object()) return std::nullopt;
    auto key = r.find("key"), type = r.find("type"), payload = r.find("payload"), created = r.find("created_at_ms");
    if (key == r.end() || !key->is_string() || type == r.end() || !type->is_string() || payload == r.end() ||
        !payload->is_string() || created == r.end() || !created->is_number_integer())
        return std::nullopt;
    return OutboxRecord{key->get<std::string>(), type->get<std::string>(), payload->get<std::string>(),
                        created->get<int64_t>()};
}

// 429 with Retry-After in whole seconds (rounded up, at least 1) and the
// same number in the body: the kiosk shows "please wait N seconds".
void send_wait(Response& res, int64_t wait_ms, const std::string& message) {
    int64_t seconds = std::max<int64_t>(1, (wait_ms + 999) / 1000);
    res.set_header("Retry-After", std::to_string(seconds));
    send_error(res, 429, "rate_limited", message, {{"retry_after_s", seconds}});
}

json result_json(const IngestResult& r) {
    json out{{"key", r.key}, {"status", r.status}};
    if (!r.reason.empty()) out["reason"] = r.reason;
    return out;
}

// What a kiosk's small JSON bodies (sign-in, recipient, heartbeat, a record answered now) may be.
crm_contract::JsonBounds small_body_bounds(size_t max_bytes) {
    crm_contract::JsonBounds b;
    b.max_bytes = max_bytes;
    b.max_depth = 4;
    b.max_text_bytes = max_bytes;
    b.max_items = 64;
    return b;
}


}  // namespace

struct CrmServer::Impl {
    Impl(CrmOptions o, platform::Clock& c) : options(std::move(o)), clock(c), store(c) {}
    CrmOptions options;
    platform::Clock& clock;
    Store store;
    InMemoryReplayMemory replays;
    std::unique_ptr<httplib::Server> server;  // plain HTTP, or HTTPS when a certificate is given
    std::thread thread;
    int port = 0;

    // Test-only faults (--allow-faults), applied to the next batch requests.
    std::mutex fault_mutex;
    json fault;
    int64_t faults_left = 0;

    // ---- callers ----

    // Checks the kiosk's signature; fills kiosk_id or answers 401. Resend::allowed
    // only where processing the identical request again is harmless (auth.h).
    bool kiosk(const Request& req, Response& res, std::string* kiosk_id, Resend resend = Resend::refused) {
        KioskHeaders h{req.get_header_value("X-Kiosk-Id"), req.get_header_value("X-Kiosk-Timestamp"),
                       req.get_header_value("X-Kiosk-Nonce"), req.get_header_value("X-Kiosk-Signature")};
        // req.target is the path and query exactly as sent: what the kiosk signed.
        bool resent = false;
        std::string why = verify_kiosk(h, req.method, req.target, req.body, options.kiosk_secrets,
                                       clock.wall_ms() / 1000, options.signature_window_s, replays, resend, &resent);
        if (why.empty() && store.kiosk_revoked(h.kiosk_id)) why = "revoked_kiosk";
        if (resent && options.access_log)
            log_info("crm: an identical resend from %s (a lost reply): processed again", mask_digits(h.kiosk_id).c_str());
        if (!why.empty()) {
            send_error(res, 401, why, auth_message(why));
            return false;
        }
        *kiosk_id = h.kiosk_id;
        return true;
    }

    bool admin(const Request& req, Response& res) {
        if (options.admin_token.empty() ||
            !same_secret(req.get_header_value("Authorization"), "Bearer " + options.admin_token)) {
            send_error(res, 401, "bad_admin_token", "staff endpoints need the admin token");
            return false;
        }
        return true;
    }

    // The body as a JSON object within `bounds`, or answers 413 payload_too_large or
    // 400 (invalid_utf8, malformed_json, too_deep, text_too_long, too_many_items,
    // number_out_of_range, invalid_field). Nothing unbounded reaches nlohmann.
    static std::optional<json> object_body(const Request& req, Response& res, const crm_contract::JsonBounds& bounds) {
        if (req.body.size() > bounds.max_bytes) {
            send_error(res, 413, "payload_too_large",
                       "the body is over the limit of " + std::to_string(bounds.max_bytes) + " bytes");
            return std::nullopt;
        }
        if (!platform::is_valid_utf8(req.body)) {
            send_error(res, 400, "invalid_utf8", "the body is not UTF-8");
            return std::nullopt;
        }
        crm_contract::JsonProblem problem;
        std::optional<json> parsed = crm_contract::parse_bounded(req.body, bounds, &problem);
        if (problem == crm_contract::JsonProblem::not_json) {
            send_error(res, 400, "malformed_json", "the body is not JSON");
            return std::nullopt;
        }
        if (!parsed) {
            send_error(res, 400, crm_contract::json_problem_code(problem), "the body is outside the documented limits");
            return std::nullopt;
        }
        json doc = std::move(*parsed);
        if (!doc.is_object()) {
            send_error(res, 400, "invalid_field", "the body must be a JSON object");
            return std::nullopt;
        }
        return doc;
    }

    static std::optional<Page> page_of(const Request& req, Response& res) {
        Page page;
        std::optional<int64_t> p = req.has_param("page") ? whole_number(req.get_param_value("page")) : 1;
        std::optional<int64_t> n = req.has_param("per_page") ? whole_number(req.get_param_value("per_page")) : 50;
        if (!p || !n || *p < 1 || *p > 1'000'000 || *n < 1 || *n > 500) {
            send_error(res, 400, "invalid_field", "page is a whole number from 1, per_page from 1 to 500");
            return std::nullopt;
        }
        page.page = *p;
        page.per_page = *n;
        return page;
    }

    // The member session a request carries (X-Member-Session), checked against
    // this kiosk and, when given, the card it acts for. Without one, or with
    // another kiosk's or another card's: 401 member_session_required, and not
    // one member fact in the answer.
    std::optional<std::string> member_session(const Request& req, Response& res, const std::string& kiosk_id,
                                              const std::string& card = "") {
        auto session_card = store.session_card(req.get_header_value("X-Member-Session"), kiosk_id);
        if (!session_card || (!card.empty() && !same_secret(*session_card, card))) {
            send_error(res, 401, "member_session_required", "the member must be signed in at this kiosk");
            return std::nullopt;
        }
        return session_card;
    }

    // target: "batch" or "redemptions" — a fault plan names the requests it spoils.
    std::optional<json> take_fault(const std::string& target = "batch") {
        std::lock_guard<std::mutex> lock(fault_mutex);
        if (faults_left <= 0 || fault.value("on", "batch") != target) return std::nullopt;
        --faults_left;
        return fault;
    }

    // ---- kiosk routes ----

    void batch(const Request& req, Response& res) {
        std::string kiosk_id;
        // A batch is idempotent by its records' keys: an identical resend (a
        // lost reply) is processed again and its records come back duplicate.
        if (!kiosk(req, res, &kiosk_id, Resend::allowed)) return;
        std::optional<json> fault = take_fault();
        std::string mode = fault ? fault->value("mode", "") : "";
        if (mode == "status") {
            res.status = fault->value("status", 503);
            if (fault->contains("retry_after")) res.set_header("Retry-After", fault->value("retry_after", "1"));
            return send_error(res, res.status, res.status == 429 ? "rate_limited" : "unavailable", "test fault");
        }
        if (req.body.size() > options.max_body_bytes)
            return send_error(res, 413, "payload_too_large",
                              "a batch is at most " + std::to_string(options.max_body_bytes) + " bytes");
        if (!platform::is_valid_utf8(req.body)) return send_error(res, 400, "invalid_utf8", "the body is not UTF-8");
        std::string why;
        auto wire = crm_contract::parse_batch_request(req.body, &why);
        if (!wire) {
            if (why == "payload_too_large") return send_error(res, 413, why, "the batch is over the limit");
            if (why == "malformed_json") return send_error(res, 400, why, "the body is not JSON");
            return send_error(res, 400, "invalid_field",
                              "records is a list; each record needs key, type and payload (text) and created_at_ms (integer)");
        }
        if (wire->size() > options.max_batch_records)
            return send_error(res, 413, "batch_too_large",
                              "at most " + std::to_string(options.max_batch_records) + " records a batch");
        // Anonymous answers travel alone: a batch that mixes them with records
        // naming a person would tie them together (older kiosks did so). The
        // whole batch is refused and stays in the kiosk's outbox.
        size_t anonymous = 0;
        for (const auto& r : *wire) anonymous += crm_contract::is_anonymous_type(r.type) ? 1 : 0;
        if (anonymous > 0 && anonymous < wire->size())
            return send_error(res, 400, "mixed_anonymous_batch",
                              "anonymous records (feedback, feedback_follow_up, survey_answer) go in batches of their own");
        if (mode == "reject") {
            // Test-only: every record refused with the given reason (e.g. one a
            // newer CRM might send), nothing stored.
            std::vector<crm_contract::BatchResult> refused;
            for (const auto& r : *wire) refused.push_back({r.key, "rejected", fault->value("reason", "unknown")});
            return res.set_content(crm_contract::batch_reply_json(refused), "application/json");
        }
        std::vector<OutboxRecord> records;
        records.reserve(wire->size());
        for (auto& r : *wire)
            records.push_back({std::move(r.key), std::move(r.type), std::move(r.payload), r.created_at_ms});
        // A booking change is a guess at its guard like a look-up: while its
        // code or this kiosk must wait, the whole batch waits (429, nothing
        // stored) rather than have a record refused for good.
        if (int64_t wait = store.batch_wait_ms(kiosk_id, records); wait > 0)
            return send_wait(res, wait, "too many wrong guesses: a booking change must wait");
        auto ingested = store.ingest(kiosk_id, records);
        if (!ingested)
            return send_error(res, 503, "unavailable", "the CRM could not store the batch; nothing was kept, send it again");
        std::vector<crm_contract::BatchResult> results;
        for (const IngestResult& r : *ingested) results.push_back({r.key, r.status, r.reason});
        std::string body = crm_contract::batch_reply_json(results);

        // Past this point the batch is committed; the faults below lose or spoil the reply only.
        if (mode == "drop_after_store" || mode == "truncated") {
            // Headers promise the whole body; then the connection is cut after
            // none of it (drop_after_store) or half of it (truncated).
            size_t sent = mode == "truncated" ? body.size() / 2 : 0;
            res.set_content_provider(body.size(), "application/json",
                                     [body, sent](size_t, size_t, httplib::DataSink& sink) {
                                         if (sent > 0) sink.write(body.data(), sent);
                                         return false;  // abort: the kiosk never sees a complete reply
                                     });
            return;
        }
        if (mode == "not_json") return res.set_content("<html>502 proxy error</html>", "text/html");
        if (mode == "delay") {
            // Real time on purpose, not the Clock: the point is a reply that
            // arrives later than the kiosk's libcurl timeout on a real socket.
            std::this_thread::sleep_for(std::chrono::milliseconds(fault->value("delay_ms", 2000)));
        }
        res.set_content(body, "application/json");
    }

    // One redemption or gift, answered at once (the kiosk is online). The same
    // record may also travel by the outbox: one idempotency key, one effect.
    // Only with the member's session at this kiosk for the card that pays; the
    // CRM prices a redemption from its catalogue (a changed price is refused
    // with the price now).
    void redeem_now(const Request& req, Response& res) {
        std::string kiosk_id;
        if (!kiosk(req, res, &kiosk_id)) return;
        auto doc = object_body(req, res, small_body_bounds(2 * crm_contract::kMaxPayloadBytes));
        if (!doc) return;
        auto record = outbox_record(*doc);
        if (!record || (record->type != "redemption" && record->type != "points_gift"))
            return send_error(res, 400, "invalid_field",
                              "a redemption or points_gift record: key, type, payload (text), created_at_ms");
        json payload = crm_contract::parse_bounded(record->payload, crm_contract::payload_bounds()).value_or(json());
        auto card_it = payload.is_object() ? payload.find(record->type == "redemption" ? "card" : "from_card") : payload.end();
        std::string card = card_it != payload.end() && card_it->is_string() ? card_it->get<std::string>() : "";
        if (card.empty()) return send_error(res, 400, "invalid_field", "the payload names the member's card");
        if (!member_session(req, res, kiosk_id, card)) return;
        std::optional<json> fault = take_fault("redemptions");
        auto ingested = store.ingest(kiosk_id, {*record}, Store::Source::direct);
        if (!ingested) return send_error(res, 503, "unavailable", "the CRM could not store it; nothing was kept");
        IngestResult result = (*ingested)[0];
        json out = result_json(result);
        if (auto member = store.member(card)) out["balance"] = (*member)["balance"];
        if (result.reason == "price_changed")
            if (auto price = store.reward_price(payload.value("reward", ""))) out["price"] = *price;
        std::string body = out.dump();
        if (fault && fault->value("mode", "") == "drop_after_store") {
            // Applied and committed; the reply is cut before its body (docs/crm-api.md, faults).
            res.set_content_provider(body.size(), "application/json",
                                     [](size_t, size_t, httplib::DataSink&) { return false; });
            return;
        }
        res.set_content(body, "application/json");
    }

    // One entry (/content/{name}) or, for the bare /content, the index of all of them.
    void content(const Request& req, Response& res, bool index) {
        std::string kiosk_id;
        if (!kiosk(req, res, &kiosk_id)) return;
        std::optional<Content> entry = index ? store.content_index() : store.content(req.matches[1]);
        if (!entry) return send_error(res, 404, "no_such_content", "no content by that name");
        res.set_header("ETag", entry->etag);
        if (req.get_header_value("If-None-Match") == entry->etag) {
            res.status = 304;  // unchanged: one small request, no body
            return;
        }
        res.set_content(entry->body, "application/json");
    }

    // A promotion's image, by id: the bytes as uploaded, with an ETag (304 when unchanged).
    void image(const Request& req, Response& res) {
        std::string kiosk_id;
        if (!kiosk(req, res, &kiosk_id)) return;
        std::optional<Image> entry = store.image(req.matches[1]);
        if (!entry) return send_error(res, 404, "no_such_image", "no image by that id");
        res.set_header("ETag", entry->etag);
        if (req.get_header_value("If-None-Match") == entry->etag) {
            res.status = 304;
            return;
        }
        res.set_content(entry->body, entry->content_type);
    }

    // Staff upload an image: PNG or JPEG bytes as the body, its type in Content-Type.
    // The CRM checks the type and the bytes' signature only; kiosks decode defensively.
    void put_image(const Request& req, Response& res) {
        if (!admin(req, res)) return;
        std::string type = req.get_header_value("Content-Type");
        if (req.body.size() > options.max_image_bytes)
            return send_error(res, 413, "payload_too_large", "an image is at most " + std::to_string(options.max_image_bytes) + " bytes");
        if ((type != "image/png" && type != "image/jpeg") || req.body.empty())
            return send_error(res, 400, "invalid_field", "the body is a PNG or JPEG image, typed image/png or image/jpeg");
        if (!store.put_image(req.matches[1], type, req.body))
            return send_error(res, 500, "internal_error", "the image could not be stored");
        res.status = 204;
    }

    void heartbeat(const Request& req, Response& res) {
        std::string kiosk_id;
        if (!kiosk(req, res, &kiosk_id)) return;
        auto doc = object_body(req, res, small_body_bounds(crm_contract::kMaxHeartbeatBodyBytes));
        if (!doc) return;
        Heartbeat beat;
        if (!optional_text(*doc, "version", &beat.version) || !optional_text(*doc, "last_error", &beat.last_error) ||
            !optional_text(*doc, "printer", &beat.printer) ||
            !optional_int(*doc, "queue_depth", &beat.queue_depth) ||
            !optional_int(*doc, "oldest_pending_ms", &beat.oldest_pending_ms) ||
            !optional_int(*doc, "last_success_ms", &beat.last_success_ms) ||
            !optional_int(*doc, "rejected", &beat.rejected) || beat.queue_depth < 0 || beat.rejected < 0 ||
            beat.oldest_pending_ms < 0 || beat.oldest_pending_ms > crm_contract::kMaxWallMs ||
            beat.last_success_ms < 0 || beat.last_success_ms > crm_contract::kMaxWallMs ||
            beat.queue_depth > 100'000'000 || beat.rejected > 100'000'000 || beat.version.size() > 64 ||
            beat.last_error.size() > crm_contract::kMaxHeartbeatTextBytes ||
            beat.printer.size() > crm_contract::kMaxHeartbeatTextBytes)
            return send_error(res, 400, "invalid_field",
                              "version (≤ 64 bytes), last_error and printer (≤ 512 bytes) are text; queue_depth, "
                              "rejected and the *_ms fields whole numbers in range");
        // The appliance's health: each field bounded, so a stolen kiosk cannot fill the staff list with junk.
        static const std::set<std::string> kWatchdogStates = {"", "on", "off", "out_of_service"};
        constexpr int64_t kTenYearsS = 10LL * 366 * 86'400;
        if (!optional_int(*doc, "uptime_s", &beat.uptime_s) ||
            !optional_int(*doc, "restarts_since_boot", &beat.restarts_since_boot) ||
            !optional_int(*doc, "disk_free_mb", &beat.disk_free_mb) ||
            !optional_int(*doc, "oldest_pending_age_s", &beat.oldest_pending_age_s) ||
            !optional_text(*doc, "watchdog", &beat.watchdog) || beat.uptime_s < 0 || beat.uptime_s > kTenYearsS ||
            beat.restarts_since_boot < 0 || beat.restarts_since_boot > 1'000'000 || beat.disk_free_mb < -1 ||
            beat.disk_free_mb > (int64_t(1) << 40) || beat.oldest_pending_age_s < 0 ||
            beat.oldest_pending_age_s > kTenYearsS || !kWatchdogStates.count(beat.watchdog))
            return send_error(res, 400, "invalid_field",
                              "uptime_s, restarts_since_boot, disk_free_mb and oldest_pending_age_s are whole numbers "
                              "in range; watchdog is on, off or out_of_service");
        store.heartbeat(kiosk_id, beat);
        res.status = 204;
    }

    // Member sign-in: card + PIN. An unknown card and a wrong PIN get the same
    // answer after the same work; failures are slowed per card and per kiosk
    // (guessing.h): 429 with Retry-After, never a lock longer than the delays.
    void sign_in(const Request& req, Response& res) {
        std::string kiosk_id;
        if (!kiosk(req, res, &kiosk_id)) return;
        auto doc = object_body(req, res, small_body_bounds(1024));
        if (!doc) return;
        std::string card, pin;
        if (!doc->contains("card") || !doc->contains("pin") || !optional_text(*doc, "card", &card) ||
            !optional_text(*doc, "pin", &pin) || card.empty() || card.size() > 32 || pin.size() > 16)
            return send_error(res, 400, "invalid_field", "card and pin are text");
        SignIn result = store.sign_in(kiosk_id, card, pin);
        std::string masked = mask_digits(card);
        switch (result.outcome) {
            case SignIn::Outcome::ok: {
                if (options.access_log) log_info("crm: sign-in card %s at %s: ok", masked.c_str(), kiosk_id.c_str());
                // The session (and the offline grant) are for this card at this kiosk only.
                json opened = store.open_member_session(card, kiosk_id);
                if (!opened.contains("session")) return send_error(res, 503, "unavailable", "try again");
                for (auto& [name, value] : opened.items()) result.member[name] = value;
                return send_json(res, 200, result.member);
            }
            case SignIn::Outcome::wait:
                if (options.access_log) log_warn("crm: sign-in card %s at %s: must wait", masked.c_str(), kiosk_id.c_str());
                return send_wait(res, result.wait_ms, "too many wrong sign-ins: wait, then try again");
            case SignIn::Outcome::wrong_card_or_pin:
                if (options.access_log) log_info("crm: sign-in card %s at %s: wrong", masked.c_str(), kiosk_id.c_str());
                return send_error(res, 401, "wrong_card_or_pin", "card number or PIN not right");
        }
    }

    // The member signs out (or the kiosk's session wipe does it): the session ends now.
    // 204 whatever the token, so the answer tells nothing about it.
    void sign_out(const Request& req, Response& res) {
        std::string kiosk_id;
        if (!kiosk(req, res, &kiosk_id)) return;
        store.end_member_session(req.get_header_value("X-Member-Session"), kiosk_id);
        res.status = 204;
    }

    // A gift's recipient, for the giver to confirm: the card's last four digits
    // and the masked name, nothing more. At most kRecipientLookupsPerMinute a
    // kiosk, so the endpoint cannot be used to walk the card numbers.
    static constexpr int kRecipientLookupsPerMinute = 10;
    std::mutex lookup_mutex;
    std::map<std::string, std::deque<int64_t>> lookups;  // kiosk id → times of its look-ups in the last minute

    void recipient(const Request& req, Response& res) {
        std::string kiosk_id;
        if (!kiosk(req, res, &kiosk_id)) return;
        auto doc = object_body(req, res, small_body_bounds(1024));
        if (!doc) return;
        std::string card;
        if (!doc->contains("card") || !optional_text(*doc, "card", &card) || card.empty() || card.size() > 32)
            return send_error(res, 400, "invalid_field", "card is text");
        if (!member_session(req, res, kiosk_id)) return;  // only a signed-in member looks a recipient up
        {
            std::lock_guard<std::mutex> lock(lookup_mutex);
            int64_t now = clock.wall_ms();
            auto& times = lookups[kiosk_id];
            while (!times.empty() && times.front() <= now - 60'000) times.pop_front();
            if (times.size() >= size_t(kRecipientLookupsPerMinute)) {
                int64_t wait_s = (times.front() + 60'000 - now + 999) / 1000;
                res.set_header("Retry-After", std::to_string(std::max<int64_t>(1, wait_s)));
                return send_error(res, 429, "rate_limited", "too many recipient look-ups from this kiosk");
            }
            times.push_back(now);
        }
        auto found = store.recipient(card);
        if (!found) return send_error(res, 404, "unknown_member", "no member with that card");
        send_json(res, 200, *found);
    }

    // A complaint's stages, guarded by the phone's last four digits or the
    // look-up code shown with the ticket. A wrong guess is answered exactly like
    // an unknown ticket and counted (guessing.h); too many: 429.
    void complaint(const Request& req, Response& res) {
        std::string kiosk_id;
        if (!kiosk(req, res, &kiosk_id)) return;
        std::string ticket = req.matches[1];
        LookUpGuard guard{req.get_param_value("phone_last4"), req.get_param_value("lookup_code"), ""};
        if (ticket.size() > 64 || guard.phone_last4.size() > 16 || guard.lookup_code.size() > 16)
            return send_error(res, 400, "invalid_field", "a ticket is at most 64 characters, a guard at most 16");
        LookUp found = store.look_up_complaint(kiosk_id, ticket, guard);
        if (found.outcome == LookUp::Outcome::wait)
            return send_wait(res, found.wait_ms, "too many wrong look-ups: wait, then try again");
        if (found.outcome == LookUp::Outcome::not_found)
            return send_error(res, 404, "no_such_ticket", "no complaint with that ticket (and phone digits or code)");
        send_json(res, 200, found.status);
    }

    void slots(const Request& req, Response& res) {
        std::string kiosk_id;
        if (!kiosk(req, res, &kiosk_id)) return;
        send_json(res, 200, store.free_slots(req.get_param_value("department"), req.get_param_value("day")));
    }

    // A booking by its code. Guarded like a complaint: a guest's booking needs
    // the last four digits of the phone given, a member's booking the member's
    // person id (the kiosk sends it only for a signed-in member); a wrong guess
    // is answered exactly like an unknown code, counted, and slowed (429).
    void booking(const Request& req, Response& res) {
        std::string kiosk_id;
        if (!kiosk(req, res, &kiosk_id)) return;
        // A member's booking by the member's person id needs that member's session here.
        std::string asked_person = req.get_param_value("person");
        if (asked_person.rfind("card:", 0) == 0 && !member_session(req, res, kiosk_id, asked_person.substr(5))) return;
        std::string code = req.matches[1];
        LookUpGuard guard{req.get_param_value("phone_last4"), "", req.get_param_value("person")};
        if (code.size() > 64 || guard.phone_last4.size() > 16 || guard.person.size() > 128)
            return send_error(res, 400, "invalid_field", "a code is at most 64 characters, a guard at most 16 (person 128)");
        LookUp found = store.look_up_booking(kiosk_id, code, guard);
        if (found.outcome == LookUp::Outcome::wait)
            return send_wait(res, found.wait_ms, "too many wrong look-ups: wait, then try again");
        if (found.outcome == LookUp::Outcome::not_found)
            return send_error(res, 404, "no_such_booking", "no booking with that code (and phone digits)");
        send_json(res, 200, found.status);
    }

    void upcoming_bookings(const Request& req, Response& res) {
        std::string kiosk_id;
        if (!kiosk(req, res, &kiosk_id)) return;
        std::string person = req.get_param_value("person");
        if (person.empty() || person.size() > 128)
            return send_error(res, 400, "invalid_field", "person is a member (card:<number>) or a guest hash");
        // A member's visits only to that member, signed in at this kiosk.
        if (person.rfind("card:", 0) == 0 && !member_session(req, res, kiosk_id, person.substr(5))) return;
        send_json(res, 200, store.upcoming_bookings(person));
    }

    // A call for help, asked about by the kiosk that made it (another kiosk
    // gets 404, as for an id that does not exist).
    void help_status(const Request& req, Response& res) {
        std::string kiosk_id;
        if (!kiosk(req, res, &kiosk_id)) return;
        auto found = store.help_request(req.matches[1], kiosk_id);
        if (!found) return send_error(res, 404, "no_such_help_request", "no call for help with that id from this kiosk");
        send_json(res, 200, *found);
    }

    // ---- record pages (issue 14: paper and phone) ----
    // The page behind the QR code on a ticket, booking slip or voucher: public
    // (a phone has no kiosk key), guarded by the record's random guard `g`,
    // throttled like a look-up. Unknown, wrong and not-yet-received are one page
    // with one status, byte for byte (no oracle). crm_contract/record_pages.h.
    void record_page(const Request& req, Response& res) {
        auto kind = crm_contract::page_kind_from_letter(req.matches[1].str());
        std::string id = req.matches[2], guard = req.get_param_value("g");
        std::string lang = page_language(req.get_param_value("l"));
        res.set_header("Cache-Control", "no-store");
        res.set_header("Referrer-Policy", "no-referrer");
        res.set_header("X-Content-Type-Options", "nosniff");
        res.set_header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
        if (!kind || guard.size() > 64 || req.get_param_value("l").size() > 16) {
            res.status = 400;
            return res.set_content("bad request\n", "text/plain; charset=utf-8");
        }
        RecordPage page = store.record_page(*kind, id, guard, req.remote_addr);
        if (page.outcome == RecordPage::Outcome::wait) {
            int64_t seconds = std::max<int64_t>(1, (page.wait_ms + 999) / 1000);
            res.status = 429;
            res.set_header("Retry-After", std::to_string(seconds));
            return res.set_content(record_wait_html(lang, seconds), "text/html; charset=utf-8");
        }
        if (page.outcome == RecordPage::Outcome::not_available) {
            res.status = 404;
            return res.set_content(record_unavailable_html(lang), "text/html; charset=utf-8");
        }
        res.status = 200;
        res.set_content(record_page_html(page.record, lang, clock), "text/html; charset=utf-8");
    }

    // ---- staff routes ----

    void open_help(const Request& req, Response& res) {
        if (!admin(req, res)) return;
        send_json(res, 200, store.open_help_requests());
    }

    // Body optional: {"staff": "who is going", at most 64 bytes}.
    void acknowledge_help(const Request& req, Response& res) {
        if (!admin(req, res)) return;
        std::string staff;
        if (!req.body.empty()) {
            auto doc = object_body(req, res, crm_contract::content_bounds(1024));
            if (!doc) return;
            if (!optional_text(*doc, "staff", &staff) || staff.size() > 64)
                return send_error(res, 400, "invalid_field", "staff is text of at most 64 bytes");
        }
        auto acknowledged = store.acknowledge_help(req.matches[1], staff);
        if (!acknowledged) return send_error(res, 404, "no_such_help_request", "no call for help with that id");
        send_json(res, 200, *acknowledged);
    }

    void advance_complaint(const Request& req, Response& res) {
        if (!admin(req, res)) return;
        json status;
        switch (store.advance_complaint(req.matches[1], &status)) {
            case Advance::moved: return send_json(res, 200, status);
            case Advance::no_such_ticket: return send_error(res, 404, "no_such_ticket", "no complaint with that ticket");
            case Advance::already_closed: return send_error(res, 409, "already_closed", "the complaint is closed");
        }
    }

    void purchase(const Request& req, Response& res) {
        if (!admin(req, res)) return;
        auto doc = object_body(req, res, small_body_bounds(4096));
        if (!doc) return;
        int64_t amount = 0;
        std::string note = "purchase";
        if (!doc->contains("amount_fen") || !optional_int(*doc, "amount_fen", &amount) || amount <= 0 ||
            amount > 100'000'000'00 || !optional_text(*doc, "note", &note))
            return send_error(res, 400, "invalid_field", "amount_fen is a whole number above 0; note is text");
        auto earned = store.record_purchase(req.matches[1], amount, note);
        if (!earned) return send_error(res, 404, "unknown_member", "no member with that card");
        send_json(res, 200, *earned);
    }

    void put_content(const Request& req, Response& res) {
        if (!admin(req, res)) return;
        if (!object_body(req, res, crm_contract::content_bounds(options.max_content_bytes))) return;
        std::string why = store.put_content(req.matches[1], req.body);
        if (why == "survey_version_changed")
            return send_error(res, 409, why, "a published survey version cannot change: publish a new version");
        if (!why.empty()) return send_error(res, 400, why, "the content does not have the documented shape");
        res.status = 204;
    }

    void list(const Request& req, Response& res, const std::vector<std::string>& types) {
        if (!admin(req, res)) return;
        auto page = page_of(req, res);
        if (!page) return;
        send_json(res, 200, types.empty() ? store.list_kiosks(*page, 3 * options.heartbeat_interval_ms)
                                          : store.list_records(types, *page));
    }

    // POST revokes one kiosk (its signed requests get 401 revoked_kiosk), DELETE reinstates it.
    void revoke(const Request& req, Response& res, bool revoked) {
        if (!admin(req, res)) return;
        store.revoke_kiosk(req.matches[1], revoked);
        res.status = 204;
    }

    // Staff: who has been guessing — every counter, latest failure first.
    void guessing(const Request& req, Response& res) {
        if (!admin(req, res)) return;
        auto page = page_of(req, res);
        if (!page) return;
        send_json(res, 200, store.guessing(*page));
    }

    static std::string mode_of(const json& plan) {
        auto it = plan.find("mode");
        return it != plan.end() && it->is_string() ? it->get<std::string>() : "";
    }

    void set_fault(const Request& req, Response& res) {
        if (!admin(req, res)) return;
        auto doc = object_body(req, res, small_body_bounds(4096));
        if (!doc) return;
        static const std::set<std::string> kModes = {"status", "drop_after_store", "truncated", "delay", "not_json",
                                                     "reject"};
        std::string mode;
        int64_t count = 1, status = 503, delay = 2000;
        std::string retry_after, on = "batch";
        if (!optional_text(*doc, "on", &on) || (on != "batch" && on != "redemptions") ||
            (on == "redemptions" && mode_of(*doc) != "drop_after_store") ||
            !optional_text(*doc, "mode", &mode) || !kModes.count(mode) || !optional_int(*doc, "count", &count) ||
            !optional_int(*doc, "status", &status) || !optional_int(*doc, "delay_ms", &delay) ||
            !optional_text(*doc, "retry_after", &retry_after) || count < 0 || status < 400 || status > 599 ||
            delay < 0 || delay > 60'000)
            return send_error(res, 400, "invalid_field", "see docs/crm-api.md, test-only faults");
        std::lock_guard<std::mutex> lock(fault_mutex);
        fault = *doc;
        faults_left = count;
        res.status = 204;
    }

    void routes() {
        httplib::Server& http = *server;
        // httplib's own cap is the largest body any route takes (a staff image);
        // each route then holds its body to its own, smaller limit.
        http.set_payload_max_length(std::max({options.max_body_bytes, options.max_image_bytes, options.max_content_bytes}));
        // Without it a reply written in two parts waits for the client's delayed
        // ACK: ~40 ms a request (measured: 10,000 records took 3.3 s instead of ~1).
        http.set_tcp_nodelay(true);
        http.Post("/api/v1/outbox/batch", [this](const Request& q, Response& s) { batch(q, s); });
        http.Post("/api/v1/redemptions", [this](const Request& q, Response& s) { redeem_now(q, s); });
        http.Get("/api/v1/content", [this](const Request& q, Response& s) { content(q, s, true); });
        http.Get(R"(/api/v1/content/([a-z0-9_\-]+))", [this](const Request& q, Response& s) { content(q, s, false); });
        http.Get(R"(/api/v1/images/([A-Za-z0-9_\-]{1,64}))", [this](const Request& q, Response& s) { image(q, s); });
        http.Post("/api/v1/heartbeat", [this](const Request& q, Response& s) { heartbeat(q, s); });
        http.Post("/api/v1/members/sign-in", [this](const Request& q, Response& s) { sign_in(q, s); });
        http.Post("/api/v1/members/sign-out", [this](const Request& q, Response& s) { sign_out(q, s); });
        http.Post("/api/v1/members/recipient", [this](const Request& q, Response& s) { recipient(q, s); });
        http.Get("/api/v1/slots", [this](const Request& q, Response& s) { slots(q, s); });
        http.Get(R"(/api/v1/complaints/([A-Za-z0-9_\-]+))", [this](const Request& q, Response& s) { complaint(q, s); });
        http.Get("/api/v1/bookings", [this](const Request& q, Response& s) { upcoming_bookings(q, s); });
        http.Get(R"(/api/v1/bookings/([A-Za-z0-9_\-]+))", [this](const Request& q, Response& s) { booking(q, s); });

        http.Get(R"(/r/([cbv])/([A-Za-z0-9_\-]{1,64}))", [this](const Request& q, Response& s) { record_page(q, s); });
        http.Get(R"(/api/v1/help/([0-9a-f\-]{1,64}))", [this](const Request& q, Response& s) { help_status(q, s); });
        http.Get("/api/v1/admin/help", [this](const Request& q, Response& s) { open_help(q, s); });
        http.Post(R"(/api/v1/admin/help/([0-9a-f\-]{1,64})/ack)",
                  [this](const Request& q, Response& s) { acknowledge_help(q, s); });
        http.Post(R"(/api/v1/admin/complaints/([A-Za-z0-9_\-]+)/advance)",
                  [this](const Request& q, Response& s) { advance_complaint(q, s); });
        http.Post(R"(/api/v1/admin/members/([0-9A-Za-z\-]+)/purchases)",
                  [this](const Request& q, Response& s) { purchase(q, s); });
        http.Put(R"(/api/v1/admin/content/([a-z0-9_\-]+))", [this](const Request& q, Response& s) { put_content(q, s); });
        http.Put(R"(/api/v1/admin/images/([A-Za-z0-9_\-]{1,64}))", [this](const Request& q, Response& s) { put_image(q, s); });
        http.Post(R"(/api/v1/admin/kiosks/([A-Za-z0-9_\-]{1,32})/revoke)",
                  [this](const Request& q, Response& s) { revoke(q, s, true); });
        http.Delete(R"(/api/v1/admin/kiosks/([A-Za-z0-9_\-]{1,32})/revoke)",
                    [this](const Request& q, Response& s) { revoke(q, s, false); });
        const std::pair<const char*, std::vector<std::string>> lists[] = {
            {"/api/v1/admin/feedback", {"feedback", "feedback_follow_up"}},
            {"/api/v1/admin/surveys", {"survey_answer"}},
            {"/api/v1/admin/complaints", {"complaint", "complaint_satisfaction"}},
            {"/api/v1/admin/bookings", {"booking", "booking_move", "booking_cancel"}},
            {"/api/v1/admin/redemptions", {"redemption", "points_gift"}},
            {"/api/v1/admin/kiosks", {}},
        };
        http.Get("/api/v1/admin/guessing", [this](const Request& q, Response& s) { guessing(q, s); });
        for (const auto& [path, types] : lists)
            http.Get(path, [this, types = types](const Request& q, Response& s) { list(q, s, types); });
        if (options.allow_faults)
            http.Post("/api/v1/test/faults", [this](const Request& q, Response& s) { set_fault(q, s); });

        // Called for every status >= 400, ours too: only fill in replies httplib made itself (no body yet).
        http.set_error_handler([](const Request& req, Response& res) {
            if (!res.body.empty()) return;
            if (res.status == 413) return send_error(res, 413, "payload_too_large", "the body is over the limit");
            if (res.status == 404 && req.path.rfind("/api/", 0) == 0)
                return send_error(res, 404, "not_found", "no such endpoint");
        });
        // An unknown failure is not a final answer: 503, and the kiosk tries again.
        http.set_exception_handler([](const Request&, Response& res, std::exception_ptr) {
            send_error(res, 503, "unavailable", "the CRM failed on this request; nothing was stored, try again");
        });
        if (options.access_log)
            http.set_logger([](const Request& req, const Response& res) {
                // The path only (queries may carry phone digits), with digit runs masked.
                log_info("crm: %s %s -> %d %s", req.method.c_str(), mask_digits(req.path).c_str(), res.status,
                         mask_digits(req.get_header_value("X-Kiosk-Id")).c_str());
            });
    }
};

CrmServer::CrmServer(CrmOptions options, platform::Clock& clock)
    : impl_(std::make_unique<Impl>(std::move(options), clock)) {}

CrmServer::~CrmServer() { stop(); }

bool CrmServer::start(std::string* error) {
    if (!impl_->store.open(impl_->options.db_path, error)) return false;
    if (!platform::zone_exists(impl_->options.time_zone)) {
        *error = "unknown time zone '" + impl_->options.time_zone + "' (an IANA name such as Asia/Shanghai)";
        return false;
    }
    impl_->store.set_offline_daily_cap(impl_->options.offline_daily_cap_points);
    impl_->store.put_time_zone(impl_->options.time_zone);
    if (impl_->options.seed_demo) impl_->store.seed_demo(impl_->options.demo_flows_path, impl_->options.time_zone);
    if (!impl_->options.cert_path.empty() || !impl_->options.key_path.empty()) {
        auto tls = std::make_unique<httplib::SSLServer>(impl_->options.cert_path.c_str(), impl_->options.key_path.c_str());
        if (!tls->is_valid()) {
            *error = "cannot use the certificate '" + impl_->options.cert_path + "' with the key '" +
                     impl_->options.key_path + "'";
            return false;
        }
        impl_->server = std::move(tls);
    } else {
        impl_->server = std::make_unique<httplib::Server>();
    }
    impl_->routes();
    httplib::Server& http = *impl_->server;
    if (impl_->options.port == 0) {
        impl_->port = http.bind_to_any_port(impl_->options.host);
    } else {
        impl_->port = http.bind_to_port(impl_->options.host, impl_->options.port) ? impl_->options.port : -1;
    }
    if (impl_->port <= 0) {
        *error = "cannot listen on " + impl_->options.host + ":" + std::to_string(impl_->options.port);
        return false;
    }
    impl_->thread = std::thread([&http] { http.listen_after_bind(); });
    // Return only once it is serving: httplib's stop() before the accept loop
    // has started would be ignored, and the loop would then run for ever.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!http.is_running() && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
    if (!http.is_running()) {
        *error = "the HTTP server did not start";
        return false;
    }
    return true;
}

int CrmServer::port() const { return impl_->port; }

void CrmServer::stop() {
    if (impl_->server && impl_->thread.joinable()) {
        impl_->server->stop();
        impl_->thread.join();
    }
}

int64_t CrmServer::count_records(const std::string& type) { return impl_->store.count_records(type); }

Store& CrmServer::store() { return impl_->store; }

}  // namespace crm
