// Pinyin with a real engine (libgooglepinyin + OpenCC), and QR codes that a
// real decoder (zbar) reads back.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zbar.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "touch/pinyin_input.h"
#include "touch/qr_code.h"

using namespace kiosk;

namespace {
std::unique_ptr<PinyinInput> open_engine(bool traditional) {
    std::string error;
    auto engine = PinyinInput::open(traditional, &error);
    INFO(error);
    REQUIRE(engine);
    return engine;
}

void type(PinyinInput& engine, const std::string& letters) {
    for (char c : letters) REQUIRE(engine.add_letter(c));
}

bool offers(PinyinInput& engine, const std::string& word, size_t within) {
    auto first = engine.candidates(0, within);
    return std::find(first.begin(), first.end(), word) != first.end();
}

std::string decode_qr(const std::vector<uint8_t>& gray, int side) {
    using namespace zbar;  // zbar.h puts its C API in a namespace when compiled as C++
    zbar_image_scanner_t* scanner = zbar_image_scanner_create();
    zbar_image_scanner_set_config(scanner, ZBAR_NONE, ZBAR_CFG_ENABLE, 1);
    // The bytes as encoded: without this zbar guesses a legacy charset for Chinese.
    zbar_image_scanner_set_config(scanner, ZBAR_QRCODE, ZBAR_CFG_BINARY, 1);
    zbar_image_t* image = zbar_image_create();
    zbar_image_set_format(image, zbar_fourcc('Y', '8', '0', '0'));
    zbar_image_set_size(image, unsigned(side), unsigned(side));
    zbar_image_set_data(image, gray.data(), gray.size(), nullptr);
    std::string text;
    if (zbar_scan_image(scanner, image) > 0) {
        const zbar_symbol_t* symbol = zbar_image_first_symbol(image);
        text.assign(zbar_symbol_get_data(symbol), zbar_symbol_get_data_length(symbol));
    }
    zbar_image_destroy(image);
    zbar_image_scanner_destroy(scanner);
    return text;
}
}  // namespace

TEST_CASE("Typing pinyin offers the characters", "[touch][pinyin]") {
    auto engine = open_engine(false);
    type(*engine, "yisheng");
    CHECK(engine->spelling() == "yisheng");
    CHECK(engine->candidate_count() > 1);
    CHECK(offers(*engine, "医生", 5));
    engine->backspace();
    CHECK(engine->spelling() == "yishen");

    SECTION("choosing the whole phrase commits it") {
        engine->backspace();
        engine->backspace();
        engine->backspace();
        engine->backspace();
        engine->backspace();
        engine->backspace();
        type(*engine, "nihao");
        auto first = engine->candidates(0, 5);
        REQUIRE_FALSE(first.empty());
        CHECK(first[0] == "你好");
        CHECK(engine->choose(0) == "你好");
        CHECK(engine->spelling().empty());
        CHECK(engine->candidate_count() == 0);
    }
}

TEST_CASE("Choosing part of a spelling converts the rest next", "[touch][pinyin]") {
    auto engine = open_engine(false);
    type(*engine, "yishenghushi");
    // Find the single word 医生 among the candidates and choose it.
    auto all = engine->candidates(0, engine->candidate_count());
    auto it = std::find(all.begin(), all.end(), "医生");
    REQUIRE(it != all.end());
    CHECK(engine->choose(size_t(it - all.begin())).empty());  // 护士 is still pinyin
    auto rest = engine->candidates(0, 5);
    REQUIRE_FALSE(rest.empty());
    CHECK(rest[0].rfind("医生", 0) == 0);  // candidates now show the fixed part
}

TEST_CASE("After a partial choice the composition shows characters, then the pinyin left", "[touch][pinyin]") {
    auto engine = open_engine(false);
    type(*engine, "yishenghushi");
    CHECK(engine->composition() == "yishenghushi");  // nothing chosen yet
    auto all = engine->candidates(0, engine->candidate_count());
    auto it = std::find(all.begin(), all.end(), "医生");
    REQUIRE(it != all.end());
    REQUIRE(engine->choose(size_t(it - all.begin())).empty());
    CHECK(engine->composition() == "医生hushi");
    CHECK(offers(*engine, "医生护士", 3));

    // Backspace edits the pinyin still being typed and keeps what was chosen.
    REQUIRE(engine->backspace());
    CHECK(engine->composition() == "医生hush");
    REQUIRE(engine->backspace());
    REQUIRE(engine->backspace());
    REQUIRE(engine->backspace());
    CHECK(engine->composition() == "医生h");

    // The rest converts and the whole phrase comes out at once.
    type(*engine, "ushi");
    std::string text = engine->choose(0);
    CHECK(text.rfind("医生", 0) == 0);
    CHECK(text.size() == 12);  // four characters of three bytes
    CHECK(engine->composition().empty());
}

TEST_CASE("Candidates come a page at a time", "[touch][pinyin]") {
    auto engine = open_engine(false);
    CHECK(engine->page_count(8) == 0);  // nothing typed, nothing offered
    type(*engine, "shi");
    const size_t total = engine->candidate_count();
    REQUIRE(total > 16);
    const size_t pages = engine->page_count(8);
    CHECK(pages == (total + 7) / 8);
    CHECK(engine->page(0, 8) == engine->candidates(0, 8));
    CHECK(engine->page(1, 8) == engine->candidates(8, 8));
    CHECK(engine->page(1, 8) != engine->page(0, 8));
    auto last = engine->page(pages - 1, 8);
    CHECK_FALSE(last.empty());
    CHECK(last.size() == total - (pages - 1) * 8);
    CHECK(engine->page(pages, 8).empty());  // past the end: nothing, not a crash
    CHECK(engine->page(0, 0).empty());

    // Choosing on page 2 means choosing index page × size + position.
    auto second_page = engine->page(1, 8);
    CHECK(engine->choose(8 + 2) == second_page[2]);
}

