// tests/offline-cache/fault_vfs.h — a SQLite VFS that fails the k-th write.
//
// Wraps the default VFS. Every xWrite, xSync and xTruncate on any file counts
// as one I/O operation; the one numbered `fail_at` (and, with `persist`, every
// later one) returns the chosen error (SQLITE_FULL: disk full; SQLITE_IOERR_WRITE:
// an I/O error) — how SQLite's own tests inject faults.
//
// Index
//   register_fault_vfs()        register "faulty" (and "faulty-noshm", which cannot do WAL); idempotent
//   FaultPlan::arm(k, err, persist)   fail the k-th operation from now
//   FaultPlan::disarm()         no more failures
//   FaultPlan::operations()     how many operations were counted since the last arm/disarm
//   FaultPlan::failures()       how many operations were failed
#pragma once

#include <cstdint>

namespace fault_vfs {

void register_fault_vfs();

struct FaultPlan {
    static void arm(int64_t fail_at, int error_code, bool persist);
    static void disarm();
    static int64_t operations();
    static int64_t failures();
};

}  // namespace fault_vfs
