#include "fault_vfs.h"

#include <sqlite3.h>

#include <atomic>
#include <cstring>

namespace fault_vfs {

namespace {

std::atomic<int64_t> seen{0};
std::atomic<int64_t> fail_at{0};
std::atomic<int64_t> failed{0};
std::atomic<int> error_code{SQLITE_FULL};
std::atomic<bool> persist{false};

sqlite3_vfs* base_vfs = nullptr;
sqlite3_vfs faulty_vfs;
sqlite3_vfs faulty_noshm_vfs;

struct FaultFile {
    sqlite3_file base;   // must be first: SQLite sees this
    sqlite3_file* real;  // the wrapped VFS's file, allocated right after us
};

sqlite3_file* real(sqlite3_file* f) { return reinterpret_cast<FaultFile*>(f)->real; }

bool should_fail() {
    int64_t n = ++seen;
    int64_t at = fail_at.load();
    if (at > 0 && (n == at || (persist.load() && n > at))) {
        ++failed;
        return true;
    }
    return false;
}

int x_close(sqlite3_file* f) { return real(f)->pMethods->xClose(real(f)); }
int x_read(sqlite3_file* f, void* buf, int amt, sqlite3_int64 off) { return real(f)->pMethods->xRead(real(f), buf, amt, off); }
int x_write(sqlite3_file* f, const void* buf, int amt, sqlite3_int64 off) {
    if (should_fail()) return error_code.load();
    return real(f)->pMethods->xWrite(real(f), buf, amt, off);
}
int x_truncate(sqlite3_file* f, sqlite3_int64 size) {
    if (should_fail()) return error_code.load() == SQLITE_FULL ? SQLITE_FULL : SQLITE_IOERR_TRUNCATE;
    return real(f)->pMethods->xTruncate(real(f), size);
}
int x_sync(sqlite3_file* f, int flags) {
    if (should_fail()) return error_code.load() == SQLITE_FULL ? SQLITE_FULL : SQLITE_IOERR_FSYNC;
    return real(f)->pMethods->xSync(real(f), flags);
}
int x_file_size(sqlite3_file* f, sqlite3_int64* size) { return real(f)->pMethods->xFileSize(real(f), size); }
int x_lock(sqlite3_file* f, int level) { return real(f)->pMethods->xLock(real(f), level); }
int x_unlock(sqlite3_file* f, int level) { return real(f)->pMethods->xUnlock(real(f), level); }
int x_check_reserved(sqlite3_file* f, int* out) { return real(f)->pMethods->xCheckReservedLock(real(f), out); }
int x_file_control(sqlite3_file* f, int op, void* arg) { return real(f)->pMethods->xFileControl(real(f), op, arg); }
int x_sector_size(sqlite3_file* f) { return real(f)->pMethods->xSectorSize(real(f)); }
int x_device_characteristics(sqlite3_file* f) { return real(f)->pMethods->xDeviceCharacteristics(real(f)); }
int x_shm_map(sqlite3_file* f, int pg, int sz, int extend, void volatile** p) {
    return real(f)->pMethods->xShmMap(real(f), pg, sz, extend, p);
}
int x_shm_lock(sqlite3_file* f, int offset, int n, int flags) { return real(f)->pMethods->xShmLock(real(f), offset, n, flags); }
void x_shm_barrier(sqlite3_file* f) { real(f)->pMethods->xShmBarrier(real(f)); }
int x_shm_unmap(sqlite3_file* f, int del) { return real(f)->pMethods->xShmUnmap(real(f), del); }

const sqlite3_io_methods io_methods_v2 = {
    2,          x_close,     x_read,       x_write,        x_truncate,   x_sync,
    x_file_size, x_lock,     x_unlock,     x_check_reserved, x_file_control, x_sector_size,
    x_device_characteristics, x_shm_map, x_shm_lock, x_shm_barrier, x_shm_unmap, nullptr, nullptr};
// Version 1: no shared memory, so SQLite cannot use WAL with it.
const sqlite3_io_methods io_methods_v1 = {
    1,          x_close,     x_read,       x_write,        x_truncate,   x_sync,
    x_file_size, x_lock,     x_unlock,     x_check_reserved, x_file_control, x_sector_size,
    x_device_characteristics, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr};

template <const sqlite3_io_methods* Methods>
int x_open(sqlite3_vfs*, const char* name, sqlite3_file* file, int flags, int* out_flags) {
    FaultFile* f = reinterpret_cast<FaultFile*>(file);
    f->real = reinterpret_cast<sqlite3_file*>(f + 1);
    int rc = base_vfs->xOpen(base_vfs, name, f->real, flags, out_flags);
    f->base.pMethods = rc == SQLITE_OK ? Methods : nullptr;
    return rc;
}

int x_delete(sqlite3_vfs*, const char* name, int sync) { return base_vfs->xDelete(base_vfs, name, sync); }
int x_access(sqlite3_vfs*, const char* name, int flags, int* out) { return base_vfs->xAccess(base_vfs, name, flags, out); }
int x_full_pathname(sqlite3_vfs*, const char* name, int n, char* out) {
    return base_vfs->xFullPathname(base_vfs, name, n, out);
}
int x_randomness(sqlite3_vfs*, int n, char* out) { return base_vfs->xRandomness(base_vfs, n, out); }
int x_sleep(sqlite3_vfs*, int us) { return base_vfs->xSleep(base_vfs, us); }
int x_current_time(sqlite3_vfs*, double* t) { return base_vfs->xCurrentTime(base_vfs, t); }
int x_get_last_error(sqlite3_vfs*, int n, char* out) { return base_vfs->xGetLastError(base_vfs, n, out); }
int x_current_time_int64(sqlite3_vfs*, sqlite3_int64* t) { return base_vfs->xCurrentTimeInt64(base_vfs, t); }

void fill(sqlite3_vfs* vfs, const char* name, decltype(&x_open<&io_methods_v2>) open) {
    std::memset(vfs, 0, sizeof *vfs);
    vfs->iVersion = 2;
    vfs->szOsFile = int(sizeof(FaultFile)) + base_vfs->szOsFile;
    vfs->mxPathname = base_vfs->mxPathname;
    vfs->zName = name;
    vfs->xOpen = open;
    vfs->xDelete = x_delete;
    vfs->xAccess = x_access;
    vfs->xFullPathname = x_full_pathname;
    vfs->xRandomness = x_randomness;
    vfs->xSleep = x_sleep;
    vfs->xCurrentTime = x_current_time;
    vfs->xGetLastError = x_get_last_error;
    vfs->xCurrentTimeInt64 = x_current_time_int64;
}

}  // namespace

void register_fault_vfs() {
    if (base_vfs) return;
    base_vfs = sqlite3_vfs_find(nullptr);
    fill(&faulty_vfs, "faulty", &x_open<&io_methods_v2>);
    fill(&faulty_noshm_vfs, "faulty-noshm", &x_open<&io_methods_v1>);
    sqlite3_vfs_register(&faulty_vfs, 0);
    sqlite3_vfs_register(&faulty_noshm_vfs, 0);
}

void FaultPlan::arm(int64_t k, int code, bool keep_failing) {
    error_code = code;
    persist = keep_failing;
    failed = 0;
    seen = 0;
    fail_at = k;
}

void FaultPlan::disarm() {
    fail_at = 0;
    seen = 0;
}

int64_t FaultPlan::operations() { return seen.load(); }
int64_t FaultPlan::failures() { return failed.load(); }

}  // namespace fault_vfs
