#include "offline_cache/sync_engine.h"

#include <curl/curl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <algorithm>

#include "offline_cache/content_cache.h"
#include "offline_cache/outbox.h"
#include "offline_cache/store.h"
#include "platform/log.h"

namespace offline_cache {

using nlohmann::json;

namespace {

std::string hex(const unsigned char* data, size_t n) {
    static const char digits[] = "0123456789abcdef";
    std::string out;
    for (size_t i = 0; i < n; ++i) {
        out += digits[data[i] >> 4];
        out += digits[data[i] & 15];
    }
    return out;
}

struct Reply {
    long status = 0;
    std::string body;
    int64_t retry_after_s = -1;  // -1: none
    CURLcode curl = CURLE_OK;
    std::string error;
    std::string etag;  // the reply's ETag header, if any
    bool too_big = false;
};

// The only function that gives libcurl the process-wide init it needs before
// any thread uses it (curl_global_init is not thread-safe).
void global_init_once() {
    static const bool done = [] {
        curl_global_init(CURL_GLOBAL_DEFAULT);
        return true;
    }();
    (void)done;
}

}  // namespace

std::string kiosk_signature(const std::string& secret, const std::string& method, const std::string& path,
                            int64_t timestamp_s, const std::string& nonce, const std::string& body) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    EVP_Digest(body.data(), body.size(), digest, &n, EVP_sha256(), nullptr);
    std::string message =
        method + "\n" + path + "\n" + std::to_string(timestamp_s) + "\n" + nonce + "\n" + hex(digest, n);
    unsigned char mac[EVP_MAX_MD_SIZE];
    HMAC(EVP_sha256(), secret.data(), int(secret.size()), reinterpret_cast<const unsigned char*>(message.data()),
         message.size(), mac, &n);
    return hex(mac, n);
}

int64_t backoff_delay_ms(int attempt, const SyncOptions& options, double random01) {
    // Full jitter (AWS architecture blog): uniform in [0, min(cap, base·2^n)],
    // so a lobby full of kiosks coming back online does not retry in step.
    double ceiling = std::min(double(options.backoff_max_ms),
                              double(options.backoff_initial_ms) * std::pow(2.0, std::min(attempt, 30)));
    return int64_t(ceiling * std::clamp(random01, 0.0, 1.0));
}

// One libcurl easy handle, reused so the connection stays open between rounds.
struct SyncEngine::Http {
    CURL* curl = nullptr;
    Http() {
        global_init_once();
        curl = curl_easy_init();
    }
    ~Http() { curl_easy_cleanup(curl); }

    Reply post(const SyncOptions& o, const std::string& path, const std::string& body, int64_t now_s) {
        return request(o, "POST", path, body, "", now_s);
    }

    // GET with If-None-Match when an ETag is known; 304 means "what you have is current".
    Reply get(const SyncOptions& o, const std::string& path, const std::string& etag, int64_t now_s) {
        return request(o, "GET", path, "", etag, now_s);
    }

    Reply request(const SyncOptions& o, const std::string& method, const std::string& path, const std::string& body,
                  const std::string& etag, int64_t now_s) {
        Reply reply;
        curl_easy_reset(curl);
        std::string url = o.crm_url + path;
        curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
        if (method == "POST") {
            curl_easy_setopt(curl, CURLOPT_POST, 1L);
            curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
            curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, long(body.size()));
        } else {
            curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
        }
        // libcurl's defaults would wait 300 s to connect and forever for a reply.
        curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, long(o.connect_timeout_ms));
        curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, long(o.total_timeout_ms));
        curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, long(o.low_speed_bytes_per_s));
        curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, long(o.low_speed_seconds));
        curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);  // a redirect could lead past the pin
        // Verification is always on; there is deliberately no option to turn it off.
        curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
        curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
        if (!o.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, o.ca_file.c_str());
        if (!o.pinned_pubkey.empty()) curl_easy_setopt(curl, CURLOPT_PINNEDPUBLICKEY, o.pinned_pubkey.c_str());

        struct curl_slist* headers = nullptr;
        std::string id = "X-Kiosk-Id: " + o.kiosk_id;
        std::string stamp = "X-Kiosk-Timestamp: " + std::to_string(now_s);
        std::string nonce_value = make_idempotency_key();  // any fresh random string will do
        std::string nonce = "X-Kiosk-Nonce: " + nonce_value;
        std::string signature =
            "X-Kiosk-Signature: " + kiosk_signature(o.secret, method, path, now_s, nonce_value, body);
        for (const std::string* h : {&id, &stamp, &nonce, &signature}) headers = curl_slist_append(headers, h->c_str());
        headers = curl_slist_append(headers, "Content-Type: application/json");
        std::string if_none_match = "If-None-Match: " + etag;
        if (!etag.empty()) headers = curl_slist_append(headers, if_none_match.c_str());
        std::string response_etag;
        headers = curl_slist_append(headers, "Expect:");
        curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);

        struct Sink {
            Reply* reply;
            size_t max;
        } sink{&reply, o.max_reply_bytes};
        // MAXFILESIZE does not cap every reply: count bytes here and stop past the limit.
        curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, +[](char* data, size_t size, size_t n, void* user) -> size_t {
            auto* s = static_cast<Sink*>(user);
            if (s->reply->body.size() + size * n > s->max) {
                s->reply->too_big = true;
                return 0;
            }
            s->reply->body.append(data, size * n);
            return size * n;
        });
        curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
        curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, +[](char* data, size_t size, size_t n, void* user) -> size_t {
            std::string line(data, size * n);
            if (line.size() > 5 && (line.rfind("ETag:", 0) == 0 || line.rfind("etag:", 0) == 0)) {
                std::string value = line.substr(5);
                value.erase(0, value.find_first_not_of(" \t"));
                value.erase(value.find_last_not_of(" \t\r\n") + 1);
                static_cast<Reply*>(user)->etag = value;
            }
            return size * n;
        });
        curl_easy_setopt(curl, CURLOPT_HEADERDATA, &reply);
        char error[CURL_ERROR_SIZE] = {};
        curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);

        reply.curl = curl_easy_perform(curl);
        curl_slist_free_all(headers);
        if (reply.curl != CURLE_OK) {
            reply.error = error[0] ? error : curl_easy_strerror(reply.curl);
            if (reply.too_big) reply.error = "the CRM's reply was larger than " + std::to_string(o.max_reply_bytes) + " bytes";
            return reply;
        }
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
        curl_off_t retry_after = -1;
        if (curl_easy_getinfo(curl, CURLINFO_RETRY_AFTER, &retry_after) == CURLE_OK && retry_after >= 0)
            reply.retry_after_s = retry_after;
        else if (retry_after < -1)
            reply.retry_after_s = 0;  // before curl 8.12 a date in the past comes back negative: it means now
        return reply;
    }
};

