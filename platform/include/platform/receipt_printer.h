// platform/receipt_printer.h — booking slips, complaint tickets and vouchers on
// an 80 mm thermal ESC/POS receipt printer (Epson TM-T20, Xprinter and the
// like) connected as a device file: /dev/usb/lp0 (USB) or /dev/ttyUSB0 (serial).
//
// Two halves. encode_escpos() turns a Slip (what to say) into the exact bytes
// the printer understands — pure, no device, tested byte by byte.
// ReceiptPrinter asks the device whether it can print and writes those bytes,
// every wait bounded. It never keeps a slip: when it cannot print it says why,
// and the caller (the screen) still holds the Slip, tells the guest, and offers
// to retry — nothing is lost. docs/printer.md has the byte stream worked through.
//
// Index — what to print
//   Slip                                   the blocks of one slip, top to bottom; build with its chained calls:
//     .title(text)                         double width and height, centred (a heading, a ticket number)
//     .text(text)                          plain lines, left aligned, wrapped; '\n' starts a new line
//     .key_value(key, value)               one "Department: Internal medicine" row ("科室：内科" in Chinese)
//     .rule()                              a dashed line across the paper
//     .qr_code(payload)                    a QR code (model 2, correction M), centred; payload bytes as given
//     .feed_and_cut(lines)                 feed, then a partial cut; added at the end when a slip has none
//   charset_for_language(code)             "zh-Hans"/"zh-Hant" → GB18030 in Chinese mode; any other → WPC1252
//   encode_escpos(slip, options)           the exact byte stream; EncodedSlip says what was replaced or why not
// Index — the device
//   ReceiptPrinter(path, clock, timeouts)  path from the kiosk's `printer_path`; empty = no printer
//   ReceiptPrinter::query_status()         before offering to print, and for the heartbeat: ok, paper low, paper out, offline, not configured
//   ReceiptPrinter::print(slip, options)   encode, ask the status, refuse on paper out / offline, else write every byte
//   ReceiptPrinter::write_bytes(bytes)     write an already encoded stream (no status query); print()'s second half
//   decode_status_replies(s1, s2, s4)      the Epson DLE EOT 1/2/4 reply bytes → PrinterStatus (public for tests and docs)
//   printer_state_name(state)              "ok", "paper_low", … for logs and the heartbeat
//
// Threads: encode_escpos() is pure. A ReceiptPrinter holds no open descriptor
// between calls (each call opens and closes the device, so a printer unplugged
// and plugged back in just works); its calls block for at most their timeout,
// so make them from a worker, not the UI thread — one slip at a time (two
// threads printing at once would interleave their bytes on the paper).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "platform/clock.h"

namespace platform {

// ---------------------------------------------------------------- what to print

struct SlipBlock {
    enum class Kind { title, text, key_value, rule, qr_code, feed_and_cut };
    Kind kind = Kind::text;
    std::string text;    // title, text, key_value's key, qr_code's payload (UTF-8)
    std::string value;   // key_value's value
    int feed_lines = 0;  // feed_and_cut: blank lines fed before the cut
};

struct Slip {
    std::vector<SlipBlock> blocks;

