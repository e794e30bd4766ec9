#include "platform/control_signals.h"

#include <poll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cstdint>

namespace platform {

namespace {
sigset_t set_of(std::initializer_list<int> signals) {
    sigset_t set;
    sigemptyset(&set);
    for (int s : signals) sigaddset(&set, s);
    return set;
}
}  // namespace

void ControlSignals::block_in_this_thread(std::initializer_list<int> signals) {
    sigset_t set = set_of(signals);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

ControlSignals::ControlSignals(std::initializer_list<int> signals, std::function<void(int)> on_signal)
    : on_signal_(std::move(on_signal)) {
    sigset_t set = set_of(signals);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);  // in case main() did not (then only this thread's later children)
    signal_fd_ = signalfd(-1, &set, SFD_CLOEXEC);
    stop_fd_ = eventfd(0, EFD_CLOEXEC);
    if (signal_fd_ < 0 || stop_fd_ < 0) return;
    thread_ = std::thread([this] {
        for (;;) {
            pollfd fds[2] = {{signal_fd_, POLLIN, 0}, {stop_fd_, POLLIN, 0}};
            if (poll(fds, 2, -1) < 0) continue;  // EINTR
            if (fds[1].revents) return;
            signalfd_siginfo info{};
            if (fds[0].revents && read(signal_fd_, &info, sizeof info) == ssize_t(sizeof info))
                on_signal_(int(info.ssi_signo));
        }
    });
}

ControlSignals::~ControlSignals() {
    if (thread_.joinable()) {
        uint64_t one = 1;
        (void)!write(stop_fd_, &one, sizeof one);
        thread_.join();
    }
    if (signal_fd_ >= 0) close(signal_fd_);
    if (stop_fd_ >= 0) close(stop_fd_);
}

}  // namespace platform
