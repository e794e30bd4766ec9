// tests/support/notify_socket.h — the test's own end of systemd's notify
// protocol: an AF_UNIX datagram socket whose path goes in NOTIFY_SOCKET, so a
// child's sd_notify() messages (READY=1, WATCHDOG=1, STATUS=…) arrive here.
//
// Index
//   NotifySocket()                      binds a fresh socket in the temp directory
//   NotifySocket::path()                what NOTIFY_SOCKET must say
//   NotifySocket::wait_for(text, ms)    reads messages until one holds text, or ms pass (bounded, no sleeping)
//   NotifySocket::collect(ms)           every message that arrives within ms, with its arrival time
//   NotifySocket::received()            everything read so far, in order
#pragma once

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

struct NotifyMessage {
    std::string text;
    std::chrono::steady_clock::time_point at;
};

class NotifySocket {
public:
    NotifySocket() {
        static int counter = 0;
        path_ = (std::filesystem::temp_directory_path() /
                 ("notify-" + std::to_string(getpid()) + "-" + std::to_string(counter++) + ".sock"))
                    .string();
        std::filesystem::remove(path_);
        fd_ = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        std::strncpy(addr.sun_path, path_.c_str(), sizeof addr.sun_path - 1);
        bound_ = fd_ >= 0 && bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    }
    ~NotifySocket() {
        if (fd_ >= 0) close(fd_);
        std::filesystem::remove(path_);
    }
    NotifySocket(const NotifySocket&) = delete;
    NotifySocket& operator=(const NotifySocket&) = delete;

    bool bound() const { return bound_; }
    const std::string& path() const { return path_; }
    const std::vector<NotifyMessage>& received() const { return received_; }

    bool wait_for(const std::string& text, int timeout_ms) {
        auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
        for (;;) {
            NotifyMessage m;
            if (!read_one(deadline, &m)) return false;
            if (m.text.find(text) != std::string::npos) return true;
        }
    }

    std::vector<NotifyMessage> collect(int ms) {
        auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
        std::vector<NotifyMessage> out;
        NotifyMessage m;
        while (read_one(deadline, &m)) out.push_back(m);
        return out;
    }

private:
    bool read_one(std::chrono::steady_clock::time_point deadline, NotifyMessage* m) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return false;
        pollfd p{fd_, POLLIN, 0};
        if (poll(&p, 1, int(left.count())) <= 0) return false;
        char buf[4096];
        ssize_t n = recv(fd_, buf, sizeof buf, 0);
        if (n <= 0) return false;
        m->text.assign(buf, size_t(n));
        m->at = std::chrono::steady_clock::now();
        received_.push_back(*m);
        return true;
    }

    std::string path_;
    int fd_ = -1;
    bool bound_ = false;
    std::vector<NotifyMessage> received_;
};
