// What guests type: always valid UTF-8, within a visible limit, refused whole
// when it does not fit; keyboards as data; scanners told from people.
#include <catch2/catch.hpp>

#include <set>

#include "platform/clock.h"

#include "touch/keyboard_layout.h"
#include "touch/scanner_wedge.h"
#include "touch/text_field.h"

using namespace kiosk;

TEST_CASE("A text field counts characters, not bytes, and refuses what does not fit", "[touch][text]") {
    TextField field(5);
    CHECK(field.insert("医生") == TextField::Edit::ok);
    CHECK(field.insert("ñü") == TextField::Edit::ok);
    CHECK(field.length() == 4);
    CHECK(field.insert("ab") == TextField::Edit::too_long);  // refused whole, not cut to "a"
    CHECK(field.text() == "医生ñü");
    CHECK(field.insert("😀") == TextField::Edit::ok);
    CHECK(field.length() == 5);
}

TEST_CASE("Backspace removes one whole character, never half of one", "[touch][text]") {
    TextField field(10);
    field.insert("a医😀");
    REQUIRE(field.backspace());
    CHECK(field.text() == "a医");
    REQUIRE(field.backspace());
    CHECK(field.text() == "a");
    REQUIRE(field.backspace());
    CHECK_FALSE(field.backspace());
    CHECK(field.length() == 0);
}

TEST_CASE("Invalid UTF-8 and control characters are refused", "[touch][text]") {
    TextField field(100);
    CHECK(field.insert("\xC3\x28") == TextField::Edit::invalid);
    CHECK(field.insert("\xED\xA0\x80") == TextField::Edit::invalid);  // a lone surrogate
    CHECK(field.insert("line\x1b[31m") == TextField::Edit::invalid);  // an escape sequence
    CHECK(field.insert("a\rb") == TextField::Edit::invalid);
    CHECK(field.length() == 0);
}

TEST_CASE("A PIN field shows dots", "[touch][text]") {
    TextField pin(6, true);
    pin.insert("2468");
    CHECK(pin.display() == "••••");
    CHECK(pin.text() == "2468");
}

TEST_CASE("A key press adds one character — impossible code points are refused", "[touch][text]") {
    TextField field(3);
    CHECK(field.insert_code_point(U'ñ') == TextField::Edit::ok);
    CHECK(field.insert_code_point(0x533B) == TextField::Edit::ok);  // 医
    CHECK(field.text() == "ñ医");
    CHECK(field.insert_code_point(0xD800) == TextField::Edit::invalid);    // a surrogate is not a character
    CHECK(field.insert_code_point(0x110000) == TextField::Edit::invalid);  // past Unicode
    CHECK(field.insert_code_point(0x1B) == TextField::Edit::invalid);      // ESC
    CHECK(field.insert_code_point('a') == TextField::Edit::ok);
    CHECK(field.remaining() == 0);
    CHECK(field.insert_code_point('b') == TextField::Edit::too_long);
    CHECK(field.text() == "ñ医a");
}

TEST_CASE("Backspace takes an accent or an emoji sequence with its character", "[touch][text]") {
    TextField field(20);
    REQUIRE(field.insert("ae\xCC\x81") == TextField::Edit::ok);  // a, e + combining acute = "aé"
    CHECK(field.length() == 3);                                    // the limit counts code points
    REQUIRE(field.backspace());
    CHECK(field.text() == "a");  // no bare accent left behind
    CHECK(field.length() == 1);

    // Woman health worker: 👩 U+200D ⚕ U+FE0F — one character on screen.
    REQUIRE(field.insert("\xF0\x9F\x91\xA9\xE2\x80\x8D\xE2\x9A\x95\xEF\xB8\x8F") == TextField::Edit::ok);
    REQUIRE(field.backspace());
    CHECK(field.text() == "a");
    CHECK(field.length() == 1);
}

TEST_CASE("The check a field makes is available to screens", "[touch][text]") {
    CHECK(is_acceptable_text("Señora Núñez, 医生"));
    CHECK(is_acceptable_text("two\nlines"));  // newline and tab are text, as platform/utf8.h defines
    CHECK_FALSE(is_acceptable_text("\xFF"));
    CHECK_FALSE(is_acceptable_text("\xC0\xAF"));  // an overlong '/'
    CHECK_FALSE(is_acceptable_text("bell\x07"));
    CHECK_FALSE(is_acceptable_text("c1\xC2\x9B"));  // U+009B, the C1 escape
}

TEST_CASE("A masked field shows one dot per character, whatever the character", "[touch][text]") {
    TextField pin(6, true);
    pin.insert("12");
    pin.insert_code_point('3');
    CHECK(pin.display() == "•••");
    pin.backspace();
    CHECK(pin.display() == "••");
    TextField plain(6);
    plain.insert("12");
    CHECK(plain.display() == "12");
}

