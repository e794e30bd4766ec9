// Promotion pictures from the CRM are decoded defensively: a wrong type,
// corrupt bytes or a header claiming huge dimensions is refused with a reason,
// before any large allocation, and never crashes.
#include <catch2/catch.hpp>

#include <cstring>
#include <vector>

#include "platform/image_decode.h"
#include "platform/png_writer.h"

using namespace platform;

namespace {

std::string png_of(int w, int h) {
    std::vector<unsigned char> rgba(size_t(w) * size_t(h) * 4, 0);
    for (size_t i = 0; i < rgba.size(); i += 4) rgba[i] = 200, rgba[i + 3] = 255;
    return encode_png_rgba(w, h, rgba.data());
}

// The same PNG with the dimensions in its IHDR chunk rewritten: a small file
// that claims to be enormous (stb_image does not check the chunk's CRC).
std::string claims_size(std::string png, uint32_t w, uint32_t h) {
    auto put = [&](size_t at, uint32_t v) {
        png[at] = char(v >> 24), png[at + 1] = char(v >> 16), png[at + 2] = char(v >> 8), png[at + 3] = char(v);
    };
    put(16, w);  // 8 signature + 4 length + 4 "IHDR"
    put(20, h);
    return png;
}

}  // namespace

TEST_CASE("A PNG within the limits decodes to RGBA pixels") {
    std::string why;
    auto image = decode_image(png_of(64, 36), ImageLimits{}, &why);
    INFO(why);
    REQUIRE(image);
    CHECK(image->width == 64);
    CHECK(image->height == 36);
    REQUIRE(image->rgba.size() == 64u * 36u * 4u);
    CHECK(int(image->rgba[0]) == 200);
    CHECK(int(image->rgba[3]) == 255);
}

TEST_CASE("A picture larger than the screen needs is scaled down, aspect kept") {
    ImageLimits limits;
    limits.max_side_kept = 100;
    std::string why;
    auto image = decode_image(png_of(400, 200), limits, &why);
    REQUIRE(image);
    CHECK(image->width == 100);
    CHECK(image->height == 50);
    CHECK(image->rgba.size() == 100u * 50u * 4u);
}

TEST_CASE("Corrupt bytes behind a PNG signature are refused, not decoded") {
    std::string why;
    CHECK_FALSE(decode_image(std::string("\x89PNG\r\n\x1a\n", 8) + "this is not a picture", ImageLimits{}, &why));
    CHECK_FALSE(why.empty());
    // A real PNG cut short.
    std::string cut = png_of(64, 64);
    cut.resize(cut.size() / 2);
    why.clear();
    CHECK_FALSE(decode_image(cut, ImageLimits{}, &why));
    CHECK_FALSE(why.empty());
}

TEST_CASE("A header claiming huge dimensions is refused before decoding") {
    std::string why;
    // So large that stb_image itself refuses the header.
    CHECK_FALSE(decode_image(claims_size(png_of(8, 8), 30000, 30000), ImageLimits{}, &why));
    CHECK_FALSE(why.empty());
    // Readable, but over the kiosk's own limit: refused by the header alone.
    why.clear();
    CHECK_FALSE(decode_image(claims_size(png_of(8, 8), 5000, 5000), ImageLimits{}, &why));
    CHECK(why.find("5000x5000") != std::string::npos);
    // Within each side's limit but too many pixels in all.
    ImageLimits limits;
    limits.max_pixels = 1000;
    CHECK_FALSE(decode_image(png_of(40, 40), limits, &why));
}

TEST_CASE("Only PNG and JPEG are accepted, and only up to the byte limit") {
    std::string why;
    CHECK_FALSE(decode_image("GIF89a\x01\x00\x01\x00", ImageLimits{}, &why));
    CHECK(why == "not a PNG or JPEG");
    CHECK_FALSE(decode_image("", ImageLimits{}, &why));
    ImageLimits small;
    small.max_bytes = 10;
    CHECK_FALSE(decode_image(png_of(16, 16), small, &why));
    CHECK(why.find("over the limit") != std::string::npos);
}
