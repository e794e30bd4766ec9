// tests/crm-server/pg_cluster.cpp — see pg_cluster.h.
#include "pg_cluster.h"

#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <mutex>

#include "pg/pg_connection.h"

namespace {

int free_loopback_port() {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t length = sizeof address;
    int port = 0;
    if (fd >= 0 && bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
        getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0)
        port = ntohs(address.sin_port);
    if (fd >= 0) close(fd);
    return port;
}

}  // namespace

PgCluster& PgCluster::shared() {
    static PgCluster cluster;  // stopped by its destructor at exit
    return cluster;
}

PgCluster::PgCluster() {
    bin_ = "/usr/lib/postgresql/15/bin";
    if (!std::filesystem::exists(bin_ + "/initdb")) {
        error_ = "PostgreSQL 15 is not installed (" + bin_ + "/initdb missing): make installs postgresql-15";
        return;
    }
    dir_ = (std::filesystem::temp_directory_path() / ("crm-pg-" + std::to_string(getpid()))).string();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    if (geteuid() == 0) {
        passwd* owner = getpwnam("postgres");
        if (!owner) {
            error_ = "running as root and there is no 'postgres' user to run the cluster as";
            return;
        }
        if (chown(dir_.c_str(), owner->pw_uid, owner->pw_gid) != 0) {
            error_ = "cannot give " + dir_ + " to the postgres user";
            return;
        }
        as_owner_ = "runuser -u postgres -- ";
    }
    std::filesystem::permissions(dir_, std::filesystem::perms::owner_all);
    // --no-sync and fsync=off: a test cluster never survives a crash, and it starts in seconds.
    if (!run(bin_ + "/initdb -D " + dir_ + "/data -A trust -U postgres -E UTF8 --locale=C --no-sync")) {
        error_ = "initdb failed; see " + dir_ + "/log";
        return;
    }
    for (int attempt = 0; attempt < 3 && !started_; ++attempt) {  // a port taken between probe and bind: try another
        port_ = free_loopback_port();
        started_ = run(bin_ + "/pg_ctl -D " + dir_ + "/data -w -t 60 -l " + dir_ + "/server.log -o \"-p " +
                       std::to_string(port_) + " -k " + dir_ + " -c listen_addresses=127.0.0.1 -c fsync=off" +
                       " -c synchronous_commit=off -c full_page_writes=off -c max_connections=200\" start");
    }
    if (!started_) error_ = "pg_ctl start failed; see " + dir_ + "/server.log";
}

PgCluster::~PgCluster() {
    if (started_) run(bin_ + "/pg_ctl -D " + dir_ + "/data -m immediate -w stop");
    if (!dir_.empty()) {
        std::error_code ignored;
        std::filesystem::remove_all(dir_, ignored);
    }
}

bool PgCluster::run(const std::string& command) {
    std::string line = as_owner_ + command + " >>" + dir_ + "/log 2>&1";
    return std::system(line.c_str()) == 0;
}

std::string PgCluster::uri(const std::string& database) const {
    return "postgresql://postgres@127.0.0.1:" + std::to_string(port_) + "/" + database + "?connect_timeout=5";
}

std::string PgCluster::fresh_database() {
    static std::mutex mutex;
    std::lock_guard<std::mutex> lock(mutex);
    std::string name = "crm_" + std::to_string(++databases_);
    std::string error;
    auto admin = crm::pg::PgConnection::connect(uri("postgres"), &error);
    if (!admin) return "";
    // The name is made here from a counter, never from input: fixed text is safe.
    admin->exec_plain("CREATE DATABASE " + name);
    return uri(name);
}
