#include "offline_cache/sync_engine.h"

#include <curl/curl.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <algorithm>
#include <cctype>

#include "crm_contract/batch.h"
#include "crm_contract/bounded_json.h"
#include "crm_contract/records.h"
#include "crm_http.h"
#include "offline_cache/content_cache.h"
#include "offline_cache/outbox.h"
#include "offline_cache/store.h"
#include "platform/log.h"

namespace offline_cache {

using nlohmann::json;

int64_t backoff_delay_ms(int attempt, const SyncOptions& options, double random01) {
    // Full jitter (AWS architecture blog): uniform in [0, min(cap, base·2^n)],
    // so a lobby full of kiosks coming back online does not retry in step.
    double ceiling = std::min(double(options.backoff_max_ms),
                              double(options.backoff_initial_ms) * std::pow(2.0, std::min(attempt, 30)));
    return int64_t(ceiling * std::clamp(random01, 0.0, 1.0));
}


SyncEngine::SyncEngine(Store& store, platform::Clock& clock, SyncOptions options,
                       std::function<void(const SyncStatus&)> on_status)
    : store_(store), clock_(clock), options_(std::move(options)), on_status_(std::move(on_status)),
      http_(std::make_unique<CrmHttp>()) {}

SyncEngine::~SyncEngine() { stop(); }

void SyncEngine::start() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (running_) return;
        running_ = true;
        thread_ = std::thread([this] { worker(); });
    }
    // A guest's record leaves at once when the CRM is reachable, instead of
    // waiting out the idle poll (up to idle_poll_ms) while the screen says "will send".
    store_.outbox().set_on_saved([this] { send_soon(); });
}

void SyncEngine::stop() {
    store_.outbox().set_on_saved(nullptr);  // waits for a call in progress: none runs after this
    {
        std::lock_guard<std::mutex> lock(mutex_);
        running_ = false;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void SyncEngine::sync_now() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        nudged_ = true;
    }
    wake_.notify_all();
}

void SyncEngine::send_soon() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        record_saved_ = true;
    }
    wake_.notify_all();
}

SyncStatus SyncEngine::status() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return status_;
}

void SyncEngine::publish(bool online, const std::string& error) {
    SyncStatus copy;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        status_.online = online;
        status_.last_error = error;
        if (online && error.empty()) status_.last_success_wall_ms = clock_.wall_ms();
        copy = status_;
    }
    if (on_status_) on_status_(copy);
}

RoundResult SyncEngine::run_once() {
    std::vector<OutboxRecord> batch = store_.outbox().claim_batch(options_.batch_size);
    if (batch.empty()) return RoundResult::nothing_due;
    // Anonymous answers never share a request with records that name a person:
    // the CRM could otherwise tie a feedback to the redemption sent beside it.
    std::vector<OutboxRecord> anonymous, named;
    for (OutboxRecord& r : batch) (crm_contract::is_anonymous_type(r.type) ? anonymous : named).push_back(std::move(r));
    RoundResult result = RoundResult::delivered;
    for (const auto* group : {&named, &anonymous}) {
        // Cut to the contract's byte limit: the CRM refuses a larger body whole.
        size_t from = 0;
        while (from < group->size()) {
            size_t bytes = 32, to = from;
            while (to < group->size()) {
                size_t one = crm_contract::batch_request_json({{(*group)[to].key, (*group)[to].type,
                                                                (*group)[to].payload, (*group)[to].created_wall_ms}})
                                 .size();
                if (to > from && bytes + one > crm_contract::kMaxBatchBodyBytes) break;
                bytes += one;
                ++to;
            }
            std::vector<OutboxRecord> part(group->begin() + long(from), group->begin() + long(to));
            if (result == RoundResult::failed) {
                // An earlier part failed: these wait with it, unsent.
                std::vector<std::string> keys;
                for (const auto& r : part) keys.push_back(r.key);
                store_.outbox().mark_retry(keys, clock_.wall_ms(), "waits for the CRM");
            } else if (send_batch(part) == RoundResult::failed) {
                result = RoundResult::failed;
            }
            from = to;
        }
    }
    return result;
}