    Slip& title(std::string text);
    Slip& text(std::string text);
    Slip& key_value(std::string key, std::string value);
    Slip& rule();
    Slip& qr_code(std::string payload);
    Slip& feed_and_cut(int lines = 3);
};

// How text reaches the printer. Every printer of this class has both: the
// Chinese mode (FS &) reads GB18030 multi-byte characters, the single-byte
// code pages hold Latin letters.
enum class SlipCharset {
    chinese_gb18030,  // FS &, text as GB18030; a multi-byte character is printed two columns wide
    latin_wpc1252,    // FS . (leave Chinese mode: many printers start in it), ESC t 16, text as Windows-1252
};

SlipCharset charset_for_language(std::string_view language_code);

struct EscPosOptions {
    SlipCharset charset = SlipCharset::latin_wpc1252;
    int columns = 48;             // Font A (12 × 24 dots) across 576 dots of 80 mm paper; 32 for 58 mm
    int paper_width_dots = 576;   // what a QR code must fit in; 384 for 58 mm
    int qr_module_dots = 6;       // preferred QR module size (1..16); shrunk when the symbol would not fit
};

struct EncodedSlip {
    std::string bytes;               // the whole stream, ESC @ to the cut; empty when error is set
    int replaced_characters = 0;     // printed as '?': not in the charset, invalid UTF-8 or control characters
    std::string error;               // why nothing can be printed (a QR payload too long for any QR code)
    bool ok() const { return error.empty(); }
};

// Pure. Invariants: every character of the slip is either printed or counted
// in replaced_characters; a line wider than the paper is wrapped (at a space
// when there is one, else between characters), never cut off; the stream
// starts with ESC @ and ends with a cut.
EncodedSlip encode_escpos(const Slip& slip, const EscPosOptions& options);

// ---------------------------------------------------------------- the device

enum class PrinterState {
    ok,              // can print (or the device cannot report, but it is there)
    paper_low,       // can print; the roll's near-end sensor is on — tell staff
    paper_out,       // cannot print: no paper
    offline,         // cannot print: device missing, no answer, cover open, error, or a write failed
    not_configured,  // no printer_path: the kiosk has no printer; screens do not offer printing
};

const char* printer_state_name(PrinterState state);

struct PrinterStatus {
    PrinterState state = PrinterState::not_configured;
    std::string detail;      // for staff and the log, e.g. "cover open", "/dev/usb/lp0: No such file or directory"
    bool answered = false;   // the printer itself reported this (a serial printer answered DLE EOT)
    bool can_print() const { return state == PrinterState::ok || state == PrinterState::paper_low; }
};

struct PrintOutcome {
    bool printed = false;          // every byte reached the device
    PrinterStatus status;          // the status printed under (ok / paper low), or why it did not print
    int replaced_characters = 0;   // from encode_escpos
    size_t bytes_written = 0;      // less than the stream when a write failed part way: the slip may be half out
    std::string slip_error;        // encode_escpos refused the slip (a bug in the caller, not the printer); nothing sent
};

struct PrinterTimeouts {
    int64_t status_reply_ms = 500;  // per DLE EOT reply; printers answer in a few ms even while offline
    int64_t write_ms = 10'000;      // the whole stream; a slip is a few kilobytes, the slowest serial link 9600 baud
};

// The three real-time status requests and what each reply byte means
// (Epson ESC/POS, DLE EOT n). Every reply has bits 1 and 4 set and bits 0
// and 7 clear; a byte without that pattern is not an answer.
inline constexpr unsigned char kStatusRequestPrinter = 1;   // bit 3: offline
inline constexpr unsigned char kStatusRequestOffline = 2;   // bit 2: cover open; bit 5: stopped at paper end; bit 6: error
inline constexpr unsigned char kStatusRequestPaper = 4;     // bits 2+3: roll near end; bits 5+6: roll end (no paper)

PrinterStatus decode_status_replies(unsigned char printer, unsigned char offline_cause, unsigned char paper);

class ReceiptPrinter {
public:
    ReceiptPrinter(std::string device_path, Clock& clock, PrinterTimeouts timeouts = {});

    // A serial printer (the path is a tty) is asked DLE EOT 1, 2 and 4, one
    // at a time, each reply awaited at most status_reply_ms; no valid reply
    // → offline. Other devices cannot be asked over this path (a USB printer
    // file is one-way to us): the USB printer class's port status is read
    // where the driver offers it (paper empty, not selected, error), else the
    // device is ok when it opens for writing.
    PrinterStatus query_status();

    // Encodes, then query_status(), then — only when it can_print() — writes.
    // On printed == false the slip was not printed, or not completely
    // (bytes_written says how much): the caller keeps it and may offer a retry.
    PrintOutcome print(const Slip& slip, const EscPosOptions& options);

    // Opens O_WRONLY|O_NOCTTY|O_NONBLOCK|O_CLOEXEC (never creates: a missing
    // /dev/usb/lp0 must be "offline", not a new regular file), puts a tty in
    // raw mode (no LF → CR LF), and writes every byte within write_ms,
    // waiting in poll() while the device is full.
    PrintOutcome write_bytes(std::string_view bytes);

    const std::string& device_path() const { return path_; }

private:
    std::string path_;
    Clock& clock_;
    PrinterTimeouts timeouts_;
};

}  // namespace platform
