// kiosk/ui/touch_keyboard.h — the on-screen keyboard, the text fields it types
// into, and the QR code widget.
//
// The keyboard slides up from the bottom edge under the focused field; a
// screen lays itself out above keyboard_top() so the field is never covered.
// Chinese sessions type pinyin with a candidate bar (paging with ‹ ›), with an
// ABC key for Latin letters; English and Spanish get the Latin keyboard with
// its accents layer; numbers and PINs get the number pad (shuffled for PINs
// when the configuration asks). Text from a hardware keyboard or a scanner
// that is not a scan lands in the focused field too.
//
// Index
//   KeyboardKind                          number_pad, text (pinyin or Latin by language), code (digits and capitals)
//   TouchKeyboard::focus(field, kind)     show the keyboard for this field (nullptr: hide it)
//   TouchKeyboard::frame(ctx)             draw it (call last in the frame); handles key taps
//   TouchKeyboard::type_text(utf8)        hardware-keyboard text for the focused field
//   TouchKeyboard::keyboard_top()         the y above which a screen's focused field must sit
//   (elder mode: keys 124 px tall instead of 96 at 1080p, letters in the large title face)
//   TouchKeyboard::keep_left_clear(px)    the keyboard leaves the display's left px free, so the bottom bar's
//                                         Back and Home are never covered; chrome sets it every frame
//   TouchKeyboard::animating()            sliding: keep drawing frames
//   TouchKeyboard::reset()                session end: hide, forget the field, reset the pinyin engine's learning
//   text_field_widget(ctx, id, label, field, pos, width, kind)   a field with its "n / max" count; tap to type
//   draw_qr(code, top_left, side, dark, light)                    a QR code as crisp filled squares
#pragma once

#include <imgui.h>

#include <memory>
#include <string>
#include <string_view>

#include "touch/keyboard_layout.h"
#include "touch/pinyin_input.h"
#include "touch/qr_code.h"
#include "touch/text_field.h"

namespace kiosk {

struct KioskContext;

enum class KeyboardKind { number_pad, text, code };

class TouchKeyboard {
public:
    void focus(TextField* field, KeyboardKind kind, int64_t now_ms);
    TextField* focused() const { return field_; }
    void frame(KioskContext& ctx);
    void type_text(std::string_view utf8);
    float keyboard_top() const;
    void keep_left_clear(float px) { left_ = px; }
    bool animating() const { return animating_; }
    void reset();
    const std::string& refusal() const { return refusal_; }

private:
    void press(KioskContext& ctx, const Key& key);
    void insert(std::string_view text);
    std::vector<KeyRow> rows(KioskContext& ctx);

    TextField* field_ = nullptr;
    float left_ = 0;  // px kept free at the keyboard's left (Back and Home under it)
    KeyboardKind kind_ = KeyboardKind::text;
    bool latin_in_chinese_ = false;  // the ABC key in a Chinese session
    LatinLayer layer_ = LatinLayer::lower;
    uint32_t shuffle_seed_ = 0;
    size_t candidate_page_ = 0;
    std::unique_ptr<PinyinInput> pinyin_;
    bool pinyin_failed_ = false;
    std::string refusal_;            // why the last input was refused, shown under the field
    int64_t shown_ms_ = 0;
    float visible_ = 0;              // 0 hidden … 1 fully up
    bool animating_ = false;
    float full_height_ = 0;
};

bool text_field_widget(KioskContext& ctx, const char* id, const std::string& label, TextField& field, ImVec2 pos,
                       float width, KeyboardKind kind);
void draw_qr(const QrCode& code, ImVec2 top_left, float side, ImU32 dark, ImU32 light);

}  // namespace kiosk