RoundResult SyncEngine::send_batch(const std::vector<OutboxRecord>& batch) {
    Outbox& outbox = store_.outbox();
    std::vector<crm_contract::WireRecord> records;
    std::vector<std::string> keys;
    for (const OutboxRecord& r : batch) {
        records.push_back({r.key, r.type, r.payload, r.created_wall_ms});
        keys.push_back(r.key);
    }
    std::string body = crm_contract::batch_request_json(records);
    Reply reply = http_->post(options_, "/api/v1/outbox/batch", body, clock_.wall_ms() / 1000);
    static thread_local std::mt19937_64 random{std::random_device{}()};

    // Anything but a complete, well-formed answer: every record stays pending.
    auto retry_all = [&](const std::string& why, int64_t retry_after_s) {
        ++consecutive_failures_;
        int64_t delay = retry_after_s >= 0
                            ? std::min<int64_t>(retry_after_s * 1000, kMaxRetryDelayMs)
                            : backoff_delay_ms(consecutive_failures_ - 1, options_,
                                               std::uniform_real_distribution<double>(0, 1)(random));
        outbox.mark_retry(keys, clock_.wall_ms() + delay, why);
        log_warn("sync: %zu records stay pending (%s); next try in %lld ms", keys.size(), why.c_str(),
                 static_cast<long long>(delay));
        publish(reply.curl == CURLE_OK, why);  // online: the CRM answered, even if with an error
        return RoundResult::failed;
    };
    if (reply.curl != CURLE_OK) return retry_all("network: " + reply.error, -1);
    if (reply.status == 429 || reply.status >= 500)
        return retry_all("CRM answered HTTP " + std::to_string(reply.status), reply.retry_after_s);
    if (reply.status != 200) {
        // 400/401/413: the whole request was refused (a clock far off, a wrong
        // secret, a bug). Not the records' fault: keep them, back off, tell staff.
        std::string code;
        crm_contract::JsonBounds error_bounds;
        error_bounds.max_depth = 3;
        std::optional<json> err = crm_contract::parse_bounded(reply.body, error_bounds);
        if (err && err->is_object() && err->contains("error") && (*err)["error"].is_object())
            code = (*err)["error"].value("code", "");
        return retry_all("CRM refused the batch: HTTP " + std::to_string(reply.status) + " " + code.substr(0, 64), -1);
    }
    std::optional<std::vector<crm_contract::BatchResult>> results = crm_contract::parse_batch_reply(reply.body);
    if (!results) return retry_all("CRM reply was not the expected JSON", -1);

    std::vector<std::string> delivered;
    std::set<std::string> answered;
    for (const crm_contract::BatchResult& result : *results) {
        auto mine = std::find_if(batch.begin(), batch.end(), [&](const OutboxRecord& r) { return r.key == result.key; });
        if (mine == batch.end() || answered.count(result.key)) continue;  // not ours, or said twice: ignore
        if (result.status == "accepted" || result.status == "duplicate") {
            delivered.push_back(result.key);
            answered.insert(result.key);
        } else if (result.status == "rejected" && crm_contract::is_final_rejection(result.reason)) {
            outbox.mark_rejected(result.key, result.reason);
            answered.insert(result.key);
        } else if (result.status == "rejected") {
            // Not a reason the contract calls final (a newer CRM's, or a failure
            // misnamed): the guest's record is kept and tried again, later.
            std::string why = "CRM refused it for a reason this kiosk does not know: " + result.reason.substr(0, 64);
            int64_t delay = backoff_delay_ms(mine->attempts, options_, std::uniform_real_distribution<double>(0, 1)(random));
            outbox.mark_retry({result.key}, clock_.wall_ms() + delay, why);
            log_warn("sync: record kept: %s", why.c_str());
            answered.insert(result.key);
        }
    }
    outbox.mark_delivered(delivered);
    // A record the reply did not mention is simply tried again.
    std::vector<std::string> unanswered;
    for (const auto& key : keys)
        if (!answered.count(key)) unanswered.push_back(key);
    if (!unanswered.empty()) outbox.mark_retry(unanswered, clock_.wall_ms(), "not in the CRM's reply");
    consecutive_failures_ = 0;
    publish(true, "");
    return RoundResult::delivered;
}

ContentPull SyncEngine::pull_content(const std::string& name) {
    ContentCache& cache = store_.content();
    std::optional<CachedContent> cached = cache.get(name);
    Reply reply = http_->get(options_, "/api/v1/content/" + name, cached ? cached->etag : "", clock_.wall_ms() / 1000);
    if (reply.curl != CURLE_OK) {
        publish(false, "network: " + reply.error);
        return ContentPull::failed;
    }
    if (reply.status == 304 && cached) {
        cache.touch(name, clock_.wall_ms());  // unchanged: one small request, and the copy is fresh again
        if (name == "promotions") pull_promotion_images();  // a missing image gets another try
        return ContentPull::unchanged;
    }
    if (reply.status != 200) {
        log_warn("content %s: the CRM answered HTTP %ld", name.c_str(), reply.status);
        return ContentPull::failed;
    }
    // Only what parses as JSON within bounds is cached: a garbled or hostile
    // reply never replaces good content, and never crashes a later reader.
    if (!crm_contract::parse_bounded(reply.body, crm_contract::content_bounds(options_.max_reply_bytes))) {
        log_warn("content %s: the CRM's reply is not JSON; the cached copy stays", name.c_str());
        return ContentPull::failed;
    }
    if (!cache.put({name, reply.body, reply.etag, clock_.wall_ms()})) return ContentPull::failed;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        ++content_version_;
    }
    publish(true, status().last_error);
    if (name == "promotions") pull_promotion_images();
    return ContentPull::updated;
}

