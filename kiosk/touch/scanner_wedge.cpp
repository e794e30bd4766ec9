#include "touch/scanner_wedge.h"

#include "platform/utf8.h"

namespace kiosk {

void ScannerWedge::release_as_typed(std::vector<WedgeOutput>& out) {
    if (!held_.empty()) out.push_back({WedgeOutput::Kind::typed, held_});
    held_.clear();
    held_chars_ = 0;
}

std::vector<WedgeOutput> ScannerWedge::text(std::string_view utf8, int64_t t_ms) {
    std::vector<WedgeOutput> out;
    // A pause longer than a scanner ever makes: what was held was typed by a person.
    if (!in_run_ || t_ms - last_ms_ > tuning_.max_gap_ms) {
        release_as_typed(out);
        in_run_ = true;
        overlong_ = false;
        first_ms_ = t_ms;
    }
    last_ms_ = t_ms;
    if (!overlong_ && t_ms - first_ms_ > tuning_.max_burst_ms) {
        overlong_ = true;
        release_as_typed(out);
    }
    if (overlong_) {
        out.push_back({WedgeOutput::Kind::typed, std::string(utf8)});
        return out;
    }
    held_.append(utf8);
    held_chars_ += platform::count_code_points(utf8);
    return out;
}

std::vector<WedgeOutput> ScannerWedge::enter(int64_t t_ms) {
    std::vector<WedgeOutput> out;
    bool burst = in_run_ && !overlong_ && held_chars_ >= tuning_.min_length && t_ms - last_ms_ <= tuning_.max_gap_ms &&
                 t_ms - first_ms_ <= tuning_.max_burst_ms;
    in_run_ = false;
    overlong_ = false;
    if (burst) {
        out.push_back({WedgeOutput::Kind::scanned, held_});
        held_.clear();
        held_chars_ = 0;
        return out;
    }
    release_as_typed(out);
    out.push_back({WedgeOutput::Kind::enter, ""});
    return out;
}

std::vector<WedgeOutput> ScannerWedge::flush(int64_t t_ms) {
    std::vector<WedgeOutput> out;
    if (in_run_ && t_ms - last_ms_ > tuning_.max_gap_ms) {
        release_as_typed(out);
        in_run_ = false;
        overlong_ = false;
    }
    return out;
}

int64_t ScannerWedge::ms_until_flush(int64_t t_ms) const {
    if (held_.empty()) return -1;
    int64_t due = last_ms_ + tuning_.max_gap_ms + 1;
    return due > t_ms ? due - t_ms : 0;
}

}  // namespace kiosk
