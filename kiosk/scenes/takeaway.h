// kiosk/scenes/takeaway.h — paper and phone for what a guest must keep
// (issue 14): a complaint ticket or a voucher, printed where a printer is
// configured, and ALWAYS a QR code of the record's phone page.
//
// A screen that issues such a record hands its Takeaway the slip and the QR
// text once (issue()); the Takeaway prints it at once when a printer is
// configured, and later draws the QR code and one line that says what the
// printer did — "printed, please take it", or "nothing was printed: out of
// paper" with a Print again button. The record itself is already saved in the
// outbox: a printer never loses it. Until a slip has really come out, nothing
// on screen may tell the guest to keep or show "this paper" (printed()).
//
// Index
//   Takeaway::issue(ctx, slip, qr_text)     a new record: encode its QR, print it if a printer is configured
//   Takeaway::reset()                       the guest left: forget the record; an answer still on its way is dropped
//   Takeaway::draw_qr(ctx, id, pos, side)   the QR code, recorded under id with the QR text as its label
//   Takeaway::draw_printing(ctx, pos, width)   the printer's line and the Print again button; returns the height used
//   Takeaway::printed()                     a slip of this record came out of the printer
//   Takeaway::qr_text()                     what the QR code holds (the phone page's URL)
// Widget ids: takeaway.qr (the caller's id), takeaway.print_result, takeaway.reprint.
#pragma once

#include <imgui.h>

#include <cstdint>
#include <optional>
#include <string>

#include "platform/receipt_printer.h"
#include "touch/qr_code.h"

namespace kiosk {

struct KioskContext;

class Takeaway {
public:
    void issue(KioskContext& ctx, platform::Slip slip, std::string qr_text);
    void reset();
    void draw_qr(KioskContext& ctx, const char* id, ImVec2 pos, float side) const;
    float draw_printing(KioskContext& ctx, ImVec2 pos, float width);
    bool printed() const { return state_ == State::printed; }
    const std::string& qr_text() const { return qr_text_; }

private:
    enum class State { none, printing, printed, failed };
    void print(KioskContext& ctx);

    platform::Slip slip_;
    std::string qr_text_;
    std::optional<QrCode> qr_;
    State state_ = State::none;
    std::string failure_key_;  // paper.why.*: why the last try printed nothing
    uint64_t issued_ = 0;      // which record an answer from the print queue belongs to
};

}  // namespace kiosk
