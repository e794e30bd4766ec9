// platform/image_decode.h — PNG/JPEG bytes to RGBA pixels, defensively (stb_image from libstb-dev).
//
// Pictures come from the CRM: a wrong type, corrupt bytes or a "decompression
// bomb" (a small file that claims 30000×30000 pixels) must cost a log line,
// never a crash or a gigabyte. So the checks run in order, cheapest first:
// byte size, the PNG/JPEG signature, the dimensions in the header (before any
// pixel is decoded), then the decode itself. A picture larger than the screen
// needs is scaled down once here, so textures stay small.
//
// Index
//   ImageLimits                       byte, dimension and pixel-count limits; the largest side kept after scaling
//   DecodedImage                      width, height, RGBA pixels (4 bytes each, rows top to bottom)
//   decode_image(bytes, limits, &why) the pixels, or nullopt and why not (one line, for the log)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace platform {

struct ImageLimits {
    size_t max_bytes = 2 << 20;
    int max_width = 4096;
    int max_height = 4096;
    int64_t max_pixels = 12'000'000;
    int max_side_kept = 1280;  // wider or taller pictures are scaled down to this (aspect kept)
};

struct DecodedImage {
    int width = 0;
    int height = 0;
    std::vector<unsigned char> rgba;
};

std::optional<DecodedImage> decode_image(std::string_view bytes, const ImageLimits& limits, std::string* why);

}  // namespace platform
