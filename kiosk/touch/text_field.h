// kiosk/touch/text_field.h — what a guest types, held as valid UTF-8, within a limit.
//
// The on-screen keyboards and the scanner write into a TextField, never into
// an ImGui InputText (a tap on a key would take its focus away). The limit is
// in characters and visible ("12 / 200"); text over it is refused with a
// message, never cut. Backspace removes one whole character.
//
// Index
//   TextField(max_chars, masked)   masked: shown as dots (PINs)
//   insert(utf8)                   add text; Edit::too_long / Edit::invalid refuse it whole
//   backspace()                    remove the last character; false when empty
//   clear()
//   text() / length() / max_length()
//   display()                      what to draw: the text, or one dot per character when masked
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace kiosk {

class TextField {
public:
    enum class Edit { ok, too_long, invalid };

    explicit TextField(size_t max_chars = 200, bool masked = false) : max_(max_chars), masked_(masked) {}
    Edit insert(std::string_view utf8);
    bool backspace();
    void clear() { text_.clear(), length_ = 0; }
    const std::string& text() const { return text_; }
    size_t length() const { return length_; }
    size_t max_length() const { return max_; }
    bool masked() const { return masked_; }
    std::string display() const;

private:
    std::string text_;
    size_t length_ = 0;
    size_t max_;
    bool masked_;
};

}  // namespace kiosk
