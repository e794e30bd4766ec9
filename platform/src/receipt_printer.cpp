#include "platform/receipt_printer.h"

#include <cerrno>
#include <climits>
#include <cstring>
#include <fcntl.h>
#include <iconv.h>
#include <poll.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <array>

#include "platform/utf8.h"

namespace platform {

// ------------------------------------------------------------------ Slip

Slip& Slip::title(std::string text) {
    blocks.push_back({SlipBlock::Kind::title, std::move(text), {}, 0});
    return *this;
}
Slip& Slip::text(std::string text) {
    blocks.push_back({SlipBlock::Kind::text, std::move(text), {}, 0});
    return *this;
}
Slip& Slip::key_value(std::string key, std::string value) {
    blocks.push_back({SlipBlock::Kind::key_value, std::move(key), std::move(value), 0});
    return *this;
}
Slip& Slip::rule() {
    blocks.push_back({SlipBlock::Kind::rule, {}, {}, 0});
    return *this;
}
Slip& Slip::qr_code(std::string payload) {
    blocks.push_back({SlipBlock::Kind::qr_code, std::move(payload), {}, 0});
    return *this;
}
Slip& Slip::feed_and_cut(int lines) {
    blocks.push_back({SlipBlock::Kind::feed_and_cut, {}, {}, lines});
    return *this;
}

SlipCharset charset_for_language(std::string_view language_code) {
    return language_code.rfind("zh", 0) == 0 ? SlipCharset::chinese_gb18030 : SlipCharset::latin_wpc1252;
}

// ------------------------------------------------------------------ encoding

namespace {

constexpr char kEsc = 0x1B, kGs = 0x1D, kFs = 0x1C, kDle = 0x10, kEot = 0x04, kLf = 0x0A;

// Byte-mode capacity of QR versions 1..40 at error correction M (ISO/IEC
// 18004 table 7): the smallest version that holds the payload tells how wide
// the symbol will be, so the module size can shrink to fit the paper.
constexpr std::array<int, 40> kQrByteCapacityM = {
    14,   26,   42,   62,   84,   106,  122,  152,  180,  213,  251,  287,  331,  362,
    412,  450,  504,  560,  624,  666,  711,  779,  857,  911,  997,  1059, 1125, 1190,
    1264, 1370, 1452, 1538, 1628, 1722, 1809, 1911, 1989, 2099, 2213, 2331};

// One printed character: its bytes in the printer's charset and how many
// Font A columns it takes.
struct Glyph {
    std::string bytes;
    int columns = 1;
    bool space = false;
};

// UTF-8 → the slip's charset through glibc iconv, one code point at a time so
// a character the charset lacks costs that one character ('?'), not the line.
class CharsetConverter {
public:
    explicit CharsetConverter(SlipCharset charset)
        : chinese_(charset == SlipCharset::chinese_gb18030),
          cd_(iconv_open(chinese_ ? "GB18030" : "CP1252", "UTF-8")) {}
    ~CharsetConverter() {
        if (cd_ != reinterpret_cast<iconv_t>(-1)) iconv_close(cd_);
    }
    CharsetConverter(const CharsetConverter&) = delete;
    CharsetConverter& operator=(const CharsetConverter&) = delete;

    bool chinese() const { return chinese_; }