TEST_CASE("The number pad has every digit once — shuffled pads differ", "[touch][keyboard]") {
    auto digits_of = [](const std::vector<KeyRow>& rows) {
        std::string order;
        for (auto& row : rows)
            for (auto& key : row)
                if (key.action == KeyAction::insert) order += key.text;
        return order;
    };
    std::string plain = digits_of(number_pad(0));
    CHECK(plain == "1234567890");
    std::set<std::string> orders;
    for (uint32_t seed = 1; seed <= 20; ++seed) {
        std::string order = digits_of(number_pad(seed));
        CHECK(std::multiset<char>(order.begin(), order.end()) == std::multiset<char>(plain.begin(), plain.end()));
        orders.insert(order);
    }
    CHECK(orders.size() > 15);
}

TEST_CASE("The Latin keyboard has what Spanish needs", "[touch][keyboard]") {
    std::string accents;
    for (auto& row : latin_keyboard(LatinLayer::accents))
        for (auto& key : row) accents += key.text;
    for (const char* c : {"ñ", "á", "é", "í", "ó", "ú", "ü", "¿", "¡", "Ñ"}) CHECK(accents.find(c) != std::string::npos);
    auto upper = latin_keyboard(LatinLayer::upper);
    CHECK(upper[0][0].text == "Q");
}

TEST_CASE("A shuffled pad keeps backspace and OK where fingers expect them", "[touch][keyboard]") {
    for (uint32_t seed : {0u, 1u, 7u, 0xDEADBEEFu}) {
        auto pad = number_pad(seed);
        REQUIRE(pad.size() == 4);
        for (auto& row : pad) CHECK(row.size() == 3);
        CHECK(pad[3][0].action == KeyAction::backspace);
        CHECK(pad[3][2].action == KeyAction::done);
    }
    CHECK(number_pad(42) == number_pad(42));  // the seed alone decides the order
}

TEST_CASE("Every key of every keyboard says what it does", "[touch][keyboard]") {
    std::vector<std::vector<KeyRow>> keyboards = {number_pad(0), latin_keyboard(LatinLayer::lower),
                                                  latin_keyboard(LatinLayer::upper), latin_keyboard(LatinLayer::accents),
                                                  pinyin_keyboard(), code_keyboard()};
    for (auto& keyboard : keyboards) {
        std::set<KeyAction> actions;
        for (auto& row : keyboard)
            for (auto& key : row) {
                actions.insert(key.action);
                CHECK_FALSE(key.label.empty());
                CHECK(key.width > 0);
                if (key.action == KeyAction::insert) {
                    CHECK(is_acceptable_text(key.text));
                    CHECK_FALSE(key.text.empty());
                }
            }
        CHECK(actions.count(KeyAction::backspace) == 1);
        CHECK(actions.count(KeyAction::done) == 1);
    }
    std::string lower;
    for (auto& row : latin_keyboard(LatinLayer::lower))
        for (auto& key : row) {
            lower += key.text;
            if (key.action == KeyAction::space) CHECK(key.text == " ");
        }
    for (char c = 'a'; c <= 'z'; ++c) CHECK(lower.find(c) != std::string::npos);
    // Tickets and booking codes (K-7KQ4-M2XD) type on the code keyboard in every language.
    std::string code;
    for (auto& row : code_keyboard())
        for (auto& key : row) code += key.text;
    for (char c : std::string("0123456789ABCDEFGHJKMNPQRSTVWXYZ-")) CHECK(code.find(c) != std::string::npos);
}

namespace {
// Feeds characters as a device would, one every gap_ms on the clock, and
// collects what the wedge lets out.
struct WedgeRig {
    platform::ManualClock clock;
    ScannerWedge wedge;
    std::vector<WedgeOutput> out;

    explicit WedgeRig(WedgeTuning tuning = {}) : wedge(tuning) {}
    void keys(const std::string& chars, int gap_ms) {
        for (char c : chars) {
            clock.advance(gap_ms);
            collect(wedge.text(std::string(1, c), clock.monotonic_ms()));
        }
    }
    void enter(int gap_ms) {
        clock.advance(gap_ms);
        collect(wedge.enter(clock.monotonic_ms()));
    }
    // What the App does when the event wait times out.
    void idle(int ms) {
        clock.advance(ms);
        collect(wedge.flush(clock.monotonic_ms()));
    }
    void collect(const std::vector<WedgeOutput>& part) { out.insert(out.end(), part.begin(), part.end()); }
    std::string typed() const {
        std::string all;
        for (auto& o : out)
            if (o.kind == WedgeOutput::Kind::typed) all += o.text;
        return all;
    }
    size_t count(WedgeOutput::Kind kind) const {
        size_t n = 0;
        for (auto& o : out) n += o.kind == kind;
        return n;
    }
};
}  // namespace

TEST_CASE("A fast burst ending with Enter is one scan", "[touch][scanner]") {
    WedgeRig rig;
    rig.keys("6200123412341234", 8);  // a card reader: a key every 8 ms
    CHECK(rig.out.empty());           // nothing leaks out as typing while the burst runs
    rig.enter(8);
    REQUIRE(rig.out.size() == 1);
    CHECK(rig.out[0].kind == WedgeOutput::Kind::scanned);
    CHECK(rig.out[0].text == "6200123412341234");
    CHECK(rig.wedge.ms_until_flush(rig.clock.monotonic_ms()) == -1);  // nothing held
}

