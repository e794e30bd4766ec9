// crm-server/pg/pg_connection.cpp — see pg_connection.h.
#include "pg/pg_connection.h"

#include <cerrno>
#include <cstdlib>

namespace crm::pg {

namespace {

// Throws the result's error unless it is one of the statuses that mean success.
void check(PGconn* conn, PGresult* result) {
    ExecStatusType status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return;
    std::string sqlstate, message;
    if (result) {
        const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
        sqlstate = state ? state : "";
        message = PQresultErrorMessage(result);
        PQclear(result);
    } else {
        message = PQerrorMessage(conn);
    }
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
    throw PgError(sqlstate, message);
}

}  // namespace

int64_t PgResult::affected() const {
    const char* n = PQcmdTuples(result_.get());
    return (n && *n) ? std::strtoll(n, nullptr, 10) : 0;
}

std::string PgResult::text(int row, int column) const {
    const char* v = PQgetvalue(result_.get(), row, column);
    return std::string(v, size_t(PQgetlength(result_.get(), row, column)));
}

int64_t PgResult::integer(int row, int column) const {
    std::string v = text(row, column);
    errno = 0;
    char* end = nullptr;
    long long n = std::strtoll(v.c_str(), &end, 10);
    if (v.empty() || errno != 0 || *end != '\0') throw PgError("22P02", "not an integer: column " + std::to_string(column));
    return n;
}

std::unique_ptr<PgConnection> PgConnection::connect(const std::string& uri, std::string* error) {
    PGconn* conn = PQconnectdb(uri.c_str());
    if (!conn || PQstatus(conn) != CONNECTION_OK) {
        if (error) {
            *error = conn ? PQerrorMessage(conn) : "out of memory";
            while (!error->empty() && error->back() == '\n') error->pop_back();
        }
        if (conn) PQfinish(conn);
        return nullptr;
    }
    // Quiet NOTICEs (they would go to stderr), and UTC for every timestamp the server formats.
    PQsetNoticeProcessor(conn, [](void*, const char*) {}, nullptr);
    auto connection = std::unique_ptr<PgConnection>(new PgConnection(conn));
    try {
        connection->exec_plain("SET TIME ZONE 'UTC'");
    } catch (const PgError& e) {
        if (error) *error = e.what();
        return nullptr;
    }
    return connection;
}

PgConnection::~PgConnection() { PQfinish(conn_); }

void PgConnection::prepare(const std::string& name, const std::string& sql) {
    check(conn_, PQprepare(conn_, name.c_str(), sql.c_str(), 0, nullptr));
}

PgResult PgConnection::exec(const std::string& name, const std::vector<PgParam>& params) {
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
    PGresult* result = PQexecPrepared(conn_, name.c_str(), int(values.size()), values.data(), nullptr, nullptr, 0);
    check(conn_, result);
    return PgResult(result);
}

void PgConnection::exec_plain(const std::string& sql) {
    PGresult* result = PQexec(conn_, sql.c_str());
    check(conn_, result);
    PQclear(result);
}

const char* PgConnection::begin_sql(Isolation isolation) {
    switch (isolation) {
        case Isolation::read_committed: return "BEGIN ISOLATION LEVEL READ COMMITTED";
        case Isolation::repeatable_read: return "BEGIN ISOLATION LEVEL REPEATABLE READ";
        case Isolation::serializable: return "BEGIN ISOLATION LEVEL SERIALIZABLE";
    }
    return "BEGIN";
}

void PgConnection::rollback_quietly() {
    PGresult* result = PQexec(conn_, "ROLLBACK");
    if (result) PQclear(result);
}

}  // namespace crm::pg
