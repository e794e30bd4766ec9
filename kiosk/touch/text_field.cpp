#include "touch/text_field.h"

#include "platform/utf8.h"

namespace kiosk {

TextField::Edit TextField::insert(std::string_view utf8) {
    // Control characters could forge log lines or break layouts; invalid bytes
    // could not be stored or drawn. Both are refused, never "cleaned up".
    if (!platform::is_valid_utf8(utf8) || platform::has_control_characters(utf8)) return Edit::invalid;
    size_t adding = platform::count_code_points(utf8);
    if (length_ + adding > max_) return Edit::too_long;
    text_.append(utf8);
    length_ += adding;
    return Edit::ok;
}

bool TextField::backspace() {
    if (text_.empty()) return false;
    size_t cut = text_.size() - 1;
    while (cut > 0 && (static_cast<unsigned char>(text_[cut]) & 0xC0) == 0x80) --cut;  // to the lead byte
    text_.erase(cut);
    --length_;
    return true;
}

std::string TextField::display() const {
    if (!masked_) return text_;
    std::string dots;
    for (size_t i = 0; i < length_; ++i) dots += "•";
    return dots;
}

}  // namespace kiosk
