// The CRM's libpq wrapper against a real PostgreSQL 15 started by the test
// (pg_cluster.h): values never become SQL, the schema's rules come back as
// SQLSTATEs the store can name, and colliding transactions are retried until
// each has landed exactly once.
#include <barrier>
#include <catch2/catch.hpp>
#include <thread>

#include "pg/pg_connection.h"
#include "pg_cluster.h"

using crm::pg::Isolation;
using crm::pg::PgConnection;
using crm::pg::PgError;

namespace {

std::unique_ptr<PgConnection> fresh_connection(std::string* uri_out = nullptr) {
    PgCluster& cluster = PgCluster::shared();
    INFO(cluster.error());
    REQUIRE(cluster.ok());
    std::string uri = cluster.fresh_database();
    REQUIRE_FALSE(uri.empty());
    if (uri_out) *uri_out = uri;
    std::string error;
    auto connection = PgConnection::connect(uri, &error);
    INFO(error);
    REQUIRE(connection);
    return connection;
}

}  // namespace

TEST_CASE("A value bound to a prepared statement is data, never SQL", "[postgres]") {
    auto db = fresh_connection();
    db->exec_plain("CREATE TABLE notes (id BIGSERIAL PRIMARY KEY, body TEXT NOT NULL)");
    db->prepare("add", "INSERT INTO notes (body) VALUES ($1) RETURNING id");
    db->prepare("get", "SELECT body FROM notes WHERE id = $1");
    const std::string hostile = "x'); DROP TABLE notes; --";
    auto added = db->exec("add", {hostile});
    REQUIRE(added.rows() == 1);
    auto read = db->exec("get", {added.text(0, 0)});
    REQUIRE(read.rows() == 1);
    CHECK(read.text(0, 0) == hostile);
}

TEST_CASE("The schema's rules come back as SQLSTATEs: CHECK is 23514, UNIQUE is 23505", "[postgres]") {
    auto db = fresh_connection();
    db->exec_plain("CREATE TABLE members (card TEXT PRIMARY KEY, balance BIGINT NOT NULL CHECK (balance >= 0))");
    db->prepare("add", "INSERT INTO members (card, balance) VALUES ($1, $2)");
    db->prepare("spend", "UPDATE members SET balance = balance - $2 WHERE card = $1");
    db->exec("add", {"6200000000000001", "100"});
    try {
        db->exec("spend", {"6200000000000001", "101"});
        FAIL("a balance below zero was stored");
    } catch (const PgError& e) {
        CHECK(crm::pg::is_check_violation(e));
    }
    try {
        db->exec("add", {"6200000000000001", "5"});
        FAIL("a second member with one card was stored");
    } catch (const PgError& e) {
        CHECK(crm::pg::is_unique_violation(e));
    }
    db->prepare("add_once", "INSERT INTO members (card, balance) VALUES ($1, $2) ON CONFLICT DO NOTHING");
    CHECK(db->exec("add_once", {"6200000000000001", "5"}).affected() == 0);  // an idempotent retry changes nothing
    CHECK(db->exec("add_once", {"6200000000000002", "5"}).affected() == 1);
}

TEST_CASE("A NULL parameter is SQL NULL and an integer column reads back exactly", "[postgres]") {
    auto db = fresh_connection();
    db->exec_plain("CREATE TABLE t (n BIGINT, s TEXT)");
    db->prepare("add", "INSERT INTO t (n, s) VALUES ($1, $2)");
    db->prepare("all", "SELECT n, s FROM t");
    db->exec("add", {"9223372036854775807", std::nullopt});
    auto rows = db->exec("all");
    REQUIRE(rows.rows() == 1);
    CHECK(rows.integer(0, 0) == INT64_MAX);
    CHECK(rows.is_null(0, 1));
}

TEST_CASE("Two serializable transactions that collide: the loser runs again and both land once", "[postgres]") {
    std::string uri;
    auto setup = fresh_connection(&uri);
    setup->exec_plain("CREATE TABLE balances (card TEXT PRIMARY KEY, points BIGINT NOT NULL CHECK (points >= 0))");
    setup->exec_plain("INSERT INTO balances VALUES ('c1', 1000)");

    // Both read before either writes; the one that writes second must be told to try again
    // (40001) and, run again, see the other's write: the balance ends exactly 200 lower.
    std::barrier both_have_read(2);
    int attempts[2] = {0, 0};
    auto spend_100 = [&](int who) {
        std::string error;
        auto db = PgConnection::connect(uri, &error);
        REQUIRE(db);
        db->prepare("read", "SELECT points FROM balances WHERE card = $1");
        db->prepare("write", "UPDATE balances SET points = $2 WHERE card = $1");
        bool first_run = true;
        db->in_transaction(Isolation::serializable, [&] {
            int64_t points = db->exec("read", {"c1"}).integer(0, 0);
            if (first_run) {
                first_run = false;
                both_have_read.arrive_and_wait();
            }
            db->exec("write", {"c1", std::to_string(points - 100)});
        });
        attempts[who] = db->attempts();
    };
    std::thread a(spend_100, 0), b(spend_100, 1);
    a.join();
    b.join();

    setup->prepare("read", "SELECT points FROM balances WHERE card = $1");
    CHECK(setup->exec("read", {"c1"}).integer(0, 0) == 800);
    CHECK(attempts[0] + attempts[1] == 3);  // exactly one of them ran twice
}

TEST_CASE("A failure that is not a serialization conflict is not retried", "[postgres]") {
    auto db = fresh_connection();
    db->exec_plain("CREATE TABLE t (n BIGINT CHECK (n > 0))");
    db->prepare("add", "INSERT INTO t VALUES ($1)");
    int runs = 0;
    CHECK_THROWS_AS(db->in_transaction(Isolation::serializable,
                                       [&] {
                                           ++runs;
                                           db->exec("add", {"-1"});
                                       }),
                    PgError);
    CHECK(runs == 1);
    db->prepare("count", "SELECT count(*) FROM t");
    CHECK(db->exec("count").integer(0, 0) == 0);  // rolled back, and the connection still works
}

TEST_CASE("An unreachable database is a clear error, not a hang", "[postgres]") {
    std::string error;
    auto db = PgConnection::connect("postgresql://postgres@127.0.0.1:1/none?connect_timeout=2", &error);
    CHECK_FALSE(db);
    CHECK_FALSE(error.empty());
}
