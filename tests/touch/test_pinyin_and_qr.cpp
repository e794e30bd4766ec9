// Pinyin with a real engine (libgooglepinyin + OpenCC), and QR codes that a
// real decoder (zbar) reads back.
#include <catch2/catch.hpp>

#include <zbar.h>

#include <algorithm>

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

TEST_CASE("In Traditional Chinese mode the output is Traditional", "[touch][pinyin]") {
    auto engine = open_engine(true);
    type(*engine, "yisheng");
    CHECK(offers(*engine, "醫生", 5));
    CHECK_FALSE(offers(*engine, "医生", 5));
}

TEST_CASE("Only one pinyin engine at a time: its decoder is process-global", "[touch][pinyin]") {
    auto engine = open_engine(false);
    std::string error;
    CHECK_FALSE(PinyinInput::open(false, &error));
    CHECK(error.find("already open") != std::string::npos);
}

TEST_CASE("The next guest is not offered what the previous one chose", "[touch][pinyin]") {
    auto engine = open_engine(false);
    auto all = [&] { return engine->candidates(0, engine->candidate_count()); };
    type(*engine, "shishi");
    const auto fresh = all();

    // A guest builds an unusual phrase syllable by syllable: one character for
    // the first "shi", the eighth candidate for the second.
    size_t single = 0;
    while (single < fresh.size() && fresh[single].size() != 3) ++single;  // one CJK character = 3 bytes
    REQUIRE(single < fresh.size());
    CHECK(engine->choose(single).empty());
    std::string phrase = engine->choose(7);
    REQUIRE(phrase.size() == 6);
    REQUIRE(std::find(fresh.begin(), fresh.end(), phrase) == fresh.end());  // not a word the engine knew

    type(*engine, "shishi");
    auto learned = all();
    CHECK(std::find(learned.begin(), learned.end(), phrase) != learned.end());  // the engine learned it

    REQUIRE(engine->reset_for_new_guest());
    type(*engine, "shishi");
    auto next_guest = all();
    CHECK(std::find(next_guest.begin(), next_guest.end(), phrase) == next_guest.end());
    CHECK(next_guest == fresh);  // the next guest meets the same engine as the first
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
}