    // Appends the glyphs of text; every code point becomes exactly one glyph.
    void append_glyphs(std::string_view text, std::vector<Glyph>& out, int& replaced) {
        for_each_code_point(text, [&](uint32_t cp) { out.push_back(glyph(cp, replaced)); });
    }

private:
    Glyph glyph(uint32_t cp, int& replaced) {
        if (cp == '\t' || cp == ' ') return {" ", 1, true};
        // Control characters would be commands to the printer (ESC, GS, DLE …):
        // text never reaches it as a command. U+FFFD is what invalid UTF-8
        // decodes to: the guest's text was damaged, so it shows as '?'.
        if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp == 0xFFFD) return replacement(replaced);
        if (cp < 0x80) return {std::string(1, char(cp)), 1, false};
        std::string in;
        append_utf8(in, cp);
        char out[8];
        char* in_ptr = in.data();
        size_t in_left = in.size();
        char* out_ptr = out;
        size_t out_left = sizeof out;
        if (cd_ == reinterpret_cast<iconv_t>(-1) ||
            iconv(cd_, &in_ptr, &in_left, &out_ptr, &out_left) == size_t(-1) || in_left != 0) {
            if (cd_ != reinterpret_cast<iconv_t>(-1)) iconv(cd_, nullptr, nullptr, nullptr, nullptr);
            return replacement(replaced);
        }
        std::string bytes(out, size_t(out_ptr - out));
        // In Chinese mode the printer draws every multi-byte character from its
        // 24 × 24 font: two Font A columns. Single-byte code pages are one column.
        return {bytes, chinese_ && bytes.size() > 1 ? 2 : 1, false};
    }
    static Glyph replacement(int& replaced) {
        ++replaced;
        return {"?", 1, false};
    }

    bool chinese_;
    iconv_t cd_;
};

// Greedy wrap of one logical line at `width` columns. Breaks at a space
// (dropped) or next to a two-column character (CJK needs no spaces); with
// neither, between any two characters. Nothing is dropped but the spaces a
// break falls on; a character wider than the line gets a line of its own.
std::vector<std::string> wrap(const std::vector<Glyph>& glyphs, int width) {
    std::vector<std::string> lines;
    std::vector<Glyph> line;
    int line_columns = 0;
    bool continuation = false;

    auto break_allowed = [](const Glyph& before, const Glyph& after) {
        return before.space || after.space || before.columns > 1 || after.columns > 1;
    };
    // Emits line[0, cut) without trailing spaces; what is left starts the next line.
    auto emit = [&](size_t cut) {
        size_t end = cut;
        while (end > 0 && line[end - 1].space) --end;
        std::string text;
        for (size_t i = 0; i < end; ++i) text += line[i].bytes;
        lines.push_back(std::move(text));
        size_t start = cut;
        while (start < line.size() && line[start].space) ++start;
        line.erase(line.begin(), line.begin() + long(start));
        line_columns = 0;
        for (const Glyph& g : line) line_columns += g.columns;
        continuation = true;
    };

    for (const Glyph& g : glyphs) {
        while (!line.empty() && line_columns + g.columns > width) {
            size_t cut = 0;
            if (break_allowed(line.back(), g)) {
                cut = line.size();
            } else {
                for (size_t i = line.size() - 1; i > 0; --i)
                    if (break_allowed(line[i - 1], line[i])) {
                        cut = i;
                        break;
                    }
            }
            emit(cut == 0 ? line.size() : cut);
        }
        if (line.empty() && continuation && g.space) continue;
        line.push_back(g);
        line_columns += g.columns;
    }
    if (!line.empty() || !continuation) emit(line.size());
    return lines;
}

// Splits at '\n' and wraps each part; an empty text is one empty line.
std::vector<std::string> wrapped_lines(std::string_view text, int width, CharsetConverter& converter, int& replaced,
                                       std::string_view prefix = {}) {
    std::vector<std::string> out;
    size_t start = 0;
    bool first = true;
    while (true) {
        size_t nl = text.find('\n', start);
        std::string_view part = text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
        std::vector<Glyph> glyphs;
        if (first) converter.append_glyphs(prefix, glyphs, replaced);
        converter.append_glyphs(part, glyphs, replaced);
        for (auto& line : wrap(glyphs, width)) out.push_back(std::move(line));
        first = false;
        if (nl == std::string_view::npos) break;
        start = nl + 1;
    }
    return out;
}

void append_lines(std::string& out, const std::vector<std::string>& lines) {
    for (const auto& line : lines) {
        out += line;
        out += kLf;
    }
}

void append_bytes(std::string& out, std::initializer_list<int> bytes) {
    for (int b : bytes) out += char(b);
}

}  // namespace

