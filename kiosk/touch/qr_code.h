// kiosk/touch/qr_code.h — QR codes (libqrencode) as a grid of modules.
//
// The widget draws each dark module as a filled rectangle, so a code is crisp
// at any size; the same grid renders to a grayscale image for printing and
// for tests that decode it back (zbar). Byte mode: UTF-8 text (Chinese ticket
// texts, URLs) is encoded exactly as given.
//
// Invariants: a QrCode holds size × size modules, size = 17 + 4·version
// (21 … 177); the quiet zone is not part of the grid — whoever draws the code
// leaves QrCode::quiet_zone_modules light modules on every side (the standard
// asks for 4; phone cameras fail more often with less).
//
// Index
//   QrErrorCorrection                 low (7 %), medium (15 %, the default), quartile (25 %), high (30 %)
//   QrCode::size / is_dark(x, y)      side length in modules, and whether module (x, y) is dark (0,0 = top left)
//   QrCode::quiet_zone_modules        light margin to leave around the grid, in modules
//   QrCode::side_with_quiet_zone()    size + 2 × quiet zone: the side to lay out, in modules
//   encode_qr(text, level)            the code for text; nullopt when it is empty or too long for any QR version
//   render_qr_gray(code, scale, quiet, &side)   8-bit image (0 dark, 255 light), `scale` px a module,
//                                     `quiet` modules of margin; side × side pixels, row by row
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace kiosk {

enum class QrErrorCorrection { low, medium, quartile, high };

struct QrCode {
    static constexpr int quiet_zone_modules = 4;

    int size = 0;
    std::vector<uint8_t> dark;  // size × size, row by row: 1 = dark
    bool is_dark(int x, int y) const { return dark[size_t(y) * size_t(size) + size_t(x)] != 0; }
    int side_with_quiet_zone() const { return size + 2 * quiet_zone_modules; }
};

std::optional<QrCode> encode_qr(std::string_view text, QrErrorCorrection level = QrErrorCorrection::medium);
// scale < 1 is taken as 1 and quiet < 0 as 0, so the image is never empty or negative-sized.
std::vector<uint8_t> render_qr_gray(const QrCode& code, int scale, int quiet_modules, int* side_px);

}  // namespace kiosk
