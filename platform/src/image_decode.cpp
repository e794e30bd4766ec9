#include "platform/image_decode.h"

#include <stb/stb_image.h>
#include <stb/stb_image_resize.h>

#include <algorithm>
#include <cmath>
#include <memory>

namespace platform {

namespace {
bool is_png(std::string_view b) { return b.size() >= 8 && b.substr(0, 8) == std::string_view("\x89PNG\r\n\x1a\n", 8); }
bool is_jpeg(std::string_view b) {
    return b.size() >= 3 && (unsigned char)b[0] == 0xFF && (unsigned char)b[1] == 0xD8 && (unsigned char)b[2] == 0xFF;
}
}  // namespace

std::optional<DecodedImage> decode_image(std::string_view bytes, const ImageLimits& limits, std::string* why) {
    if (bytes.empty()) {
        *why = "empty";
        return std::nullopt;
    }
    if (bytes.size() > limits.max_bytes) {
        *why = std::to_string(bytes.size()) + " bytes, over the limit of " + std::to_string(limits.max_bytes);
        return std::nullopt;
    }
    // stb_image reads many formats (GIF, BMP, PSD, …); only PNG and JPEG are
    // part of the contract, so nothing else reaches its decoders.
    if (!is_png(bytes) && !is_jpeg(bytes)) {
        *why = "not a PNG or JPEG";
        return std::nullopt;
    }
    const auto* data = reinterpret_cast<const stbi_uc*>(bytes.data());
    int len = int(bytes.size());
    int w = 0, h = 0, channels = 0;
    if (!stbi_info_from_memory(data, len, &w, &h, &channels)) {
        *why = std::string("unreadable header: ") + (stbi_failure_reason() ? stbi_failure_reason() : "?");
        return std::nullopt;
    }
    if (w <= 0 || h <= 0 || w > limits.max_width || h > limits.max_height || int64_t(w) * int64_t(h) > limits.max_pixels) {
        *why = std::to_string(w) + "x" + std::to_string(h) + " pixels, over the limit of " +
               std::to_string(limits.max_width) + "x" + std::to_string(limits.max_height);
        return std::nullopt;
    }
    std::unique_ptr<stbi_uc, void (*)(void*)> pixels(stbi_load_from_memory(data, len, &w, &h, &channels, 4),
                                                     stbi_image_free);
    if (!pixels) {
        *why = std::string("corrupt: ") + (stbi_failure_reason() ? stbi_failure_reason() : "?");
        return std::nullopt;
    }
    DecodedImage out;
    double scale = std::min(1.0, double(limits.max_side_kept) / double(std::max(w, h)));
    out.width = std::max(1, int(std::lround(w * scale)));
    out.height = std::max(1, int(std::lround(h * scale)));
    out.rgba.resize(size_t(out.width) * size_t(out.height) * 4);
    if (scale >= 1.0) {
        std::copy(pixels.get(), pixels.get() + out.rgba.size(), out.rgba.begin());
    } else if (!stbir_resize_uint8(pixels.get(), w, h, 0, out.rgba.data(), out.width, out.height, 0, 4)) {
        *why = "could not be scaled down";
        return std::nullopt;
    }
    return out;
}

}  // namespace platform
