// offline_cache/sync_engine.h — the worker that carries the outbox to the CRM.
//
// A background thread with one libcurl handle (one connection, reused). It
// sends due records in batches, oldest first, signed as docs/crm-api.md says,
// and acts on the CRM's answer per record: accepted or duplicate → delivered;
// rejected → kept for staff with the reason, never blocking the records behind
// it — only for the contract's final reasons (crm_contract::is_final_rejection);
// an unknown reason keeps the record and retries it with backoff. Anonymous
// records (feedback, follow-ups, survey answers) go in batches of their own,
// never beside records that name a person; a batch is cut to the contract's
// byte limit. Replies are parsed within the contract's bounds.
// A transport error, timeout, 5xx, 429 or a garbled reply leaves every
// record of the batch pending, with exponential backoff and full jitter
// (Retry-After wins when the CRM sends it). TLS verification is always on.
//
// Workers never touch the UI: on_status is called on the worker thread; the
// kiosk posts it to its main-thread queue.
//
// Index
//   SyncOptions                    CRM URL, kiosk id and secret, TLS (CA file, pinned key), timeouts, batch, backoff
//   SyncStatus                     online?, last success, last error (the screen asks the outbox for its depth)
//   SyncEngine(store, clock, opts, on_status)
//   SyncEngine::start() / stop()   run / end the worker thread (stop waits for the current request, bounded by its timeout)
//   SyncEngine::sync_now()         any thread: send everything pending now (backoff or not), pull content, heartbeat
//   SyncEngine::rounds_completed() how many sync_now() rounds the worker has finished (any thread)
//   SyncEngine::wait_for_round(n, ms)  block up to ms of real time until more than n rounds are done (test scripts only)
//   SyncEngine::run_once()         one round on the calling thread (tests, and the worker's own step)
//   SyncEngine::heartbeat()        tell the CRM version, queue depth, oldest pending, last success and error
//   SyncEngine::pull_content(name) fetch one content entry into the cache (If-None-Match: unchanged costs a 304)
//   SyncEngine::pull_promotion_images()  after a promotions pull: fetch the current offers' images into
//                                  "image/<id>", drop withdrawn ones, evict to the cap (also run by pull_content)
//   SyncEngine::content_version()  goes up each time pulled content changed (the UI reloads when it sees it move)
//   SyncEngine::status()           the latest status (any thread)
//   backoff_delay_ms(attempt, opts, random01)   the full-jitter backoff for the n-th failed attempt
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <string_view>
#include <vector>

#include "platform/clock.h"
#include "offline_cache/outbox.h"

namespace offline_cache {

class Store;
struct CrmHttp;  // internal (src/crm_http.h)

struct SyncOptions {
    std::string crm_url = "http://127.0.0.1:8787";
    std::string kiosk_id = "lobby-1";
    std::string secret;
    std::string ca_file;         // "" = the system's CA bundle
    std::string pinned_pubkey;   // "" = no pin; else sha256//<base64>, checked before any data moves
    int connect_timeout_ms = 3'000;
    int total_timeout_ms = 10'000;
    int low_speed_bytes_per_s = 100;  // slower than this for low_speed_seconds: abort
    int low_speed_seconds = 5;
    size_t batch_size = 100;
    int64_t backoff_initial_ms = 1'000;
    int64_t backoff_max_ms = 120'000;
    int64_t idle_poll_ms = 30'000;    // with nothing due, look again this often
    int64_t heartbeat_ms = 60'000;    // tell the CRM how this kiosk is, at least this often
    std::string version = "0.0.0";    // reported in the heartbeat
    // Pulled into the content cache, for the screens to use offline.
    std::vector<std::string> content_names = {"flows", "promotions", "rewards", "surveys", "departments",
                                             "translations", "feedback_topics"};
    int64_t content_poll_ms = 5 * 60'000;
    // Promotion images ("image/<id>" in the content cache): one larger than
    // max_image_bytes, or not PNG/JPEG, is refused and not asked for again until
    // the promotions change; all of them together stay under image_cache_cap_bytes.
    size_t max_image_bytes = 2 << 20;
    int64_t image_cache_cap_bytes = 32 << 20;
    size_t max_reply_bytes = 1 << 20;
    // Only sync_now() starts a round: no timed rounds, heartbeats or pulls.
    // For test scripts, which must know when records leave.
    bool on_demand_only = false;
    // What the kiosk's devices say, for the heartbeat ("printer": "paper_out: …").
    // Called on the worker thread: it must be thread-safe. Empty function: no such field.
    std::function<std::string()> printer_state;
};

struct SyncStatus {
    bool online = false;             // the last request reached the CRM and was answered sensibly
    int64_t last_success_wall_ms = 0;
    std::string last_error;          // empty after a success
};

enum class RoundResult { nothing_due, delivered, failed };

// What one pass over the promotions' images did (tests and the log).
struct ImagePullReport {
    int fetched = 0;    // new or changed bytes stored
    int unchanged = 0;  // the CRM said 304
    int refused = 0;    // too large, not PNG/JPEG, or the CRM has no such image (skipped until promotions change)
    int failed = 0;     // network or server trouble: tried again next round
    int removed = 0;    // cached images no current promotion uses
    int evicted = 0;    // dropped to stay under the cap
};
enum class ContentPull { updated, unchanged, failed };

class SyncEngine {
public:
    SyncEngine(Store& store, platform::Clock& clock, SyncOptions options,
               std::function<void(const SyncStatus&)> on_status = nullptr);
    ~SyncEngine();
    SyncEngine(const SyncEngine&) = delete;
    SyncEngine& operator=(const SyncEngine&) = delete;

    void start();
    void stop();
    void sync_now();
    RoundResult run_once();
    bool heartbeat();
    ContentPull pull_content(const std::string& name);
    ImagePullReport pull_promotion_images();
    uint64_t content_version() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return content_version_;
    }
    SyncStatus status() const;
    uint64_t rounds_completed() const;
    bool wait_for_round(uint64_t after, int64_t timeout_ms);

private:
    // One POST of records that are all anonymous or all named (run_once splits them).
    RoundResult send_batch(const std::vector<OutboxRecord>& records);
    void worker();
    bool is_running() const;
    void publish(bool online, const std::string& error);

    Store& store_;
    platform::Clock& clock_;
    SyncOptions options_;
    std::function<void(const SyncStatus&)> on_status_;
    std::unique_ptr<CrmHttp> http_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::condition_variable round_done_;
    uint64_t rounds_completed_ = 0;
    bool running_ = false;
    bool nudged_ = false;
    SyncStatus status_;
    std::thread thread_;
    int consecutive_failures_ = 0;
    int64_t last_heartbeat_wall_ms_ = 0;
    int64_t last_content_pull_wall_ms_ = 0;
    uint64_t content_version_ = 0;
    // Images refused (too big, wrong type, missing) for the promotions body with
    // this ETag: not downloaded again each round. Worker thread only.
    std::string refused_for_promotions_etag_;
    std::vector<std::string> refused_images_;
};

int64_t backoff_delay_ms(int attempt, const SyncOptions& options, double random01);

// The image ids the promotions body names for offers not yet over at now_wall_ms
// (ids of 1–64 [A-Za-z0-9_-] only; anything else is ignored). Empty if the body does not parse.
std::vector<std::string> promotion_image_ids(std::string_view promotions_body, int64_t now_wall_ms);

// PNG or JPEG by their first bytes: the only picture types a kiosk shows.
bool looks_like_png_or_jpeg(std::string_view bytes);

}  // namespace offline_cache
