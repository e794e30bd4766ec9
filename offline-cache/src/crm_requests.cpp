#include "offline_cache/crm_requests.h"

#include <chrono>

#include "crm_http.h"
#include "platform/log.h"

namespace offline_cache {

CrmRequests::CrmRequests(platform::Clock& clock, SyncOptions options)
    : clock_(clock), options_(std::move(options)), http_(std::make_unique<CrmHttp>()) {
    options_.connect_timeout_ms = std::min(options_.connect_timeout_ms, kInteractiveConnectTimeoutMs);
    options_.total_timeout_ms = std::min(options_.total_timeout_ms, kInteractiveTotalTimeoutMs);
}

CrmRequests::~CrmRequests() { stop(); }

void CrmRequests::start() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (running_) return;
    running_ = true;
    thread_ = std::thread([this] { worker(); });
}

void CrmRequests::stop() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        running_ = false;
        queue_.clear();
        in_flight_cancelled_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
    idle_.notify_all();
}

uint64_t CrmRequests::ask(std::string method, std::string path, std::string body, Done done, std::string member_session) {
    uint64_t id;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        id = next_id_++;
        queue_.push_back(Question{id, std::move(method), std::move(path), std::move(body), std::move(member_session),
                                  std::move(done)});
    }
    wake_.notify_all();
    return id;
}

void CrmRequests::cancel_all() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        queue_.clear();
        if (in_flight_) in_flight_cancelled_ = true;
    }
    idle_.notify_all();
}

int CrmRequests::outstanding() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return int(queue_.size()) + (in_flight_ ? 1 : 0);
}

bool CrmRequests::wait_idle(int64_t timeout_ms) {
    std::unique_lock<std::mutex> lock(mutex_);
    return idle_.wait_for(lock, std::chrono::milliseconds(timeout_ms),
                          [this] { return queue_.empty() && !in_flight_; });
}

void CrmRequests::worker() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (running_) {
        wake_.wait(lock, [this] { return !running_ || !queue_.empty(); });
        if (!running_) break;
        Question q = std::move(queue_.front());
        queue_.pop_front();
        in_flight_ = true;
        in_flight_cancelled_ = false;
        lock.unlock();

        Reply reply = http_->request(options_, q.method, q.path, q.body, "", clock_.wall_ms() / 1000, q.member_session);
        CrmAnswer answer;
        if (reply.curl == CURLE_OK) {
            answer.status = reply.status;
            answer.body = std::move(reply.body);
            answer.retry_after_s = reply.retry_after_s;
        } else {
            answer.error = reply.error;
            // The path may hold a ticket number; the log gets the method and the first segment only.
            log_warn("CRM %s %s: %s", q.method.c_str(), q.path.substr(0, q.path.find('/', 8)).c_str(),
                     answer.error.c_str());
        }

        lock.lock();
        bool deliver = !in_flight_cancelled_ && running_;
        lock.unlock();
        // Called without the lock: `done` may ask() again.
        if (deliver && q.done) q.done(answer);
        lock.lock();
        in_flight_ = false;
        if (queue_.empty()) idle_.notify_all();
    }
    in_flight_ = false;
}

}  // namespace offline_cache
