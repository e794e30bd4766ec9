#include "platform/png_writer.h"

#include <stb/stb_image_write.h>

namespace platform {

namespace {
bool write_png(const std::string& path, int width, int height, int channels, const unsigned char* pixels,
               std::string* error) {
    if (width <= 0 || height <= 0 || !pixels) {
        *error = "empty image";
        return false;
    }
    if (!stbi_write_png(path.c_str(), width, height, channels, pixels, width * channels)) {
        *error = "cannot write PNG to " + path;
        return false;
    }
    return true;
}
}  // namespace

bool write_png_rgba(const std::string& path, int width, int height, const unsigned char* rgba, std::string* error) {
    return write_png(path, width, height, 4, rgba, error);
}

bool write_png_gray(const std::string& path, int width, int height, const unsigned char* gray, std::string* error) {
    return write_png(path, width, height, 1, gray, error);
}

std::string encode_png_rgba(int width, int height, const unsigned char* rgba) {
    std::string png;
    if (width <= 0 || height <= 0 || !rgba) return png;
    auto append = [](void* out, void* data, int size) {
        static_cast<std::string*>(out)->append(static_cast<const char*>(data), size_t(size));
    };
    if (!stbi_write_png_to_func(append, &png, width, height, 4, rgba, width * 4)) png.clear();
    return png;
}

}  // namespace platform
