// kiosk/content/help_desk.h — where a guest who called for help finds a staffed desk.
//
// Content "help_desk" (from the CRM, cached; the shipped default is
// assets/content/help_desk.json):
//   {"default": {"zh-Hans": "…", "zh-Hant": "…", "en": "…", "es": "…"},
//    "kiosks":  {"lobby-1": {"zh-Hans": "…", …}, …}}
// A kiosk's own entry wins over "default". Each text is bounded
// (kMaxHelpDeskTextBytes, valid UTF-8); a document that does not parse, or an
// entry with no usable text, is ignored — the caller then falls back to the
// shipped default.
//
// Index
//   help_desk_for(body, kiosk_id)   the desk's text for this kiosk in every language it has, or nullopt
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "i18n/lang.h"

namespace kiosk {

inline constexpr size_t kMaxHelpDeskBytes = 64 * 1024;
inline constexpr size_t kMaxHelpDeskTextBytes = 400;

std::optional<LocalizedText> help_desk_for(std::string_view body, const std::string& kiosk_id);

}  // namespace kiosk
