// kiosk/touch/scanner_wedge.h — telling a card or QR scanner from a person typing.
//
// USB barcode, QR and magnetic-card readers pretend to be keyboards: they
// "type" their code very fast and end with Enter. The wedge watches the
// intervals: a run of at least min_length characters, each within max_gap_ms
// of the one before, ended by Enter, is one scan; anything else is a person,
// and their keys pass through unchanged (after at most max_gap_ms).
// Times are platform::Clock::monotonic_ms(); the App calls flush() when
// ms_until_flush() says so (its event wait timeout), so no key is held longer.
//
// Invariants: every character given to text() comes out exactly once, in
// order — inside one `scanned` or as `typed` — and Enter comes out as `enter`
// unless it ended a scan. Nothing is held for longer than max_gap_ms + 1 past
// its arrival unless more fast keys follow it. A fast run that outlasts
// max_burst_ms (a held-down key repeating) is typing until the next pause:
// its tail never becomes a scan.
//
// Index
//   WedgeTuning                 max gap between scanner keys, shortest code, longest burst
//   WedgeOutput                 typed text, an Enter, or a whole scan
//   ScannerWedge::text(s, t)    characters arrived at t (ms)
//   ScannerWedge::enter(t)      Enter arrived at t
//   ScannerWedge::flush(t)      time has passed: a pause this long means a person; release their keys
//   ScannerWedge::ms_until_flush(t)   when flush() may have something to release (-1: nothing held)
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk {

struct WedgeTuning {
    int max_gap_ms = 35;       // scanners send a key every 2–20 ms; people take 80 ms or more
    size_t min_length = 4;     // shorter "codes" are someone pressing keys
    int max_burst_ms = 3000;   // a long magnetic-stripe read still fits
};

struct WedgeOutput {
    enum class Kind { typed, enter, scanned };
    Kind kind;
    std::string text;
};

class ScannerWedge {
public:
    explicit ScannerWedge(WedgeTuning tuning = {}) : tuning_(tuning) {}
    std::vector<WedgeOutput> text(std::string_view utf8, int64_t t_ms);
    std::vector<WedgeOutput> enter(int64_t t_ms);
    std::vector<WedgeOutput> flush(int64_t t_ms);
    int64_t ms_until_flush(int64_t t_ms) const;

private:
    void release_as_typed(std::vector<WedgeOutput>& out);

    WedgeTuning tuning_;
    std::string held_;        // characters that may still turn out to be a scan
    size_t held_chars_ = 0;
    bool in_run_ = false;     // keys are arriving within max_gap_ms of each other
    bool overlong_ = false;   // this run outlasted max_burst_ms: a held-down key, not a reader
    int64_t first_ms_ = 0;    // the run's first key
    int64_t last_ms_ = 0;     // the run's latest key
};

}  // namespace kiosk
