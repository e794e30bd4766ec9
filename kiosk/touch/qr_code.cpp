#include "touch/qr_code.h"

#include <qrencode.h>

#include <algorithm>
#include <string>

namespace kiosk {

namespace {
QRecLevel to_qrencode(QrErrorCorrection level) {
    switch (level) {
        case QrErrorCorrection::low: return QR_ECLEVEL_L;
        case QrErrorCorrection::medium: return QR_ECLEVEL_M;
        case QrErrorCorrection::quartile: return QR_ECLEVEL_Q;
        case QrErrorCorrection::high: return QR_ECLEVEL_H;
    }
    return QR_ECLEVEL_M;
}
}  // namespace

std::optional<QrCode> encode_qr(std::string_view text, QrErrorCorrection level) {
    if (text.empty()) return std::nullopt;
    // Byte mode keeps UTF-8 exactly as given; version 0 lets libqrencode pick the smallest that fits.
    std::string owned(text);
    QRcode* qr = QRcode_encodeData(int(owned.size()), reinterpret_cast<const unsigned char*>(owned.data()), 0,
                                   to_qrencode(level));
    if (!qr) return std::nullopt;
    QrCode code;
    code.size = qr->width;
    code.dark.resize(size_t(qr->width) * size_t(qr->width));
    for (size_t i = 0; i < code.dark.size(); ++i) code.dark[i] = qr->data[i] & 1;  // bit 0: dark module
    QRcode_free(qr);
    return code;
}

std::vector<uint8_t> render_qr_gray(const QrCode& code, int scale, int quiet_modules, int* side_px) {
    scale = std::max(scale, 1);
    quiet_modules = std::max(quiet_modules, 0);
    int side = (code.size + 2 * quiet_modules) * scale;
    *side_px = side;
    std::vector<uint8_t> pixels(size_t(side) * size_t(side), 255);
    for (int y = 0; y < code.size; ++y)
        for (int x = 0; x < code.size; ++x) {
            if (!code.is_dark(x, y)) continue;
            for (int dy = 0; dy < scale; ++dy)
                for (int dx = 0; dx < scale; ++dx)
                    pixels[size_t((y + quiet_modules) * scale + dy) * size_t(side) + size_t((x + quiet_modules) * scale + dx)] = 0;
        }
    return pixels;
}

}  // namespace kiosk