EncodedSlip encode_escpos(const Slip& slip, const EscPosOptions& options) {
    EncodedSlip result;
    CharsetConverter converter(options.charset);
    const int columns = std::max(options.columns, 2);
    std::string& out = result.bytes;

    append_bytes(out, {kEsc, '@'});  // ESC @: initialise — no style left over from a previous job
    if (converter.chinese()) {
        append_bytes(out, {kFs, '&'});  // FS &: Chinese character mode, multi-byte GB18030
    } else {
        append_bytes(out, {kFs, '.'});         // FS .: leave Chinese mode (Chinese-market printers start in it)
        append_bytes(out, {kEsc, 't', 16});    // ESC t 16: code page WPC1252 (Spanish á é í ó ú ü ñ ¿ ¡)
    }

    for (const SlipBlock& block : slip.blocks) {
        switch (block.kind) {
        case SlipBlock::Kind::title:
            append_bytes(out, {kEsc, 'a', 1});     // centre
            append_bytes(out, {kGs, '!', 0x11});   // double width and height: half the columns
            append_lines(out, wrapped_lines(block.text, columns / 2, converter, result.replaced_characters));
            append_bytes(out, {kGs, '!', 0x00});
            append_bytes(out, {kEsc, 'a', 0});
            break;
        case SlipBlock::Kind::text:
            append_lines(out, wrapped_lines(block.text, columns, converter, result.replaced_characters));
            break;
        case SlipBlock::Kind::key_value: {
            // Chinese puts a full-width colon straight after the label: 科室：内科.
            std::string label = block.text + (converter.chinese() ? "\xEF\xBC\x9A" : ": ");
            append_lines(out, wrapped_lines(block.value, columns, converter, result.replaced_characters, label));
            break;
        }
        case SlipBlock::Kind::rule:
            out += std::string(size_t(columns), '-');
            out += kLf;
            break;
        case SlipBlock::Kind::qr_code: {
            const size_t k = block.text.size();
            if (k == 0) {
                result.error = "a QR code needs a payload";
                break;
            }
            auto version = std::find_if(kQrByteCapacityM.begin(), kQrByteCapacityM.end(),
                                        [k](int capacity) { return size_t(capacity) >= k; });
            if (version == kQrByteCapacityM.end()) {
                result.error = "QR payload of " + std::to_string(k) + " bytes is over the " +
                               std::to_string(kQrByteCapacityM.back()) + " a QR code holds at correction M";
                break;
            }
            const int modules = 17 + 4 * int(version - kQrByteCapacityM.begin() + 1);
            const int module_dots = std::clamp(std::min(options.qr_module_dots, options.paper_width_dots / modules), 1, 16);
            const size_t stored = k + 3;  // pL pH count cn fn m and the data
            append_bytes(out, {kEsc, 'a', 1});
            append_bytes(out, {kGs, '(', 'k', 4, 0, 49, 65, 50, 0});            // fn 165: model 2
            append_bytes(out, {kGs, '(', 'k', 3, 0, 49, 67, module_dots});      // fn 167: module size in dots
            append_bytes(out, {kGs, '(', 'k', 3, 0, 49, 69, 49});               // fn 169: error correction M
            append_bytes(out, {kGs, '(', 'k', int(stored & 0xFF), int(stored >> 8), 49, 80, 48});  // fn 180: store
            out += block.text;
            append_bytes(out, {kGs, '(', 'k', 3, 0, 49, 81, 48});               // fn 181: print the stored symbol
            append_bytes(out, {kEsc, 'a', 0});
            break;
        }
        case SlipBlock::Kind::feed_and_cut:
            append_bytes(out, {kEsc, 'd', std::clamp(block.feed_lines, 0, 255)});  // ESC d n: feed n lines
            append_bytes(out, {kGs, 'V', 66, 0});  // GS V 66 0: feed to the cutter, partial cut (the slip hangs, never drops)
            break;
        }
        if (!result.error.empty()) break;
    }
    if (!result.error.empty()) {
        result.bytes.clear();
        return result;
    }
    if (slip.blocks.empty() || slip.blocks.back().kind != SlipBlock::Kind::feed_and_cut) {
        append_bytes(out, {kEsc, 'd', 3});
        append_bytes(out, {kGs, 'V', 66, 0});
    }
    return result;
}

