// platform/utf8.h — UTF-8, checked. Every text a guest types, a scanner sends
// or the CRM returns passes through here before it is stored or drawn.
//
// Index
//   is_valid_utf8(s)                 well-formed UTF-8: no overlongs, surrogates or values past U+10FFFF
//   for_each_code_point(s, fn)       decode; an invalid byte comes out as U+FFFD and decoding goes on
//   count_code_points(s)             how many code points (invalid bytes count one each)
//   has_control_characters(s)        any C0/C1 control or DEL other than newline and tab
//   append_utf8(out, cp)             encode one code point
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace platform {

bool is_valid_utf8(std::string_view s);
void for_each_code_point(std::string_view s, const std::function<void(uint32_t)>& fn);
size_t count_code_points(std::string_view s);
bool has_control_characters(std::string_view s);
void append_utf8(std::string& out, uint32_t code_point);

}  // namespace platform
