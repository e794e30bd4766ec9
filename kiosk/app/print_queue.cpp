#include "app/print_queue.h"

#include <chrono>

#include "platform/log.h"

namespace kiosk {

PrintQueue::PrintQueue(std::string device_path, platform::Clock& clock, Post post)
    : device_path_(std::move(device_path)), printer_(device_path_, clock), post_(std::move(post)) {
    state_.state = platform::PrinterState::not_configured;
}

PrintQueue::~PrintQueue() { stop(); }

void PrintQueue::start() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (running_ || device_path_.empty()) return;
    running_ = true;
    jobs_.push_back(Job{true, {}, {}, nullptr});  // learn the printer's state at boot, for the first heartbeat
    thread_ = std::thread([this] { worker(); });
}

void PrintQueue::stop() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        running_ = false;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
    idle_.notify_all();
}

void PrintQueue::print(platform::Slip slip, const std::string& lang_code, Done done) {
    if (device_path_.empty()) {
        platform::PrintOutcome outcome;
        outcome.status.state = platform::PrinterState::not_configured;
        outcome.status.detail = "no printer configured";
        if (done) done(outcome);
        return;
    }
    ++open_;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        jobs_.push_back(Job{false, std::move(slip), lang_code, std::move(done)});
    }
    wake_.notify_all();
}

void PrintQueue::refresh_status() {
    if (device_path_.empty()) return;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        jobs_.push_back(Job{true, {}, {}, nullptr});
    }
    wake_.notify_all();
}

platform::PrinterStatus PrintQueue::state() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return state_;
}

bool PrintQueue::wait_idle(int64_t timeout_ms) {
    std::unique_lock<std::mutex> lock(mutex_);
    return idle_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [this] { return jobs_.empty() && !working_; });
}

void PrintQueue::worker() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (true) {
        wake_.wait(lock, [this] { return !running_ || !jobs_.empty(); });
        if (jobs_.empty()) break;  // stopping, and nothing left: a slip handed over is still printed
        Job job = std::move(jobs_.front());
        jobs_.pop_front();
        working_ = true;
        lock.unlock();

        platform::PrintOutcome outcome;
        if (job.status_only) {
            outcome.status = printer_.query_status();
        } else {
            platform::EscPosOptions options;
            options.charset = platform::charset_for_language(job.lang);
            outcome = printer_.print(job.slip, options);
            if (!outcome.printed)
                log_warn("printer %s: slip not printed (%s)%s", platform::printer_state_name(outcome.status.state),
                         outcome.status.detail.c_str(), outcome.slip_error.empty() ? "" : outcome.slip_error.c_str());
        }

        lock.lock();
        if (outcome.slip_error.empty()) state_ = outcome.status;
        working_ = false;
        if (jobs_.empty()) idle_.notify_all();
        if (job.done) {
            // The answer goes to the UI thread; open_ is the UI thread's to count down.
            post_([this, done = std::move(job.done), outcome] {
                --open_;
                done(outcome);
            });
        }
        if (!running_ && jobs_.empty()) break;
    }
}

}  // namespace kiosk
