// kiosk/touch/text_field.h — what a guest types, held as valid UTF-8, within a limit.
//
// The on-screen keyboards and the scanner write into a TextField, never into
// an ImGui InputText (a tap on a key would take its focus away). The limit is
// in characters (code points) and visible ("12 / 200"); text over it is
// refused with a message, never cut. Backspace removes one whole character.
//
// Invariants: text() is always well-formed UTF-8 without control characters
// (newline and tab excepted, as platform::has_control_characters defines
// them); length() == code points in text() <= max_length(). An edit either
// happens whole or not at all.
//
// Index
//   TextField(max_chars, masked)   masked: shown as dots (PINs)
//   show_last(n)                   a masked field shows its last n characters (a card number: •••• 0003 while typed)
//   insert(utf8)                   add text; Edit::too_long / Edit::invalid refuse it whole
//   insert_code_point(cp)          add one character (a key press); same refusals
//   backspace()                    remove the last character, with any accents/joiners attached to it; false when empty
//   clear()
//   text() / length() / max_length() / remaining()
//   display()                      what to draw: the text, or one dot per character when masked
//   is_acceptable_text(utf8)       the check insert() makes: platform::is_valid_utf8 and no
//                                  platform::has_control_characters (both in platform/utf8.h)
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace kiosk {

class TextField {
public:
    enum class Edit { ok, too_long, invalid };

    explicit TextField(size_t max_chars = 200, bool masked = false) : max_(max_chars), masked_(masked) {}
    Edit insert(std::string_view utf8);
    Edit insert_code_point(uint32_t code_point);
    bool backspace();
    void clear() { text_.clear(), length_ = 0; }
    const std::string& text() const { return text_; }
    size_t length() const { return length_; }
    size_t max_length() const { return max_; }
    size_t remaining() const { return max_ - length_; }
    bool masked() const { return masked_; }
    void show_last(size_t n) { shown_tail_ = n; }
    std::string display() const;

private:
    uint32_t pop_code_point();

    std::string text_;
    size_t length_ = 0;
    size_t max_;
    bool masked_;
    size_t shown_tail_ = 0;
};

bool is_acceptable_text(std::string_view utf8);

}  // namespace kiosk
