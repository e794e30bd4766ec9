// crm_contract/masking.h — how people's identifiers look on screens, in the
// CRM's answers and in every log line, kiosk and CRM alike.
//
// People stand behind the guest in a lobby, and logs are read by many: names,
// card numbers and phone numbers are never shown or logged in clear.
//
// Index
//   mask_name(name)      "张三明" → "张*明", "Ana López" → "A** L****"; one code point stays for short names
//   mask_card(number)    "6200123412341234" → "•••• 1234"
//   mask_phone(number)   "13812345678" → "138****5678"
//   mask_digit_runs(s)   for log lines: any run of 8 or more digits keeps only its last four ("****1234")
//   last4(s)             the last four bytes (card and phone digits shown beside a masked name)
#pragma once

#include <string>

namespace crm_contract {

// Never produces invalid UTF-8: an invalid byte becomes U+FFFD and is masked like any other.
std::string mask_name(const std::string& name);
std::string mask_card(const std::string& number);
std::string mask_phone(const std::string& number);
std::string mask_digit_runs(const std::string& text);
std::string last4(const std::string& s);

}  // namespace crm_contract
