// platform/png_writer.h — write pixels as a PNG file (stb_image_write from libstb).
//
// Index
//   write_png_rgba(path, w, h, rgba, &error)   8-bit RGBA, rows top to bottom; false + reason on failure
//   write_png_gray(path, w, h, gray, &error)   8-bit grayscale (receipts, QR codes)
//   encode_png_rgba(w, h, rgba)                the PNG bytes in memory ("" on failure): bench and test pictures
#pragma once

#include <string>

namespace platform {

bool write_png_rgba(const std::string& path, int width, int height, const unsigned char* rgba, std::string* error);
bool write_png_gray(const std::string& path, int width, int height, const unsigned char* gray, std::string* error);
std::string encode_png_rgba(int width, int height, const unsigned char* rgba);

}  // namespace platform