// ------------------------------------------------------------------ status

const char* printer_state_name(PrinterState state) {
    switch (state) {
    case PrinterState::ok: return "ok";
    case PrinterState::paper_low: return "paper_low";
    case PrinterState::paper_out: return "paper_out";
    case PrinterState::offline: return "offline";
    case PrinterState::not_configured: return "not_configured";
    }
    return "?";
}

namespace {
// Bits 1 and 4 set, 0 and 7 clear in every DLE EOT reply.
bool is_status_reply(unsigned char b) { return (b & 0x93) == 0x12; }

std::string hex_byte(unsigned char b) {
    const char* digits = "0123456789ABCDEF";
    return std::string("0x") + digits[b >> 4] + digits[b & 0xF];
}
}  // namespace

PrinterStatus decode_status_replies(unsigned char printer, unsigned char offline_cause, unsigned char paper) {
    PrinterStatus status;
    status.answered = true;
    for (unsigned char b : {printer, offline_cause, paper})
        if (!is_status_reply(b)) {
            status.state = PrinterState::offline;
            status.detail = "not a status reply: " + hex_byte(b);
            return status;
        }
    const bool paper_out = (paper & 0x60) == 0x60 || (offline_cause & 0x20) != 0;
    const bool near_end = (paper & 0x0C) == 0x0C;
    const bool cover_open = (offline_cause & 0x04) != 0;
    const bool error = (offline_cause & 0x40) != 0;
    const bool offline = (printer & 0x08) != 0;

    std::string detail;
    auto add = [&detail](const char* what) { detail += detail.empty() ? what : std::string(", ") + what; };
    if (paper_out) add("paper out");
    if (cover_open) add("cover open");
    if (error) add("printer error (cutter jam or head too hot; see its light)");
    if (offline && !paper_out && !cover_open && !error) add("printer offline");
    if (near_end && !paper_out) add("paper near end");

    status.state = paper_out                        ? PrinterState::paper_out
                 : cover_open || error || offline   ? PrinterState::offline
                 : near_end                         ? PrinterState::paper_low
                                                    : PrinterState::ok;
    status.detail = detail.empty() ? "ready" : detail;
    return status;
}

// ------------------------------------------------------------------ the device