std::vector<std::string> promotion_image_ids(std::string_view promotions_body, int64_t now_wall_ms) {
    std::vector<std::string> ids;
    json doc = crm_contract::parse_bounded(promotions_body, crm_contract::content_bounds(promotions_body.size())).value_or(json());
    if (!doc.is_object() || !doc.contains("promotions") || !doc["promotions"].is_array()) return ids;
    for (const json& p : doc["promotions"]) {
        if (!p.is_object() || !p.contains("image") || !p["image"].is_string()) continue;
        auto until = p.find("valid_until_ms");
        if (until != p.end() && until->is_number_integer() && until->get<int64_t>() <= now_wall_ms) continue;
        std::string id = p["image"];
        bool ok = !id.empty() && id.size() <= 64 &&
                  std::all_of(id.begin(), id.end(), [](char c) { return std::isalnum((unsigned char)c) || c == '_' || c == '-'; });
        if (ok && std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
    }
    return ids;
}

bool looks_like_png_or_jpeg(std::string_view b) {
    static const char png[] = "\x89PNG\r\n\x1a\n";
    return (b.size() >= 8 && b.compare(0, 8, std::string_view(png, 8)) == 0) ||
           (b.size() >= 3 && (unsigned char)b[0] == 0xFF && (unsigned char)b[1] == 0xD8 && (unsigned char)b[2] == 0xFF);
}

// Runs on the worker after each promotions pull (changed or not): every image a
// current offer names is fetched if missing, revalidated (304) if cached — so a
// cached image is also marked as recently used — and images no offer names any
// more are dropped. Then the oldest go until the total is under the cap. The UI
// only ever reads the cache: a guest never waits for a picture.
ImagePullReport SyncEngine::pull_promotion_images() {
    ImagePullReport report;
    ContentCache& cache = store_.content();
    std::optional<CachedContent> promotions = cache.get("promotions");
    if (!promotions) return report;
    if (promotions->etag != refused_for_promotions_etag_) {
        refused_for_promotions_etag_ = promotions->etag;  // new offers: every image gets a fresh chance
        refused_images_.clear();
    }
    std::vector<std::string> wanted = promotion_image_ids(promotions->body, clock_.wall_ms());
    SyncOptions image_options = options_;
    image_options.max_reply_bytes = options_.max_image_bytes;
    bool changed = false;
    for (const std::string& id : wanted) {
        if (std::find(refused_images_.begin(), refused_images_.end(), id) != refused_images_.end()) continue;
        std::string name = "image/" + id;
        std::optional<CachedContent> cached = cache.get(name);
        Reply reply = http_->get(image_options, "/api/v1/images/" + id, cached ? cached->etag : "", clock_.wall_ms() / 1000);
        auto refuse = [&](const char* why) {
            log_warn("promotion image %s skipped: %s", id.c_str(), why);
            refused_images_.push_back(id);
            if (cached && cache.remove(name)) changed = true;
            ++report.refused;
        };
        if (reply.too_big) {
            refuse("larger than the image size limit");
        } else if (reply.curl != CURLE_OK || reply.status >= 500 || reply.status == 429 || reply.status == 401) {
            ++report.failed;  // the CRM or the network: next round
        } else if (reply.status == 304 && cached) {
            cache.touch(name, clock_.wall_ms());
            ++report.unchanged;
        } else if (reply.status != 200) {
            refuse(reply.status == 404 ? "the CRM has no such image" : "the CRM refused it");
        } else if (!looks_like_png_or_jpeg(reply.body)) {
            refuse("not a PNG or JPEG");
        } else if (cache.put({name, reply.body, reply.etag, clock_.wall_ms()})) {
            ++report.fetched;
            changed = true;
        } else {
            ++report.failed;
        }
    }
    // Withdrawn or ended offers: their pictures will not be shown again.
    for (const CachedContentSummary& entry : cache.list()) {
        if (entry.name.rfind("image/", 0) != 0) continue;
        std::string id = entry.name.substr(6);
        bool used = std::find(wanted.begin(), wanted.end(), id) != wanted.end() &&
                    std::find(refused_images_.begin(), refused_images_.end(), id) == refused_images_.end();
        if (!used && cache.remove(entry.name)) ++report.removed;
    }
    report.evicted = int(cache.evict_to_cap("image/", options_.image_cache_cap_bytes));
    if (report.evicted) {
        // Current offers' pictures that did not fit: not downloaded again each
        // round (they would only push each other out); the cards show without them.
        for (const std::string& id : wanted)
            if (!cache.get("image/" + id) &&
                std::find(refused_images_.begin(), refused_images_.end(), id) == refused_images_.end()) {
                log_warn("promotion image %s skipped: the image cache is full", id.c_str());
                refused_images_.push_back(id);
            }
    }
    if (report.removed || report.evicted) changed = true;
    if (changed) {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            ++content_version_;
        }
        publish(true, status().last_error);  // the UI learns of new content through the status report
    }
    if (report.fetched || report.refused || report.removed || report.evicted)
        log_info("promotion images: %d fetched, %d unchanged, %d skipped, %d failed, %d removed, %d evicted",
                 report.fetched, report.unchanged, report.refused, report.failed, report.removed, report.evicted);
    return report;
}

