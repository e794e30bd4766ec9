// kiosk/domain/privacy.h — how people's identifiers look on screen and in logs.
//
// People stand behind the guest in a lobby, and logs are read by many: names,
// card numbers and phone numbers are never shown or logged in clear.
//
// Index
//   mask_name(name)      "张三明" → "张*明", "Ana López" → "A** L****"; one code point stays for short names
//   mask_card(number)    "6200123412341234" → "•••• 1234"
//   mask_phone(number)   "13812345678" → "138****5678"
#pragma once

#include <string>

namespace kiosk {

std::string mask_name(const std::string& name);
std::string mask_card(const std::string& number);
std::string mask_phone(const std::string& number);

}  // namespace kiosk
