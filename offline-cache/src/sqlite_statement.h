// offline-cache/src/sqlite_statement.h — prepared statements and transactions, RAII.
//
// Invariant: every value that reaches SQL goes through bind(); no SQL text is
// ever built from data. exec() is only for constant statements (PRAGMA,
// BEGIN, COMMIT).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace offline_cache {

class Statement {
public:
    Statement(sqlite3* db, const char* sql) : db_(db) {
        rc_ = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr);
    }
    ~Statement() { sqlite3_finalize(stmt_); }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    bool ok() const { return rc_ == SQLITE_OK || rc_ == SQLITE_ROW || rc_ == SQLITE_DONE; }
    int rc() const { return rc_; }

    Statement& bind(int index, int64_t value) {
        if (ok()) rc_ = sqlite3_bind_int64(stmt_, index, value);
        return *this;
    }
    Statement& bind(int index, std::string_view value) {
        if (ok()) rc_ = sqlite3_bind_text(stmt_, index, value.data(), int(value.size()), SQLITE_TRANSIENT);
        return *this;
    }
    Statement& bind_blob(int index, std::string_view value) {
        if (ok()) rc_ = sqlite3_bind_blob(stmt_, index, value.data(), int(value.size()), SQLITE_TRANSIENT);
        return *this;
    }
    Statement& bind_null(int index) {
        if (ok()) rc_ = sqlite3_bind_null(stmt_, index);
        return *this;
    }

    // SQLITE_ROW, SQLITE_DONE, or the error code (also kept in rc()).
    int step() {
        if (!ok()) return rc_;
        rc_ = sqlite3_step(stmt_);
        return rc_;
    }
    bool reset() {
        sqlite3_reset(stmt_);
        sqlite3_clear_bindings(stmt_);
        rc_ = SQLITE_OK;
        return true;
    }
    int64_t int_at(int column) const { return sqlite3_column_int64(stmt_, column); }
    bool is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
    std::string text_at(int column) const {
        const unsigned char* text = sqlite3_column_text(stmt_, column);
        return text ? std::string(reinterpret_cast<const char*>(text), size_t(sqlite3_column_bytes(stmt_, column)))
                    : std::string();
    }
    std::string blob_at(int column) const {
        const void* data = sqlite3_column_blob(stmt_, column);
        return data ? std::string(static_cast<const char*>(data), size_t(sqlite3_column_bytes(stmt_, column)))
                    : std::string();
    }
    std::string error() const { return sqlite3_errmsg(db_); }

private:
    sqlite3* db_;
    sqlite3_stmt* stmt_ = nullptr;
    int rc_ = SQLITE_OK;
};

// A constant statement with no values.
inline int exec(sqlite3* db, const char* sql) { return sqlite3_exec(db, sql, nullptr, nullptr, nullptr); }

// BEGIN IMMEDIATE … COMMIT; rolled back unless commit() succeeded.
class Transaction {
public:
    explicit Transaction(sqlite3* db) : db_(db) { rc_ = exec(db, "BEGIN IMMEDIATE"); }
    ~Transaction() {
        if (rc_ == SQLITE_OK && !committed_) exec(db_, "ROLLBACK");
    }
    bool begun() const { return rc_ == SQLITE_OK; }
    int rc() const { return rc_; }
    int commit() {
        int rc = exec(db_, "COMMIT");
        if (rc == SQLITE_OK) committed_ = true;
        else if (sqlite3_get_autocommit(db_)) committed_ = true;  // SQLite already rolled back
        return rc;
    }

private:
    sqlite3* db_;
    int rc_;
    bool committed_ = false;
};

}  // namespace offline_cache
