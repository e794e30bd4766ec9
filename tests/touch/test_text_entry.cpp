// What guests type: always valid UTF-8, within a visible limit, refused whole
// when it does not fit; keyboards as data; scanners told from people.
#include <catch2/catch.hpp>

#include <set>

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

TEST_CASE("The number pad has every digit once; shuffled pads differ", "[touch][keyboard]") {
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

TEST_CASE("A fast burst ending with Enter is one scan", "[touch][scanner]") {
    ScannerWedge wedge;
    std::vector<WedgeOutput> out;
    int64_t t = 1000;
    for (char c : std::string("6200123412341234")) {
        auto part = wedge.text(std::string(1, c), t);
        out.insert(out.end(), part.begin(), part.end());
        t += 8;
    }
    CHECK(out.empty());  // nothing leaks out as typing while the burst runs
    auto end = wedge.enter(t);
    REQUIRE(end.size() == 1);
    CHECK(end[0].kind == WedgeOutput::Kind::scanned);
    CHECK(end[0].text == "6200123412341234");
    CHECK(wedge.ms_until_flush(t) == -1);
}

TEST_CASE("A person typing is not a scan, and their keys pass through", "[touch][scanner]") {
    ScannerWedge wedge;
    std::string typed;
    int64_t t = 0;
    for (char c : std::string("1234")) {
        for (auto& o : wedge.text(std::string(1, c), t))
            if (o.kind == WedgeOutput::Kind::typed) typed += o.text;
        t += 150;  // people press keys every 100–300 ms
    }
    bool enter_seen = false;
    for (auto& o : wedge.enter(t)) {
        if (o.kind == WedgeOutput::Kind::typed) typed += o.text;
        if (o.kind == WedgeOutput::Kind::enter) enter_seen = true;
        CHECK(o.kind != WedgeOutput::Kind::scanned);
    }
    CHECK(typed == "1234");
    CHECK(enter_seen);
}

TEST_CASE("A key held back as a possible scan is released after a pause", "[touch][scanner]") {
    ScannerWedge wedge;
    CHECK(wedge.text("a", 100).empty());
    CHECK(wedge.ms_until_flush(100) == 36);
    CHECK(wedge.flush(120).empty());
    auto out = wedge.flush(136);
    REQUIRE(out.size() == 1);
    CHECK(out[0].text == "a");
}

TEST_CASE("A short fast burst is not a scan", "[touch][scanner]") {
    ScannerWedge wedge;
    wedge.text("1", 0);
    wedge.text("2", 5);
    auto out = wedge.enter(10);
    REQUIRE(out.size() == 2);
    CHECK(out[0].kind == WedgeOutput::Kind::typed);
    CHECK(out[1].kind == WedgeOutput::Kind::enter);
}
