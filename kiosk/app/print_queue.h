// kiosk/app/print_queue.h — slips go to the receipt printer on a worker, so
// the UI thread never waits on a device.
//
// A screen hands over a Slip and gets the outcome back on the UI thread (as
// CrmLink does with CRM answers). The slip is the screen's to keep: when the
// printer is out of paper or offline the outcome says so, the screen tells the
// guest and offers to try again — the booking, ticket or voucher itself is
// already saved in the outbox and is never lost to a printer. The latest
// printer state is readable from any thread, for the heartbeat and staff.
//
// Index
//   PrintQueue(device_path, clock, post)   device_path: the config's printer_path ("" = no printer)
//   PrintQueue::start() / stop()          run / end the worker (stop finishes the slip being printed)
//   PrintQueue::configured()              a printer is configured: screens offer "Print"
//   PrintQueue::print(slip, lang, done)   UI thread: print in the guest's language; done(outcome) later on the UI thread
//   PrintQueue::refresh_status()          UI thread: ask the printer how it is (staff screen, before offering)
//   PrintQueue::state()                   any thread: the latest PrinterStatus
//   PrintQueue::busy()                    UI thread: a slip is being printed (the button shows "printing…")
//   PrintQueue::wait_idle(ms)             block up to ms of real time for the queue to empty (test scripts only)
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "platform/clock.h"
#include "platform/receipt_printer.h"

namespace kiosk {

class PrintQueue {
public:
    using Post = std::function<void(std::function<void()>)>;
    using Done = std::function<void(const platform::PrintOutcome&)>;

    PrintQueue(std::string device_path, platform::Clock& clock, Post post);
    ~PrintQueue();
    PrintQueue(const PrintQueue&) = delete;
    PrintQueue& operator=(const PrintQueue&) = delete;

    void start();
    void stop();
    bool configured() const { return !device_path_.empty(); }
    void print(platform::Slip slip, const std::string& lang_code, Done done);
    void refresh_status();
    platform::PrinterStatus state() const;
    bool busy() const { return open_ > 0; }
    bool wait_idle(int64_t timeout_ms);

private:
    struct Job {
        bool status_only = false;
        platform::Slip slip;
        std::string lang;
        Done done;
    };
    void worker();

    std::string device_path_;
    platform::ReceiptPrinter printer_;
    Post post_;
    mutable std::mutex mutex_;
    std::condition_variable wake_, idle_;
    std::deque<Job> jobs_;
    bool running_ = false;
    bool working_ = false;
    platform::PrinterStatus state_;
    int open_ = 0;  // print jobs handed over and not yet answered (UI thread only)
    std::thread thread_;
};

}  // namespace kiosk
