// The receipt printer: the exact ESC/POS bytes a slip becomes (checked
// against files the printer code really wrote), and the printer's status read
// from a real pseudo-terminal standing in for a serial printer.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "platform/clock.h"
#include "platform/receipt_printer.h"

using platform::EscPosOptions;
using platform::PrinterState;
using platform::ReceiptPrinter;
using platform::Slip;
using platform::SlipCharset;

namespace {

std::string bytes(std::initializer_list<int> values) {
    std::string out;
    for (int v : values) out += char(v);
    return out;
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

EscPosOptions chinese() {
    EscPosOptions options;
    options.charset = SlipCharset::chinese_gb18030;
    return options;
}
EscPosOptions latin() {
    EscPosOptions options;
    options.charset = SlipCharset::latin_wpc1252;
    return options;
}

// An empty regular file standing in for /dev/usb/lp0: what the printer code
// writes there is what a printer would receive.
struct PrinterFile {
    std::filesystem::path path;
    explicit PrinterFile(const char* name)
        : path(std::filesystem::temp_directory_path() /
               ("receipt-printer-" + std::to_string(::getpid()) + "-" + name + ".bin")) {
        std::ofstream(path, std::ios::binary | std::ios::trunc);
    }
    ~PrinterFile() { std::filesystem::remove(path); }
    std::string contents() const {
        std::ifstream in(path, std::ios::binary);
        std::stringstream s;
        s << in.rdbuf();
        return s.str();
    }
};

// The stream a slip becomes, as the printer code wrote it to a real file.
std::string printed_to_file(const Slip& slip, const EscPosOptions& options, const char* name) {
    PrinterFile file(name);
    ReceiptPrinter printer(file.path.string(), platform::system_clock());
    auto outcome = printer.print(slip, options);
    REQUIRE(outcome.printed);
    std::string written = file.contents();
    REQUIRE(written == platform::encode_escpos(slip, options).bytes);
    return written;
}

// The text lines of a stream: the bytes between line feeds, after the
// initialisation and before the cut.
std::vector<std::string> text_lines(const std::string& stream) {
    std::vector<std::string> lines;
    std::string line;
    for (char c : stream) {
        if (c == '\n') {
            lines.push_back(line);
            line.clear();
        } else {
            line += c;
        }
    }
    return lines;
}

// A serial receipt printer on the master side of a real pseudo-terminal. The
// kiosk opens the slave side by its path (/dev/pts/N) as it would open
// /dev/ttyUSB0. Each DLE EOT n request is answered with the byte set for n;
// a silent printer answers nothing. Everything received is kept.
class SerialPrinterOnPty {
public:
    SerialPrinterOnPty(unsigned char printer, unsigned char offline_cause, unsigned char paper, bool answers = true)
        : answers_{printer, offline_cause, paper}, answering_(answers) {
        char name[256] = {};
        REQUIRE(::openpty(&master_, &slave_, name, nullptr, nullptr) == 0);
        slave_path_ = name;
        // The slave stays open here for the whole test: the pty lives on
        // between the kiosk's opens, as a serial port does.
        thread_ = std::thread([this] { serve(); });
    }
    ~SerialPrinterOnPty() {
        stop_ = true;
        thread_.join();
        CHECK(failed_answers_ == 0);  // asserted here: Catch2 assertions belong on the test's own thread
        ::close(slave_);
        ::close(master_);
    }
    const std::string& path() const { return slave_path_; }

    // Waits (bounded) until at least n bytes have arrived, then returns them all.
    std::string received_at_least(size_t n) {
        std::unique_lock lock(mutex_);
        arrived_.wait_for(lock, std::chrono::seconds(5), [&] { return received_.size() >= n; });
        return received_;
    }
    std::string received() {
        std::lock_guard lock(mutex_);
        return received_;
    }

private:
    void serve() {
        size_t scanned = 0;
        // At most 10 s of 10 ms polls: a broken test ends, it does not hang.
        for (int turn = 0; turn < 1000 && !stop_; ++turn) {
            pollfd p{master_, POLLIN, 0};
            if (::poll(&p, 1, 10) <= 0 || !(p.revents & POLLIN)) continue;
            char chunk[4096];
            ssize_t n = ::read(master_, chunk, sizeof chunk);
            if (n <= 0) continue;
            std::string requests;
            {
                std::lock_guard lock(mutex_);
                received_.append(chunk, size_t(n));
                for (; scanned + 2 < received_.size(); ++scanned)
                    if (received_[scanned] == 0x10 && received_[scanned + 1] == 0x04) requests += received_[scanned + 2];
            }
            arrived_.notify_all();
            if (!answering_) continue;
            for (char request : requests) {
                unsigned char answer = request == 1 ? answers_[0] : request == 2 ? answers_[1] : answers_[2];
                if (::write(master_, &answer, 1) != 1) ++failed_answers_;
            }
        }
    }

    unsigned char answers_[3];
    bool answering_;
    int master_ = -1, slave_ = -1;
    std::string slave_path_;
    std::thread thread_;
    std::atomic<bool> stop_{false};
    std::atomic<int> failed_answers_{0};
    std::mutex mutex_;
    std::condition_variable arrived_;
    std::string received_;
};

// Reply bytes per the Epson spec: 0x12 is "nothing to report" for each request.
constexpr unsigned char kAllClear = 0x12;
constexpr unsigned char kPrinterOffline = 0x12 | 0x08;     // DLE EOT 1 bit 3
constexpr unsigned char kCoverOpen = 0x12 | 0x04;          // DLE EOT 2 bit 2
constexpr unsigned char kStoppedAtPaperEnd = 0x12 | 0x20;  // DLE EOT 2 bit 5
constexpr unsigned char kRollNearEnd = 0x12 | 0x0C;        // DLE EOT 4 bits 2 and 3
constexpr unsigned char kRollEnd = 0x12 | 0x0C | 0x60;     // DLE EOT 4 bits 5 and 6 (near end too)

const std::string kStatusRequests = bytes({0x10, 0x04, 1, 0x10, 0x04, 2, 0x10, 0x04, 4});

}  // namespace

// ------------------------------------------------------------------ the byte stream

TEST_CASE("A slip starts with ESC @ and ends with a feed and a partial cut", "[printer]") {
    Slip slip;
    slip.text("Hello").feed_and_cut(5);
    std::string stream = printed_to_file(slip, latin(), "init-cut");
    CHECK(stream.rfind(bytes({0x1B, '@'}), 0) == 0);
    CHECK(stream == bytes({0x1B, '@', 0x1C, '.', 0x1B, 't', 16}) + "Hello\n" +
                        bytes({0x1B, 'd', 5, 0x1D, 'V', 66, 0}));

    SECTION("a slip without a cut gets one: no slip is left hanging uncut") {
        Slip uncut;
        uncut.text("Hello");
        std::string s = platform::encode_escpos(uncut, latin()).bytes;
        CHECK(s.substr(s.size() - 7) == bytes({0x1B, 'd', 3, 0x1D, 'V', 66, 0}));
    }
}

TEST_CASE("A title is centred in double width and height, and the style is reset after it", "[printer]") {
    Slip slip;
    slip.title("A-017").text("x");
    std::string stream = platform::encode_escpos(slip, latin()).bytes;
    CHECK(contains(stream, bytes({0x1B, 'a', 1, 0x1D, '!', 0x11}) + "A-017\n" + bytes({0x1D, '!', 0, 0x1B, 'a', 0}) + "x\n"));
}

TEST_CASE("Chinese slips switch to Chinese mode and carry GB18030 bytes", "[printer]") {
    Slip slip;
    slip.text("内科").key_value("科室", "内科");
    std::string stream = printed_to_file(slip, chinese(), "gb18030");
    CHECK(stream.rfind(bytes({0x1B, '@', 0x1C, '&'}), 0) == 0);
    CHECK_FALSE(contains(stream, bytes({0x1B, 't'})));  // no single-byte code page in Chinese mode
    const std::string neike = bytes({0xC4, 0xDA, 0xBF, 0xC6});  // 内科 (iconv -t GB18030)
    const std::string keshi = bytes({0xBF, 0xC6, 0xCA, 0xD2});  // 科室
    const std::string fullwidth_colon = bytes({0xA3, 0xBA});     // ：
    CHECK(contains(stream, neike + "\n" + keshi + fullwidth_colon + neike + "\n"));

    SECTION("Traditional characters are in GB18030 too") {
        Slip hant;
        hant.text("醫院");
        auto encoded = platform::encode_escpos(hant, chinese());
        CHECK(contains(encoded.bytes, bytes({0xE1, 0x74, 0xD4, 0xBA}) + "\n"));
        CHECK(encoded.replaced_characters == 0);
    }
    SECTION("the language code picks the charset") {
        CHECK(platform::charset_for_language("zh-Hans") == SlipCharset::chinese_gb18030);
        CHECK(platform::charset_for_language("zh-Hant") == SlipCharset::chinese_gb18030);
        CHECK(platform::charset_for_language("en") == SlipCharset::latin_wpc1252);
        CHECK(platform::charset_for_language("es") == SlipCharset::latin_wpc1252);
    }
}

TEST_CASE("A character outside GBK goes out as a four-byte GB18030 sequence", "[printer]") {
    Slip slip;
    slip.text("𠀀");  // U+20000
    auto encoded = platform::encode_escpos(slip, chinese());
    CHECK(contains(encoded.bytes, bytes({0x95, 0x32, 0x82, 0x36}) + "\n"));
    CHECK(encoded.replaced_characters == 0);
}

TEST_CASE("Latin slips leave Chinese mode, select WPC1252 and carry the Spanish letters", "[printer]") {
    Slip slip;
    slip.key_value("Cita", "Cardiología").text("¿Señal? ¡Sí! ÁÉÍÓÚÜÑ ü");
    std::string stream = printed_to_file(slip, latin(), "wpc1252");
    CHECK(stream.rfind(bytes({0x1B, '@', 0x1C, '.', 0x1B, 't', 16}), 0) == 0);
    CHECK(contains(stream, "Cita: Cardiolog" + bytes({0xED}) + "a\n"));
    CHECK(contains(stream, bytes({0xBF}) + "Se" + bytes({0xF1}) + "al? " + bytes({0xA1}) + "S" + bytes({0xED}) + "! " +
                               bytes({0xC1, 0xC9, 0xCD, 0xD3, 0xDA, 0xDC, 0xD1}) + " " + bytes({0xFC}) + "\n"));
    CHECK(platform::encode_escpos(slip, latin()).replaced_characters == 0);
}

TEST_CASE("Characters the charset lacks print as '?' and are counted, never dropped", "[printer]") {
    SECTION("Chinese on a Latin slip") {
        Slip slip;
        slip.text("Dept 内科");
        auto encoded = platform::encode_escpos(slip, latin());
        CHECK(contains(encoded.bytes, "Dept ??\n"));
        CHECK(encoded.replaced_characters == 2);
    }
    SECTION("control characters never reach the printer as commands") {
        Slip slip;
        slip.text(std::string("a\x1B@b\x1D") + "V");
        auto encoded = platform::encode_escpos(slip, latin());
        CHECK(contains(encoded.bytes, "a?@b?V\n"));
        CHECK(encoded.replaced_characters == 2);
    }
    SECTION("invalid UTF-8") {
        Slip slip;
        slip.text("ok\xFF");
        auto encoded = platform::encode_escpos(slip, chinese());
        CHECK(contains(encoded.bytes, "ok?\n"));
        CHECK(encoded.replaced_characters == 1);
    }
}

TEST_CASE("A rule is a dashed line across the paper", "[printer]") {
    Slip slip;
    slip.rule();
    CHECK(contains(platform::encode_escpos(slip, latin()).bytes, std::string(48, '-') + "\n"));
    EscPosOptions narrow = latin();
    narrow.columns = 32;
    auto lines = text_lines(platform::encode_escpos(slip, narrow).bytes);
    REQUIRE_FALSE(lines.empty());
    CHECK(lines[0] == bytes({0x1B, '@', 0x1C, '.', 0x1B, 't', 16}) + std::string(32, '-'));
}

TEST_CASE("The QR code command carries model 2, module size, correction M and the exact length", "[printer]") {
    const std::string payload = "https://kiosk.example/booking/" + std::string(270, 'A');  // 300 bytes: pH is 1
    REQUIRE(payload.size() == 300);
    Slip slip;
    slip.qr_code(payload);
    std::string stream = printed_to_file(slip, latin(), "qr");
    const std::string expected = bytes({0x1B, 'a', 1}) +
                                 bytes({0x1D, '(', 'k', 4, 0, 49, 65, 50, 0}) +  // fn 165 model 2
                                 bytes({0x1D, '(', 'k', 3, 0, 49, 67, 6}) +      // fn 167 module 6 dots
                                 bytes({0x1D, '(', 'k', 3, 0, 49, 69, 49}) +     // fn 169 correction M
                                 bytes({0x1D, '(', 'k', 303 % 256, 303 / 256, 49, 80, 48}) + payload +  // fn 180
                                 bytes({0x1D, '(', 'k', 3, 0, 49, 81, 48}) +     // fn 181 print
                                 bytes({0x1B, 'a', 0});
    CHECK(contains(stream, expected));

    SECTION("a short payload has pH 0") {
        Slip small;
        small.qr_code("B-42");
        CHECK(contains(platform::encode_escpos(small, latin()).bytes,
                       bytes({0x1D, '(', 'k', 7, 0, 49, 80, 48}) + "B-42" + bytes({0x1D, '(', 'k', 3, 0, 49, 81, 48})));
    }
    SECTION("a large payload gets smaller modules so the symbol fits 576 dots") {
        Slip large;
        large.qr_code(std::string(2000, 'x'));  // version 38: 169 modules, 3 dots each = 507 dots
        CHECK(contains(platform::encode_escpos(large, latin()).bytes, bytes({0x1D, '(', 'k', 3, 0, 49, 67, 3})));
    }
    SECTION("a payload no QR code can hold is refused, and nothing is encoded") {
        Slip too_large;
        too_large.text("before").qr_code(std::string(2332, 'x'));
        auto encoded = platform::encode_escpos(too_large, latin());
        CHECK_FALSE(encoded.ok());
        CHECK(encoded.bytes.empty());
        CHECK(contains(encoded.error, "2332"));
    }
}

TEST_CASE("A long line wraps at 48 columns, a CJK character counting two, nothing cut off", "[printer]") {
    SECTION("Latin text breaks at spaces") {
        const std::string sentence =
            "Please take this slip to the Internal medicine desk on the second floor before your time.";
        Slip slip;
        slip.text(sentence);
        auto lines = text_lines(platform::encode_escpos(slip, latin()).bytes);
        REQUIRE(lines.size() == 2);
        CHECK(lines[0] == "\x1B@\x1C.\x1Bt\x10Please take this slip to the Internal medicine");
        CHECK(lines[1] == "desk on the second floor before your time.");
    }
    SECTION("Chinese text: 30 characters are 60 columns, so 24 and 6") {
        std::string thirty;
        for (int i = 0; i < 30; ++i) thirty += "内";
        Slip slip;
        slip.rule().text(thirty);
        auto lines = text_lines(platform::encode_escpos(slip, chinese()).bytes);
        REQUIRE(lines.size() == 3);  // rule, 24 characters, 6 characters
        CHECK(lines[1].size() == 48);
        CHECK(lines[2].size() == 12);
        CHECK(lines[1].substr(0, 2) == bytes({0xC4, 0xDA}));
    }
    SECTION("mixed: ASCII counts one, CJK two") {
        Slip slip;
        slip.rule().text(std::string(47, 'a') + "内b");  // 47 + 2 > 48: 内 starts the next line
        auto lines = text_lines(platform::encode_escpos(slip, chinese()).bytes);
        REQUIRE(lines.size() == 3);
        CHECK(lines[1] == std::string(47, 'a'));
        CHECK(lines[2] == bytes({0xC4, 0xDA}) + "b");
    }
    SECTION("a word longer than the line is broken between characters") {
        Slip slip;
        slip.rule().text(std::string(100, 'x'));
        auto lines = text_lines(platform::encode_escpos(slip, latin()).bytes);
        REQUIRE(lines.size() == 4);
        CHECK(lines[1] == std::string(48, 'x'));
        CHECK(lines[2] == std::string(48, 'x'));
        CHECK(lines[3] == std::string(4, 'x'));
    }
    SECTION("a title has half the columns") {
        Slip slip;
        slip.title("Internal medicine, second floor");  // 31 > 24
        auto stream = platform::encode_escpos(slip, latin()).bytes;
        CHECK(contains(stream, "Internal medicine,\nsecond floor\n"));
    }
    SECTION("a key/value row wraps its value under the key") {
        Slip slip;
        slip.key_value("Department", "Internal medicine and cardiology, outpatient block B");
        auto stream = platform::encode_escpos(slip, latin()).bytes;
        CHECK(contains(stream, "Department: Internal medicine and cardiology,\noutpatient block B\n"));
    }
    SECTION("newlines in the text start new lines") {
        Slip slip;
        slip.text("one\ntwo");
        CHECK(contains(platform::encode_escpos(slip, latin()).bytes, "one\ntwo\n"));
    }
}

// ------------------------------------------------------------------ status bytes

TEST_CASE("Status replies decode per the Epson DLE EOT spec", "[printer]") {
    using platform::decode_status_replies;
    CHECK(decode_status_replies(kAllClear, kAllClear, kAllClear).state == PrinterState::ok);
    CHECK(decode_status_replies(kAllClear, kAllClear, kRollNearEnd).state == PrinterState::paper_low);
    auto out = decode_status_replies(kPrinterOffline, kStoppedAtPaperEnd, kRollEnd);
    CHECK(out.state == PrinterState::paper_out);
    CHECK(out.detail == "paper out");
    auto cover = decode_status_replies(kPrinterOffline, kCoverOpen, kAllClear);
    CHECK(cover.state == PrinterState::offline);
    CHECK(cover.detail == "cover open");
    CHECK(decode_status_replies(kPrinterOffline, kAllClear, kAllClear).state == PrinterState::offline);
    CHECK(decode_status_replies(kAllClear, 0x12 | 0x40, kAllClear).state == PrinterState::offline);
    auto garbage = decode_status_replies(0xFF, kAllClear, kAllClear);
    CHECK(garbage.state == PrinterState::offline);
    CHECK(garbage.detail == "not a status reply: 0xFF");
}

// ------------------------------------------------------------------ the device

TEST_CASE("A serial printer's answers to DLE EOT are read from a real pty", "[printer][pty]") {
    SECTION("paper out") {
        SerialPrinterOnPty serial(kPrinterOffline, kStoppedAtPaperEnd, kRollEnd);
        ReceiptPrinter printer(serial.path(), platform::system_clock());
        auto status = printer.query_status();
        CHECK(status.state == PrinterState::paper_out);
        CHECK(status.answered);
        CHECK(serial.received() == kStatusRequests);
    }
    SECTION("ready") {
        SerialPrinterOnPty serial(kAllClear, kAllClear, kAllClear);
        ReceiptPrinter printer(serial.path(), platform::system_clock());
        auto status = printer.query_status();
        CHECK(status.state == PrinterState::ok);
        CHECK(status.detail == "ready");
    }
    SECTION("cover open") {
        SerialPrinterOnPty serial(kPrinterOffline, kCoverOpen, kAllClear);
        ReceiptPrinter printer(serial.path(), platform::system_clock());
        auto status = printer.query_status();
        CHECK(status.state == PrinterState::offline);
        CHECK(status.detail == "cover open");
    }
}

TEST_CASE("A serial printer that does not answer is offline once the timeout passes", "[printer][pty]") {
    SerialPrinterOnPty silent(0, 0, 0, /*answers=*/false);
    auto& clock = platform::system_clock();
    ReceiptPrinter printer(silent.path(), clock, {/*status_reply_ms=*/150, /*write_ms=*/1000});
    const int64_t start = clock.monotonic_ms();
    auto status = printer.query_status();
    const int64_t took = clock.monotonic_ms() - start;
    CHECK(status.state == PrinterState::offline);
    CHECK_FALSE(status.answered);
    CHECK(contains(status.detail, "no answer to DLE EOT 1 within 150 ms"));
    CHECK(took >= 140);
    CHECK(took < 2000);
}

TEST_CASE("Printing refuses on paper out and sends the printer nothing but the status requests", "[printer][pty]") {
    SerialPrinterOnPty serial(kPrinterOffline, kStoppedAtPaperEnd, kRollEnd);
    ReceiptPrinter printer(serial.path(), platform::system_clock());
    Slip slip;
    slip.title("A-017").qr_code("booking:42");
    auto outcome = printer.print(slip, latin());
    CHECK_FALSE(outcome.printed);
    CHECK(outcome.status.state == PrinterState::paper_out);
    CHECK(outcome.bytes_written == 0);
    CHECK(serial.received() == kStatusRequests);
}

TEST_CASE("A printer with paper near end still prints, byte for byte, and says paper low", "[printer][pty]") {
    SerialPrinterOnPty serial(kAllClear, kAllClear, kRollNearEnd);
    ReceiptPrinter printer(serial.path(), platform::system_clock());
    Slip slip;
    slip.title("A-017").text("line one\nline two").key_value("科室", "内科").qr_code("booking:42");
    auto outcome = printer.print(slip, chinese());
    CHECK(outcome.printed);
    CHECK(outcome.status.state == PrinterState::paper_low);
    const std::string stream = platform::encode_escpos(slip, chinese()).bytes;
    CHECK(outcome.bytes_written == stream.size());
    // Raw mode: the line feeds arrive as 0x0A alone, not CR LF.
    CHECK(serial.received_at_least(kStatusRequests.size() + stream.size()) == kStatusRequests + stream);
}

TEST_CASE("A serial line passes the bytes untouched even when the port was left in cooked mode", "[printer][pty]") {
    SerialPrinterOnPty serial(kAllClear, kAllClear, kAllClear, /*answers=*/false);
    ReceiptPrinter printer(serial.path(), platform::system_clock());
    const std::string stream = bytes({0x1B, '@'}) + "a\nb\r\n" + bytes({0x1D, 'V', 66, 0});
    auto outcome = printer.write_bytes(stream);
    CHECK(outcome.printed);
    CHECK(serial.received_at_least(stream.size()) == stream);
}

TEST_CASE("A printer that stops taking data times out, saying how much went", "[printer][pty]") {
    // Nobody reads the master side: the pty's buffer fills and writes block.
    char name[256] = {};
    int master = -1, slave = -1;
    REQUIRE(::openpty(&master, &slave, name, nullptr, nullptr) == 0);
    ReceiptPrinter printer(name, platform::system_clock(), {/*status_reply_ms=*/100, /*write_ms=*/200});
    const std::string huge(4 * 1024 * 1024, 'x');
    auto outcome = printer.write_bytes(huge);
    CHECK_FALSE(outcome.printed);
    CHECK(outcome.status.state == PrinterState::offline);
    CHECK(outcome.bytes_written < huge.size());
    CHECK(contains(outcome.status.detail, "timed out"));
    ::close(slave);
    ::close(master);
}

TEST_CASE("A device that is not a serial port and does not answer is present, not offline", "[printer]") {
    // /dev/null stands in for a one-way USB printer (/dev/usb/lp0): a character
    // device that takes the status request and never replies.
    auto& clock = platform::system_clock();
    ReceiptPrinter printer("/dev/null", clock, {/*status_reply_ms=*/2000, /*write_ms=*/1000});
    const int64_t start = clock.monotonic_ms();
    auto status = printer.query_status();
    CHECK(status.state == PrinterState::ok);
    CHECK_FALSE(status.answered);
    CHECK(status.detail == "device present (it does not answer status requests)");
    CHECK(clock.monotonic_ms() - start < 1000);  // end of file is an answer of sorts: no wait for the timeout
    Slip slip;
    slip.text("A-017");
    CHECK(printer.print(slip, latin()).printed);
}

TEST_CASE("A missing device is offline, an empty path is not configured", "[printer]") {
    const std::string missing =
        (std::filesystem::temp_directory_path() / ("no-printer-" + std::to_string(::getpid()))).string();
    ReceiptPrinter gone(missing, platform::system_clock());
    auto status = gone.query_status();
    CHECK(status.state == PrinterState::offline);
    CHECK(contains(status.detail, "No such file or directory"));
    Slip slip;
    slip.text("A-017");
    auto outcome = gone.print(slip, latin());
    CHECK_FALSE(outcome.printed);
    CHECK(outcome.status.state == PrinterState::offline);
    CHECK_FALSE(std::filesystem::exists(missing));  // never created in place of the device

    ReceiptPrinter none("", platform::system_clock());
    CHECK(none.query_status().state == PrinterState::not_configured);
    CHECK_FALSE(none.print(slip, latin()).printed);
    CHECK(none.print(slip, latin()).status.state == PrinterState::not_configured);
    CHECK(platform::printer_state_name(PrinterState::paper_low) == std::string("paper_low"));
}

TEST_CASE("A slip that cannot be encoded is not sent, and says why", "[printer]") {
    PrinterFile file("refused");
    ReceiptPrinter printer(file.path.string(), platform::system_clock());
    Slip slip;
    slip.qr_code("");
    auto outcome = printer.print(slip, latin());
    CHECK_FALSE(outcome.printed);
    CHECK(outcome.slip_error == "a QR code needs a payload");
    CHECK(file.contents().empty());
}
