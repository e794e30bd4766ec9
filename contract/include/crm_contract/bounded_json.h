// crm_contract/bounded_json.h — the only way either side turns bytes from the
// other side (or from its own database) into a JSON tree.
//
// nlohmann-json builds whatever it is given, and dumping or walking a tree
// recurses once per level: a 100,000-deep document crashes the process that
// touches it. parse_bounded() first scans the text for its nesting depth
// WITHOUT building anything, and refuses it before nlohmann sees it; then it
// checks every string's length, every array's and object's size and every
// number's range. A tree it returns is safe to dump, walk and store.
//
// Index
//   JsonBounds                         byte, depth, text, item and number limits
//   JsonProblem, json_problem_code(p)  what was wrong: "too_large", "too_deep", "not_json", …
//   nesting_depth(text, stop_above)    the deepest [ / { nesting, counted without parsing (stops early)
//   parse_bounded(text, bounds, &why)  the tree, or nullopt and why
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

namespace crm_contract {

// 2^53: every integer a JavaScript dashboard or a double can carry exactly.
inline constexpr int64_t kMaxJsonInteger = int64_t(1) << 53;

struct JsonBounds {
    size_t max_bytes = 64 * 1024;
    int max_depth = 8;              // {} or [] inside {} or []: depth 2
    size_t max_text_bytes = 4096;   // each string, object keys too
    size_t max_items = 256;         // each array's elements and each object's members
    int64_t max_abs_integer = kMaxJsonInteger;  // integers and decimals alike
};

// Content entries (flows, surveys, promotions, translations): larger and deeper
// than a record, still bounded. The one definition both sides use: the CRM
// refuses staff content the kiosk would refuse to parse again.
inline JsonBounds content_bounds(size_t max_bytes) {
    JsonBounds b;
    b.max_bytes = max_bytes;
    b.max_depth = 32;
    b.max_text_bytes = 64 * 1024;
    b.max_items = 10'000;
    return b;
}

enum class JsonProblem { none, too_large, too_deep, not_json, text_too_long, too_many_items, number_out_of_range };
const char* json_problem_code(JsonProblem problem);

// Counts nesting outside strings; stops (returns stop_above + 1) as soon as
// the depth passes stop_above, so a hostile document costs one partial scan.
int nesting_depth(std::string_view text, int stop_above);

std::optional<nlohmann::json> parse_bounded(std::string_view text, const JsonBounds& bounds,
                                            JsonProblem* why = nullptr);

}  // namespace crm_contract
