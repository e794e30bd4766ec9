#include "crm_contract/bounded_json.h"

#include <cmath>

namespace crm_contract {

using nlohmann::json;

const char* json_problem_code(JsonProblem problem) {
    switch (problem) {
        case JsonProblem::none: return "";
        case JsonProblem::too_large: return "too_large";
        case JsonProblem::too_deep: return "too_deep";
        case JsonProblem::not_json: return "not_json";
        case JsonProblem::text_too_long: return "text_too_long";
        case JsonProblem::too_many_items: return "too_many_items";
        case JsonProblem::number_out_of_range: return "number_out_of_range";
    }
    return "not_json";
}

int nesting_depth(std::string_view text, int stop_above) {
    int depth = 0, deepest = 0;
    bool in_string = false, escaped = false;
    for (char c : text) {
        if (in_string) {
            if (escaped) escaped = false;
            else if (c == '\\') escaped = true;
            else if (c == '"') in_string = false;
            continue;
        }
        if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > deepest) deepest = depth;
            if (deepest > stop_above) return deepest;
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return deepest;
}

namespace {
// Recursion here is bounded by max_depth, checked before the tree was built.
JsonProblem check(const json& v, const JsonBounds& b) {
    switch (v.type()) {
        case json::value_t::string:
            return v.get_ref<const std::string&>().size() > b.max_text_bytes ? JsonProblem::text_too_long
                                                                              : JsonProblem::none;
        case json::value_t::number_integer: {
            int64_t n = v.get<int64_t>();
            return n > b.max_abs_integer || n < -b.max_abs_integer ? JsonProblem::number_out_of_range
                                                                   : JsonProblem::none;
        }
        case json::value_t::number_unsigned:
            return v.get<uint64_t>() > uint64_t(b.max_abs_integer) ? JsonProblem::number_out_of_range
                                                                    : JsonProblem::none;
        case json::value_t::number_float: {
            double d = v.get<double>();
            return !std::isfinite(d) || std::fabs(d) > double(b.max_abs_integer) ? JsonProblem::number_out_of_range
                                                                                 : JsonProblem::none;
        }
        case json::value_t::array:
            if (v.size() > b.max_items) return JsonProblem::too_many_items;
            for (const json& item : v)
                if (JsonProblem p = check(item, b); p != JsonProblem::none) return p;
            return JsonProblem::none;
        case json::value_t::object:
            if (v.size() > b.max_items) return JsonProblem::too_many_items;
            for (auto it = v.begin(); it != v.end(); ++it) {
                if (it.key().size() > b.max_text_bytes) return JsonProblem::text_too_long;
                if (JsonProblem p = check(it.value(), b); p != JsonProblem::none) return p;
            }
            return JsonProblem::none;
        default:
            return JsonProblem::none;
    }
}
}  // namespace

std::optional<json> parse_bounded(std::string_view text, const JsonBounds& bounds, JsonProblem* why) {
    JsonProblem local;
    JsonProblem& problem = why ? *why : local;
    problem = JsonProblem::none;
    if (text.size() > bounds.max_bytes) {
        problem = JsonProblem::too_large;
        return std::nullopt;
    }
    if (nesting_depth(text, bounds.max_depth) > bounds.max_depth) {
        problem = JsonProblem::too_deep;
        return std::nullopt;
    }
    json doc = json::parse(text.begin(), text.end(), nullptr, false);
    if (doc.is_discarded()) {
        problem = JsonProblem::not_json;
        return std::nullopt;
    }
    problem = check(doc, bounds);
    if (problem != JsonProblem::none) return std::nullopt;
    return doc;
}

}  // namespace crm_contract
