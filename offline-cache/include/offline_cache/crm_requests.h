// offline_cache/crm_requests.h — the questions a guest waits for at the glass.
//
// Sign-in, a complaint's status, free slots, a redemption answered now: these
// cannot wait in the outbox, yet the UI thread must never wait on the network.
// So they go to their own worker thread with its own libcurl handle (the sync
// worker's batches never hold them up), signed exactly like the sync engine's
// requests (docs/crm-api.md), with short timeouts: a guest gives up in seconds.
// Answers come back through the `done` callback, called on the worker thread;
// the kiosk posts them to its main-thread queue.
//
// Index
//   CrmAnswer                        HTTP status (0: the CRM was not reached), body and Retry-After, or why not
//   CrmRequests(clock, options)      options: the CRM URL, kiosk id, secret and TLS settings of SyncOptions
//   CrmRequests::start() / stop()    run / end the worker (stop waits for the request in flight, bounded by its timeout)
//   CrmRequests::ask(method, path, body, done, member_session)   any thread: queue a question; returns its id
//                                    (member_session: sent as X-Member-Session when not empty)
//   CrmRequests::cancel_all()        any thread: forget every queued question, and never call `done` for the one in flight
//   CrmRequests::outstanding()       questions queued or in flight (the staff screen; scripts wait for zero)
//   CrmRequests::wait_idle(ms)       block up to ms of real time until nothing is outstanding (test scripts only)
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "offline_cache/sync_engine.h"
#include "platform/clock.h"

namespace offline_cache {

struct CrmAnswer {
    long status = 0;      // 0: no HTTP answer (connection refused, timeout, TLS refused, reply too large)
    std::string body;
    std::string error;    // why there was no answer, for the log (never shown to guests as is)
    int64_t retry_after_s = -1;  // the Retry-After header in seconds (429: "please wait N seconds"); -1: none
    bool reached() const { return status != 0; }
};

// A guest waits for these: fail fast and let the screen say "try again / offline".
inline constexpr int kInteractiveConnectTimeoutMs = 2'000;
inline constexpr int kInteractiveTotalTimeoutMs = 6'000;

class CrmRequests {
public:
    using Done = std::function<void(const CrmAnswer&)>;

    CrmRequests(platform::Clock& clock, SyncOptions options);
    ~CrmRequests();
    CrmRequests(const CrmRequests&) = delete;
    CrmRequests& operator=(const CrmRequests&) = delete;

    void start();
    void stop();
    uint64_t ask(std::string method, std::string path, std::string body, Done done, std::string member_session = {});
    void cancel_all();
    int outstanding() const;
    bool wait_idle(int64_t timeout_ms);

private:
    struct Question {
        uint64_t id;
        std::string method, path, body, member_session;
        Done done;
    };
    void worker();

    platform::Clock& clock_;
    SyncOptions options_;
    std::unique_ptr<struct CrmHttp> http_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::condition_variable idle_;
    std::deque<Question> queue_;
    bool running_ = false;
    bool in_flight_ = false;
    bool in_flight_cancelled_ = false;
    uint64_t next_id_ = 1;
    std::thread thread_;
};

}  // namespace offline_cache