namespace {

// Closes on every path out of a function.
class FileDescriptor {
public:
    explicit FileDescriptor(int fd) : fd_(fd) {}
    ~FileDescriptor() {
        if (fd_ >= 0) ::close(fd_);
    }
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    int get() const { return fd_; }

private:
    int fd_;
};

// The milliseconds left before deadline, as poll() takes them.
int remaining_ms(const Clock& clock, int64_t deadline_ms) {
    return int(std::clamp<int64_t>(deadline_ms - clock.monotonic_ms(), 0, INT_MAX));
}

// Waits for events on fd until deadline. Returns the revents, or 0 on timeout.
// A poll() that returns 0 has waited the whole remaining time, so a clock that
// does not move (a test's ManualClock) still ends the wait.
short wait_for(int fd, short events, const Clock& clock, int64_t deadline_ms) {
    while (true) {
        int left = remaining_ms(clock, deadline_ms);
        if (left == 0) return 0;
        pollfd p{fd, events, 0};
        int r = ::poll(&p, 1, left);
        if (r > 0) return p.revents;
        if (r == 0) return 0;
        if (errno != EINTR) return POLLERR;
    }
}

// A serial line must pass bytes untouched: no LF → CR LF, no line editing on
// replies (a one-byte status would wait for a newline), no echo. Flow control
// stays as stty / the kiosk image set it (printers use DTR/DSR or XON/XOFF).
bool make_raw(int fd) {
    termios t{};
    if (::tcgetattr(fd, &t) != 0) return false;
    const tcflag_t flow_in = t.c_iflag & (IXON | IXOFF);
    const tcflag_t flow_hw = t.c_cflag & CRTSCTS;
    ::cfmakeraw(&t);
    t.c_iflag |= flow_in;
    t.c_cflag |= flow_hw | CLOCAL | CREAD;
    // VMIN 1 (cfmakeraw's): with O_NONBLOCK an empty line reads as EAGAIN,
    // and a read of 0 means the line hung up — never "nothing yet".
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    return ::tcsetattr(fd, TCSANOW, &t) == 0;
}

// Writes all of data before deadline; returns how many bytes went, and the
// reason in *why when not all did.
size_t write_fully(int fd, std::string_view data, const Clock& clock, int64_t deadline_ms, std::string* why) {
    size_t written = 0;
    while (written < data.size()) {
        ssize_t n = ::write(fd, data.data() + written, data.size() - written);
        if (n > 0) {
            written += size_t(n);
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            short revents = wait_for(fd, POLLOUT, clock, deadline_ms);
            if (revents == 0) {
                *why = "timed out: the printer took no more data";
                return written;
            }
            if (revents & (POLLERR | POLLHUP | POLLNVAL)) {
                *why = "the device went away";
                return written;
            }
            continue;
        }
        *why = n == 0 ? std::string("the device took nothing") : std::string(std::strerror(errno));
        return written;
    }
    return written;
}

// Reads one byte before deadline.
bool read_one(int fd, unsigned char* out, const Clock& clock, int64_t deadline_ms) {
    while (true) {
        ssize_t n = ::read(fd, out, 1);
        if (n == 1) return true;
        if (n == 0) return false;  // end of file: a hung-up line or a device with nothing to say (/dev/null)
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            short revents = wait_for(fd, POLLIN, clock, deadline_ms);
            if (revents == 0 || (revents & POLLIN) == 0) return false;
            continue;
        }
        return false;
    }
}

PrinterStatus offline_status(std::string detail) {
    PrinterStatus status;
    status.state = PrinterState::offline;
    status.detail = std::move(detail);
    return status;
}

}  // namespace

ReceiptPrinter::ReceiptPrinter(std::string device_path, Clock& clock, PrinterTimeouts timeouts)
    : path_(std::move(device_path)), clock_(clock), timeouts_(timeouts) {}

