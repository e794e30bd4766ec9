#include "touch/text_field.h"

#include "platform/utf8.h"

namespace kiosk {

namespace {
// Code points that belong to the character before them: combining accents
// (a decomposed "é" is e + U+0301), variation selectors (the emoji form of
// ⚕ is U+2695 U+FE0F) and skin-tone modifiers. Backspace takes them together
// with their base so it never leaves a bare accent or half an emoji behind.
bool attaches_to_previous(uint32_t cp) {
    return (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x1AB0 && cp <= 0x1AFF) || (cp >= 0x1DC0 && cp <= 0x1DFF) ||
           (cp >= 0x20D0 && cp <= 0x20FF) || (cp >= 0xFE20 && cp <= 0xFE2F) || (cp >= 0xFE00 && cp <= 0xFE0F) ||
           (cp >= 0x1F3FB && cp <= 0x1F3FF) || (cp >= 0xE0100 && cp <= 0xE01EF);
}
constexpr std::string_view kZeroWidthJoiner = "\xE2\x80\x8D";  // U+200D: 👩‍⚕️ = 👩 ZWJ ⚕ VS16, one character on screen
}  // namespace

bool is_acceptable_text(std::string_view utf8) {
    // Control characters could forge log lines or break layouts; invalid bytes
    // could not be stored or drawn. Both are refused, never "cleaned up".
    return platform::is_valid_utf8(utf8) && !platform::has_control_characters(utf8);
}

TextField::Edit TextField::insert(std::string_view utf8) {
    if (!is_acceptable_text(utf8)) return Edit::invalid;
    size_t adding = platform::count_code_points(utf8);
    if (length_ + adding > max_) return Edit::too_long;
    text_.append(utf8);
    length_ += adding;
    return Edit::ok;
}

TextField::Edit TextField::insert_code_point(uint32_t code_point) {
    // append_utf8 would happily encode a surrogate or a value past U+10FFFF.
    if (code_point > 0x10FFFF || (code_point >= 0xD800 && code_point <= 0xDFFF)) return Edit::invalid;
    std::string utf8;
    platform::append_utf8(utf8, code_point);
    return insert(utf8);
}

uint32_t TextField::pop_code_point() {
    size_t cut = text_.size() - 1;
    while (cut > 0 && (static_cast<unsigned char>(text_[cut]) & 0xC0) == 0x80) --cut;  // to the lead byte
    uint32_t cp = 0;
    platform::for_each_code_point(std::string_view(text_).substr(cut), [&cp](uint32_t c) { cp = c; });
    text_.erase(cut);
    --length_;
    return cp;
}

bool TextField::backspace() {
    if (text_.empty()) return false;
    uint32_t removed = pop_code_point();
    while (!text_.empty()) {
        if (attaches_to_previous(removed)) {
            removed = pop_code_point();
        } else if (std::string_view(text_).ends_with(kZeroWidthJoiner)) {
            pop_code_point();  // the joiner, then what it joined to
            if (!text_.empty()) removed = pop_code_point();
        } else {
            break;
        }
    }
    return true;
}

std::string TextField::display() const {
    if (!masked_) return text_;
    std::string dots;
    size_t hidden = length_ > shown_tail_ ? length_ - shown_tail_ : 0;
    size_t at = 0;  // byte offset of the first shown character
    for (size_t i = 0; i < hidden; ++i) {
        dots += "•";
        unsigned char lead = static_cast<unsigned char>(text_[at]);
        at += lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : 4;
    }
    return dots + text_.substr(std::min(at, text_.size()));
}

}  // namespace kiosk
