// kiosk/touch/qr_code.h — QR codes (libqrencode) as a grid of modules.
//
// The widget draws each dark module as a filled rectangle, so a code is crisp
// at any size; the same grid renders to a grayscale image for printing and
// for tests that decode it back.
//
// Index
//   QrCode                         side length in modules, and which are dark
//   encode_qr(text)                byte-mode QR, error correction M; nullopt when the text is too long
//   render_qr_gray(code, scale, quiet)   8-bit image: `quiet` light modules of margin, `scale` pixels a module
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace kiosk {

struct QrCode {
    int size = 0;
    std::vector<uint8_t> dark;  // size × size, row by row: 1 = dark
    bool is_dark(int x, int y) const { return dark[size_t(y) * size_t(size) + size_t(x)] != 0; }
};

std::optional<QrCode> encode_qr(std::string_view text);
std::vector<uint8_t> render_qr_gray(const QrCode& code, int scale, int quiet_modules, int* side_px);

}  // namespace kiosk