PrinterStatus ReceiptPrinter::query_status() {
    if (path_.empty()) {
        PrinterStatus status;
        status.state = PrinterState::not_configured;
        status.detail = "no printer configured (printer_path is empty)";
        return status;
    }
    FileDescriptor fd(::open(path_.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC));
    if (fd.get() < 0) {
        // A USB printer file may be writable only; it is still there.
        int read_write_errno = errno;
        FileDescriptor write_only(::open(path_.c_str(), O_WRONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC));
        if (write_only.get() < 0) return offline_status(path_ + ": " + std::strerror(read_write_errno));
        PrinterStatus status;
        status.state = PrinterState::ok;
        status.detail = "device present (write only: it cannot report paper or cover)";
        return status;
    }
    struct stat st{};
    const bool is_tty = ::isatty(fd.get()) == 1;
    const bool is_device = ::fstat(fd.get(), &st) == 0 && S_ISCHR(st.st_mode);
    if (!is_device) {
        PrinterStatus status;
        status.state = PrinterState::ok;
        status.detail = "not a device (a file, for testing): no status";
        return status;
    }
    if (is_tty) {
        if (!make_raw(fd.get())) return offline_status(path_ + ": cannot set raw mode: " + std::strerror(errno));
        ::tcflush(fd.get(), TCIFLUSH);  // a late reply to an earlier query must not answer this one
    } else {
        // A USB printer answers DLE EOT too when its interface is two-way;
        // drop anything left over from an earlier query first.
        unsigned char stale[64];
        for (int i = 0; i < 16 && ::read(fd.get(), stale, sizeof stale) > 0; ++i) {
        }
    }

    unsigned char replies[3] = {0, 0, 0};
    const unsigned char requests[3] = {kStatusRequestPrinter, kStatusRequestOffline, kStatusRequestPaper};
    for (int i = 0; i < 3; ++i) {
        const char request[3] = {kDle, kEot, char(requests[i])};
        std::string why;
        int64_t deadline = clock_.monotonic_ms() + timeouts_.status_reply_ms;
        if (write_fully(fd.get(), std::string_view(request, 3), clock_, deadline, &why) != 3)
            return offline_status(path_ + ": status request not sent: " + why);
        if (!read_one(fd.get(), &replies[i], clock_, deadline)) {
            if (!is_tty) {
                // One-way USB interface: it cannot say, which is not "offline".
                PrinterStatus status;
                status.state = PrinterState::ok;
                status.detail = "device present (it does not answer status requests)";
                return status;
            }
            return offline_status(path_ + ": no answer to DLE EOT " + std::to_string(requests[i]) + " within " +
                                  std::to_string(timeouts_.status_reply_ms) + " ms (printer off or cable out?)");
        }
    }
    return decode_status_replies(replies[0], replies[1], replies[2]);
}

PrintOutcome ReceiptPrinter::write_bytes(std::string_view bytes) {
    PrintOutcome outcome;
    if (path_.empty()) {
        outcome.status.state = PrinterState::not_configured;
        outcome.status.detail = "no printer configured (printer_path is empty)";
        return outcome;
    }
    // Never O_CREAT: a printer that is unplugged must read as offline, not
    // leave a regular file where its device node was.
    FileDescriptor fd(::open(path_.c_str(), O_WRONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC));
    if (fd.get() < 0) {
        outcome.status = offline_status(path_ + ": " + std::strerror(errno));
        return outcome;
    }
    if (::isatty(fd.get()) == 1 && !make_raw(fd.get())) {
        outcome.status = offline_status(path_ + ": cannot set raw mode: " + std::strerror(errno));
        return outcome;
    }
    std::string why;
    outcome.bytes_written = write_fully(fd.get(), bytes, clock_, clock_.monotonic_ms() + timeouts_.write_ms, &why);
    if (outcome.bytes_written != bytes.size()) {
        outcome.status = offline_status(path_ + ": wrote " + std::to_string(outcome.bytes_written) + " of " +
                                        std::to_string(bytes.size()) + " bytes: " + why);
        return outcome;
    }
    outcome.printed = true;
    outcome.status.state = PrinterState::ok;
    outcome.status.detail = "printed";
    return outcome;
}

PrintOutcome ReceiptPrinter::print(const Slip& slip, const EscPosOptions& options) {
    PrintOutcome outcome;
    EncodedSlip encoded = encode_escpos(slip, options);
    outcome.replaced_characters = encoded.replaced_characters;
    if (!encoded.ok()) {
        // The slip, not the printer, is at fault: nothing is sent or asked.
        outcome.slip_error = encoded.error;
        outcome.status.state = PrinterState::ok;
        outcome.status.detail = "slip not printable: " + encoded.error;
        return outcome;
    }
    outcome.status = query_status();
    if (!outcome.status.can_print()) return outcome;
    const PrinterStatus before = outcome.status;
    PrintOutcome written = write_bytes(encoded.bytes);
    outcome.printed = written.printed;
    outcome.bytes_written = written.bytes_written;
    outcome.status = written.printed ? before : written.status;  // "paper low" stays visible after a print
    return outcome;
}

}  // namespace platform
