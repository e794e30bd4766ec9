// crm-server/pg/pg_connection.h — a thin RAII wrapper over libpq for the CRM's
// PostgreSQL backend (docs/fleet.md). libpq directly, not libpqxx: Debian 12
// ships libpqxx 6.4, and the CRM needs only a few things from PostgreSQL.
//
// Invariants:
//   - Prepared statements only: every value travels as a separate parameter
//     (PQexecPrepared), never spliced into SQL text. exec_plain() is the one
//     exception, for fixed text with no values (BEGIN, migrations).
//   - One PgConnection is used by one thread at a time (libpq's rule).
//   - in_transaction() is the only way to run a transaction: it begins at the
//     isolation asked, commits, and runs the body again from the start when
//     PostgreSQL reports a serialization failure (40001) or a deadlock
//     (40P01), at most kMaxTransactionAttempts times. The body must therefore
//     have no effect outside the database before it returns.
//   - A password never comes from a command line: libpq reads it from
//     PGPASSFILE / ~/.pgpass, or from the URI's passfile= parameter.
//
// Index
//   PgError                          what failed: SQLSTATE ("40001", "23505", …) and PostgreSQL's message
//   PgResult                         a result set: rows(), text(row, col), integer(row, col), is_null(row, col)
//   PgConnection::connect(uri, &err) a libpq connection URI (postgresql://user@host:port/db); nullptr + reason
//   PgConnection::prepare(name, sql) once per connection; $1, $2 … placeholders
//   PgConnection::exec(name, params) run a prepared statement; throws PgError on failure
//   PgConnection::exec_plain(sql)    fixed SQL text with no values (BEGIN, COMMIT, migrations)
//   PgConnection::in_transaction(isolation, body)  run body in one transaction, retried on 40001/40P01
//   is_unique_violation(e) / is_check_violation(e) the SQLSTATEs the store turns into refusals
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace crm::pg {

constexpr int kMaxTransactionAttempts = 8;

struct PgError : std::runtime_error {
    PgError(std::string sqlstate, const std::string& message)
        : std::runtime_error(message), sqlstate(std::move(sqlstate)) {}
    std::string sqlstate;  // five characters; "" when the connection itself failed
};

inline bool is_unique_violation(const PgError& e) { return e.sqlstate == "23505"; }
inline bool is_check_violation(const PgError& e) { return e.sqlstate == "23514"; }
inline bool is_retryable(const PgError& e) { return e.sqlstate == "40001" || e.sqlstate == "40P01"; }

class PgResult {
public:
    explicit PgResult(PGresult* result) : result_(result, &PQclear) {}
    int rows() const { return PQntuples(result_.get()); }
    int64_t affected() const;  // rows an INSERT/UPDATE/DELETE changed
    bool is_null(int row, int column) const { return PQgetisnull(result_.get(), row, column) != 0; }
    std::string text(int row, int column) const;
    int64_t integer(int row, int column) const;  // throws PgError("22P02") on a non-integer

private:
    std::unique_ptr<PGresult, void (*)(PGresult*)> result_;
};

// A parameter: text, or SQL NULL.
using PgParam = std::optional<std::string>;

enum class Isolation { read_committed, repeatable_read, serializable };

class PgConnection {
public:
    static std::unique_ptr<PgConnection> connect(const std::string& uri, std::string* error);
    ~PgConnection();
    PgConnection(const PgConnection&) = delete;
    PgConnection& operator=(const PgConnection&) = delete;

    void prepare(const std::string& name, const std::string& sql);
    PgResult exec(const std::string& name, const std::vector<PgParam>& params = {});
    void exec_plain(const std::string& sql);

    // Returns what body returned. Throws the last PgError when every attempt failed or the error
    // was not retryable; attempts() tells how many runs the last call took (tests, the bench).
    template <typename Body>
    auto in_transaction(Isolation isolation, Body&& body) -> decltype(body()) {
        for (int attempt = 1;; ++attempt) {
            last_attempts_ = attempt;
            try {
                exec_plain(begin_sql(isolation));
                if constexpr (std::is_void_v<decltype(body())>) {
                    body();
                    exec_plain("COMMIT");
                    return;
                } else {
                    auto result = body();
                    exec_plain("COMMIT");
                    return result;
                }
            } catch (const PgError& e) {
                rollback_quietly();
                if (!is_retryable(e) || attempt >= kMaxTransactionAttempts) throw;
            } catch (...) {
                rollback_quietly();
                throw;
            }
        }
    }
    int attempts() const { return last_attempts_; }

private:
    explicit PgConnection(PGconn* conn) : conn_(conn) {}
    static const char* begin_sql(Isolation isolation);
    void rollback_quietly();
    PGconn* conn_;
    int last_attempts_ = 0;
};

}  // namespace crm::pg
