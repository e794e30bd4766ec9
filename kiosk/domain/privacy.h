// kiosk/domain/privacy.h — how people's identifiers look on screen and in logs.
//
// The masks are the contract's (crm_contract/masking.h), shared with the CRM's
// answers and access log; the kiosk's code names them here.
//
// Index
//   mask_name(name)      "张三明" → "张*明", "Ana López" → "A** L****"; one code point stays for short names
//   mask_card(number)    "6200123412341234" → "•••• 1234"
//   mask_phone(number)   "13812345678" → "138****5678"
#pragma once

#include "crm_contract/masking.h"

namespace kiosk {

using crm_contract::mask_card;
using crm_contract::mask_name;
using crm_contract::mask_phone;

}  // namespace kiosk