TEST_CASE("In Traditional Chinese mode the output is Traditional", "[touch][pinyin]") {
    auto engine = open_engine(true);
    type(*engine, "yisheng");
    CHECK(offers(*engine, "醫生", 5));
    CHECK_FALSE(offers(*engine, "医生", 5));
    auto first = engine->candidates(0, 5);
    auto it = std::find(first.begin(), first.end(), "醫生");
    REQUIRE(it != first.end());
    CHECK(engine->choose(size_t(it - first.begin())) == "醫生");  // what is committed is Traditional too

    // A session switching language switches the output from the next word on.
    engine->set_traditional(false);
    type(*engine, "yisheng");
    CHECK(offers(*engine, "医生", 5));
    engine->set_traditional(true);
    CHECK(offers(*engine, "醫生", 5));
}

TEST_CASE("The engine keeps nothing a guest typed: no learning and no file", "[touch][pinyin]") {
    auto engine = open_engine(false);
    auto all = [&] { return engine->candidates(0, engine->candidate_count()); };
    type(*engine, "shishi");
    const auto fresh = all();
    // A guest composes an unusual phrase syllable by syllable.
    size_t single = 0;
    while (single < fresh.size() && fresh[single].size() != 3) ++single;
    REQUIRE(single < fresh.size());
    CHECK(engine->choose(single).empty());
    std::string phrase = engine->choose(7);
    REQUIRE(phrase.size() == 6);
    REQUIRE(std::find(fresh.begin(), fresh.end(), phrase) == fresh.end());
    // Even within the session the engine has not learned it: nothing to carry to the next guest.
    type(*engine, "shishi");
    CHECK(all() == fresh);
    // And nothing was written anywhere: the engine has no user dictionary.
    CHECK_FALSE(std::filesystem::exists("/dev/null/kiosk-pinyin-learns-nothing"));
}

TEST_CASE("Only one pinyin engine at a time: its decoder is process-global", "[touch][pinyin]") {
    auto engine = open_engine(false);
    std::string error;
    CHECK_FALSE(PinyinInput::open(false, &error));
    CHECK(error.find("already open") != std::string::npos);
}

TEST_CASE("The next guest meets the same engine as the first", "[touch][pinyin]") {
    auto engine = open_engine(false);
    auto all = [&] { return engine->candidates(0, engine->candidate_count()); };
    type(*engine, "shishi");
    const auto fresh = all();
    CHECK(engine->choose(0).size() > 0);
    type(*engine, "yish");  // a half-typed word left behind
    engine->reset_for_new_guest();
    CHECK(engine->spelling().empty());
    CHECK(engine->candidate_count() == 0);
    type(*engine, "shishi");
    CHECK(all() == fresh);
}

TEST_CASE("A QR code decodes back to its text", "[touch][qr]") {
    for (std::string text : {std::string("K-lobby-1-000042"), std::string("https://kiosk.example/complaint?t=K-7-31"),
                             std::string("投诉编号 K-lobby-1-000042")}) {
        auto code = encode_qr(text);
        REQUIRE(code);
        CHECK(code->size >= 21);
        int side = 0;
        auto gray = render_qr_gray(*code, 4, 4, &side);
        CHECK(side == (code->size + 8) * 4);
        CHECK(decode_qr(gray, side) == text);
    }
}

TEST_CASE("Text too long for any QR code is refused", "[touch][qr]") {
    CHECK_FALSE(encode_qr(std::string(4000, 'x')));
    CHECK_FALSE(encode_qr(""));
}

TEST_CASE("A QR image leaves the quiet zone light and scales cleanly", "[touch][qr]") {
    const std::string url = "https://kiosk.example/booking?ref=B-2026-000731";
    auto code = encode_qr(url);
    REQUIRE(code);
    CHECK(code->side_with_quiet_zone() == code->size + 8);
    CHECK(code->is_dark(0, 0));  // a finder pattern's corner
    for (int scale : {2, 3, 7}) {
        int side = 0;
        auto gray = render_qr_gray(*code, scale, QrCode::quiet_zone_modules, &side);
        REQUIRE(gray.size() == size_t(side) * size_t(side));
        const int margin = QrCode::quiet_zone_modules * scale;
        bool margin_light = true;
        for (int y = 0; y < side; ++y)
            for (int x = 0; x < side; ++x)
                if ((x < margin || y < margin || x >= side - margin || y >= side - margin) && gray[size_t(y * side + x)] != 255)
                    margin_light = false;
        CHECK(margin_light);
        CHECK(gray[size_t(margin * side + margin)] == 0);  // the first module starts right after the margin
        CHECK(decode_qr(gray, side) == url);
    }
    int side = -1;
    CHECK(render_qr_gray(*code, 0, -3, &side).size() == size_t(code->size) * size_t(code->size));  // clamped: 1 px, no margin
}

TEST_CASE("More error correction makes a bigger code that still reads", "[touch][qr]") {
    const std::string text = "投诉编号 K-lobby-1-000042 医生";
    auto low = encode_qr(text, QrErrorCorrection::low);
    auto medium = encode_qr(text);
    auto high = encode_qr(text, QrErrorCorrection::high);
    REQUIRE((low && medium && high));
    CHECK(low->size <= medium->size);
    CHECK(medium->size < high->size);
    int side = 0;
    auto gray = render_qr_gray(*high, 4, 4, &side);
    CHECK(decode_qr(gray, side) == text);
}