bool SyncEngine::heartbeat() {
    OutboxStats stats = store_.outbox().worker_stats();
    SyncStatus now = status();
    json body{{"version", options_.version},
              {"queue_depth", stats.depth()},
              {"oldest_pending_ms", stats.oldest_pending_wall_ms.value_or(0)},
              {"last_success_ms", now.last_success_wall_ms},
              {"last_error", now.last_error},
              {"rejected", stats.rejected}};
    if (options_.printer_state) body["printer"] = options_.printer_state();
    if (stats.oldest_pending_wall_ms)
        body["oldest_pending_age_s"] = std::max<int64_t>(0, (clock_.wall_ms() - *stats.oldest_pending_wall_ms) / 1000);
    if (options_.health) {
        ApplianceHealth h = options_.health();
        body["uptime_s"] = h.uptime_s;
        body["restarts_since_boot"] = h.restarts_since_boot;
        body["disk_free_mb"] = h.disk_free_mb;
        body["watchdog"] = h.watchdog;
    }
    Reply reply = http_->post(options_, "/api/v1/heartbeat", body.dump(), clock_.wall_ms() / 1000);
    last_heartbeat_wall_ms_ = clock_.wall_ms();
    bool ok = reply.curl == CURLE_OK && reply.status == 204;
    if (ok) publish(true, now.last_error);
    else if (reply.curl != CURLE_OK) publish(false, "network: " + reply.error);
    return ok;
}

void SyncEngine::worker() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (running_) {
        const bool nudged = nudged_;
        nudged_ = false;
        record_saved_ = false;  // this round sends it
        lock.unlock();
        int64_t wait_ms = 0;
        if (nudged) {
            // "Sync now" (staff, or a script): whatever is waiting goes now, backoff or not,
            // then fresh content and a heartbeat, so staff see the answer at once.
            store_.outbox().make_due_now();
            consecutive_failures_ = 0;
            RoundResult result;
            do result = run_once();
            while (result == RoundResult::delivered && is_running());
            last_content_pull_wall_ms_ = clock_.wall_ms();
            for (const std::string& name : options_.content_names) pull_content(name);
            heartbeat();
        } else if (!options_.on_demand_only) {
            RoundResult result = run_once();
            if (result == RoundResult::nothing_due && clock_.wall_ms() - last_heartbeat_wall_ms_ >= options_.heartbeat_ms)
                heartbeat();  // also how an idle kiosk learns it is online
            if (result != RoundResult::delivered &&
                clock_.wall_ms() - last_content_pull_wall_ms_ >= options_.content_poll_ms) {
                last_content_pull_wall_ms_ = clock_.wall_ms();
                for (const std::string& name : options_.content_names) pull_content(name);
            }
            if (result != RoundResult::delivered) {
                // Nothing due, or backing off: sleep until the earliest record is due.
                std::optional<int64_t> due = store_.outbox().next_due_wall_ms();
                wait_ms = due ? std::max<int64_t>(0, *due - clock_.wall_ms()) : options_.idle_poll_ms;
                wait_ms = std::min(wait_ms, options_.idle_poll_ms);
                store_.checkpoint();  // the worker, not a guest's tap, pays for moving the WAL into the file
            }
        }
        lock.lock();
        if (nudged) {
            ++rounds_completed_;
            round_done_.notify_all();
        }
        if (options_.on_demand_only)
            wake_.wait(lock, [this] { return !running_ || nudged_; });
        else if (wait_ms > 0)
            wake_.wait_for(lock, std::chrono::milliseconds(wait_ms),
                           [this] { return !running_ || nudged_ || record_saved_; });
    }
    round_done_.notify_all();
}

bool SyncEngine::is_running() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return running_;
}

uint64_t SyncEngine::rounds_completed() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return rounds_completed_;
}

bool SyncEngine::wait_for_round(uint64_t after, int64_t timeout_ms) {
    std::unique_lock<std::mutex> lock(mutex_);
    return round_done_.wait_for(lock, std::chrono::milliseconds(timeout_ms),
                                [&] { return rounds_completed_ > after || !running_; }) &&
           rounds_completed_ > after;
}

}  // namespace offline_cache