SyncEngine::SyncEngine(Store& store, platform::Clock& clock, SyncOptions options,
                       std::function<void(const SyncStatus&)> on_status)
    : store_(store), clock_(clock), options_(std::move(options)), on_status_(std::move(on_status)),
      http_(std::make_unique<Http>()) {}

SyncEngine::~SyncEngine() { stop(); }

void SyncEngine::start() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (running_) return;
    running_ = true;
    thread_ = std::thread([this] { worker(); });
}

void SyncEngine::stop() {
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
    Outbox& outbox = store_.outbox();
    std::vector<OutboxRecord> batch = outbox.claim_batch(options_.batch_size);
    if (batch.empty()) return RoundResult::nothing_due;

    json records = json::array();
    std::vector<std::string> keys;
    for (const OutboxRecord& r : batch) {
        records.push_back({{"key", r.key}, {"type", r.type}, {"payload", r.payload}, {"created_at_ms", r.created_wall_ms}});
        keys.push_back(r.key);
    }
    std::string body = json{{"records", records}}.dump();
    Reply reply = http_->post(options_, "/api/v1/outbox/batch", body, clock_.wall_ms() / 1000);

    // Anything but a complete, well-formed answer: every record stays pending.
    auto retry_all = [&](const std::string& why, int64_t retry_after_s) {
        ++consecutive_failures_;
        static thread_local std::mt19937_64 random{std::random_device{}()};
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
        json err = json::parse(reply.body, nullptr, false);
        if (!err.is_discarded() && err.contains("error")) code = err["error"].value("code", "");
        return retry_all("CRM refused the batch: HTTP " + std::to_string(reply.status) + " " + code, -1);
    }
    json doc = json::parse(reply.body, nullptr, false);
    if (doc.is_discarded() || !doc.is_object() || !doc.contains("results") || !doc["results"].is_array())
        return retry_all("CRM reply was not the expected JSON", -1);

    std::vector<std::string> delivered;
    std::set<std::string> answered;
    for (const json& result : doc["results"]) {
        if (!result.is_object() || !result.contains("key") || !result["key"].is_string()) continue;
        std::string key = result["key"];
        if (std::find(keys.begin(), keys.end(), key) == keys.end()) continue;  // not ours: ignore
        std::string status = result.value("status", "");
        if (status == "accepted" || status == "duplicate") {
            delivered.push_back(key);
            answered.insert(key);
        } else if (status == "rejected") {
            outbox.mark_rejected(key, result.value("reason", "rejected"));
            answered.insert(key);
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
        return ContentPull::unchanged;
    }
    if (reply.status != 200) {
        log_warn("content %s: the CRM answered HTTP %ld", name.c_str(), reply.status);
        return ContentPull::failed;
    }
    // Only what parses as JSON is cached: a garbled reply never replaces good content.
    if (json::parse(reply.body, nullptr, false).is_discarded()) {
        log_warn("content %s: the CRM's reply is not JSON; the cached copy stays", name.c_str());
        return ContentPull::failed;
    }
    if (!cache.put({name, reply.body, reply.etag, clock_.wall_ms()})) return ContentPull::failed;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        ++content_version_;
    }
    publish(true, status().last_error);
    return ContentPull::updated;
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
        lock.unlock();
        RoundResult result = run_once();
        if (result == RoundResult::nothing_due && clock_.wall_ms() - last_heartbeat_wall_ms_ >= options_.heartbeat_ms)
            heartbeat();  // also how an idle kiosk learns it is online
        if (result != RoundResult::delivered && clock_.wall_ms() - last_content_pull_wall_ms_ >= options_.content_poll_ms) {
            last_content_pull_wall_ms_ = clock_.wall_ms();
            for (const std::string& name : options_.content_names) pull_content(name);
        }
        int64_t wait_ms = 0;
        if (result != RoundResult::delivered) {
            // Nothing due, or backing off: sleep until the earliest record is due.
            std::optional<int64_t> due = store_.outbox().next_due_wall_ms();
            wait_ms = due ? std::max<int64_t>(0, *due - clock_.wall_ms()) : options_.idle_poll_ms;
            wait_ms = std::min(wait_ms, options_.idle_poll_ms);
            store_.checkpoint();  // the worker, not a guest's tap, pays for moving the WAL into the file
        }
        lock.lock();
        if (wait_ms > 0)
            wake_.wait_for(lock, std::chrono::milliseconds(wait_ms), [this] { return !running_ || nudged_; });
        nudged_ = false;
    }
}

}  // namespace offline_cache
