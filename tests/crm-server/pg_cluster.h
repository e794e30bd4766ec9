// tests/crm-server/pg_cluster.h — a throw-away PostgreSQL 15 cluster for the
// CRM's tests: Debian's postgresql-15 binaries, initdb into a temp dir,
// listening on 127.0.0.1 on a free port, stopped and removed at exit.
//
// PostgreSQL refuses to run as root, and CI runs as root: then the cluster's
// directory belongs to the `postgres` system user (made by the package) and
// every server command runs through runuser. As any other user it runs as
// that user. Starting takes seconds on two cores, so a test binary starts one
// cluster (shared()) and each test case takes a fresh database in it.
//
// Index
//   PgCluster::shared()          the binary's cluster, started on first use; check ok() / error()
//   PgCluster::fresh_database()  a new empty database's connection URI (postgresql://postgres@127.0.0.1:PORT/crm_N)
//   PgCluster::uri(db)           the URI of a database by name
//   PgCluster::port()            where it listens
#pragma once

#include <string>

class PgCluster {
public:
    static PgCluster& shared();
    bool ok() const { return error_.empty(); }
    const std::string& error() const { return error_; }
    std::string fresh_database();
    std::string uri(const std::string& database) const;
    int port() const { return port_; }
    ~PgCluster();

private:
    PgCluster();
    bool run(const std::string& command);  // as the cluster's owner; output to the cluster's log
    std::string dir_, bin_, as_owner_;
    int port_ = 0;
    int databases_ = 0;
    bool started_ = false;
    std::string error_;
};
