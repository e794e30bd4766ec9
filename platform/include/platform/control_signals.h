// platform/control_signals.h — the signals an operator or a package sends the
// kiosk (SIGHUP: reload the configuration, SIGUSR1: restart when idle,
// SIGUSR2: test-only hang), delivered as ordinary callbacks on a thread of
// their own instead of in a signal handler, where almost nothing is safe.
//
// Index
//   ControlSignals::block_in_this_thread(signals)   call first in main(), before any thread starts:
//                                                    every later thread inherits the mask, so only the
//                                                    inbox's signalfd ever sees them
//   ControlSignals(signals, on_signal)               a thread reads a signalfd and calls on_signal(signo)
//   ~ControlSignals()                                stops and joins that thread (an eventfd wakes it)
//
// Invariant: on_signal runs on the inbox's thread; it must only hand the
// signal on (e.g. MainThreadQueue::post), never touch the UI.
#pragma once

#include <functional>
#include <initializer_list>
#include <thread>

namespace platform {

class ControlSignals {
public:
    static void block_in_this_thread(std::initializer_list<int> signals);
    ControlSignals(std::initializer_list<int> signals, std::function<void(int)> on_signal);
    ~ControlSignals();
    ControlSignals(const ControlSignals&) = delete;
    ControlSignals& operator=(const ControlSignals&) = delete;

private:
    int signal_fd_ = -1;
    int stop_fd_ = -1;
    std::function<void(int)> on_signal_;
    std::thread thread_;
};

}  // namespace platform