TEST_CASE("A QR scan of UTF-8 text is one scan, whole", "[touch][scanner]") {
    WedgeRig rig;
    for (const char* piece : {"K", "-", "医", "生", "-", "4", "2"}) {
        rig.clock.advance(5);
        rig.collect(rig.wedge.text(piece, rig.clock.monotonic_ms()));
    }
    rig.enter(5);
    REQUIRE(rig.out.size() == 1);
    CHECK(rig.out[0].kind == WedgeOutput::Kind::scanned);
    CHECK(rig.out[0].text == "K-医生-42");
}

TEST_CASE("A person typing is not a scan, and their keys pass through", "[touch][scanner]") {
    WedgeRig rig;
    rig.keys("1234", 150);  // people press keys every 100–300 ms
    rig.enter(150);
    CHECK(rig.count(WedgeOutput::Kind::scanned) == 0);
    CHECK(rig.typed() == "1234");
    REQUIRE_FALSE(rig.out.empty());
    CHECK(rig.out.back().kind == WedgeOutput::Kind::enter);  // and Enter after them
}

TEST_CASE("A key held back as a possible scan is released after a pause", "[touch][scanner]") {
    WedgeRig rig;
    rig.keys("a", 0);
    CHECK(rig.out.empty());
    const int64_t wait = rig.wedge.ms_until_flush(rig.clock.monotonic_ms());
    CHECK(wait == 36);  // max_gap_ms + 1: the App's event wait times out then
    rig.idle(20);
    CHECK(rig.out.empty());  // still could be a scanner
    rig.idle(int(wait) - 20);
    CHECK(rig.typed() == "a");
}

TEST_CASE("A short fast burst is not a scan", "[touch][scanner]") {
    WedgeRig rig;
    rig.keys("12", 5);
    rig.enter(5);
    REQUIRE(rig.out.size() == 2);
    CHECK(rig.out[0].kind == WedgeOutput::Kind::typed);
    CHECK(rig.out[0].text == "12");
    CHECK(rig.out[1].kind == WedgeOutput::Kind::enter);
}

TEST_CASE("Fast keys that pause before Enter are typing", "[touch][scanner]") {
    WedgeRig rig;
    rig.keys("123456", 10);
    rig.enter(400);  // someone pressed Enter after a while
    CHECK(rig.count(WedgeOutput::Kind::scanned) == 0);
    CHECK(rig.typed() == "123456");
}

TEST_CASE("A scan right after typing keeps the two apart", "[touch][scanner]") {
    WedgeRig rig;
    rig.keys("ab", 200);      // a person
    rig.idle(200);            // looks at the reader
    rig.keys("K-000042", 6);  // and scans a card
    rig.enter(6);
    CHECK(rig.typed() == "ab");
    REQUIRE(rig.count(WedgeOutput::Kind::scanned) == 1);
    CHECK(rig.out.back().text == "K-000042");
}

TEST_CASE("A burst longer than the longest read is typing", "[touch][scanner]") {
    WedgeTuning tuning;
    tuning.max_burst_ms = 100;
    WedgeRig rig(tuning);
    rig.keys(std::string(30, '7'), 10);  // 300 ms of fast keys: a held-down key, not a card
    rig.enter(10);
    CHECK(rig.count(WedgeOutput::Kind::scanned) == 0);
    CHECK(rig.typed() == std::string(30, '7'));
}

TEST_CASE("Thresholds are configurable: a slow scanner", "[touch][scanner]") {
    WedgeTuning tuning;
    tuning.max_gap_ms = 60;
    tuning.min_length = 6;
    WedgeRig slow(tuning);
    slow.keys("ABC123", 50);
    slow.enter(50);
    CHECK(slow.count(WedgeOutput::Kind::scanned) == 1);

    WedgeRig default_rig;  // the same timing with the defaults is a person
    default_rig.keys("ABC123", 50);
    default_rig.enter(50);
    CHECK(default_rig.count(WedgeOutput::Kind::scanned) == 0);
    CHECK(default_rig.typed() == "ABC123");
}

TEST_CASE("Enter with nothing held is just Enter", "[touch][scanner]") {
    WedgeRig rig;
    rig.enter(100);
    REQUIRE(rig.out.size() == 1);
    CHECK(rig.out[0].kind == WedgeOutput::Kind::enter);
}

// Issue 14, fault 6: a card number was shown in full while typed.
TEST_CASE("A card field shows only the last 4 digits while typed", "[touch][text]") {
    TextField card(19, true);
    card.show_last(4);
    card.insert("62");
    CHECK(card.display() == "62");
    card.insert("00000000000003");
    CHECK(card.display() == "••••••••••••0003");
    CHECK(card.text() == "6200000000000003");  // only the drawing is masked
    card.backspace();
    CHECK(card.display() == "•••••••••••0000");
}
