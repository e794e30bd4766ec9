#include "crm_contract/batch.h"

#include "crm_contract/bounded_json.h"
#include "crm_contract/records.h"

namespace crm_contract {

using nlohmann::json;

std::string batch_request_json(const std::vector<WireRecord>& records) {
    json list = json::array();
    for (const WireRecord& r : records)
        list.push_back({{"key", r.key}, {"type", r.type}, {"payload", r.payload}, {"created_at_ms", r.created_at_ms}});
    return json{{"records", list}}.dump();
}

std::optional<std::vector<WireRecord>> parse_batch_request(std::string_view body, std::string* why) {
    // {"records": [{…}]}: three levels. A payload is text here; its own
    // bounds are checked record by record, so one bad record is refused alone.
    JsonBounds bounds;
    bounds.max_bytes = kMaxBatchBodyBytes;
    bounds.max_depth = 3;
    bounds.max_text_bytes = kMaxBatchBodyBytes;
    bounds.max_items = kMaxBatchBodyBytes;  // the byte limit bounds the count; the route checks kMaxBatchRecords
    JsonProblem problem;
    std::optional<json> doc = parse_bounded(body, bounds, &problem);
    if (problem == JsonProblem::too_large) return *why = "payload_too_large", std::nullopt;
    if (problem == JsonProblem::not_json) return *why = "malformed_json", std::nullopt;
    if (!doc) return *why = "invalid_field", std::nullopt;
    auto list = doc->is_object() ? doc->find("records") : doc->end();
    if (!doc->is_object() || list == doc->end() || !list->is_array()) return *why = "invalid_field", std::nullopt;
    std::vector<WireRecord> records;
    records.reserve(list->size());
    for (const json& r : *list) {
        if (!r.is_object()) return *why = "invalid_field", std::nullopt;
        auto key = r.find("key"), type = r.find("type"), payload = r.find("payload"), created = r.find("created_at_ms");
        if (key == r.end() || !key->is_string() || type == r.end() || !type->is_string() || payload == r.end() ||
            !payload->is_string() || created == r.end() || !created->is_number_integer())
            return *why = "invalid_field", std::nullopt;
        records.push_back({key->get<std::string>(), type->get<std::string>(), payload->get<std::string>(),
                           created->get<int64_t>()});
    }
    return records;
}

std::string batch_reply_json(const std::vector<BatchResult>& results) {
    json list = json::array();
    for (const BatchResult& r : results) {
        json one{{"key", r.key}, {"status", r.status}};
        if (!r.reason.empty()) one["reason"] = r.reason;
        list.push_back(one);
    }
    return json{{"results", list}}.dump();
}

std::optional<std::vector<BatchResult>> parse_batch_reply(std::string_view body) {
    JsonBounds bounds;
    bounds.max_bytes = 4 * 1024 * 1024;
    bounds.max_depth = 3;
    bounds.max_text_bytes = 1024;
    bounds.max_items = 100'000;
    std::optional<json> doc = parse_bounded(body, bounds);
    if (!doc || !doc->is_object()) return std::nullopt;
    auto list = doc->find("results");
    if (list == doc->end() || !list->is_array()) return std::nullopt;
    std::vector<BatchResult> results;
    for (const json& r : *list) {
        if (!r.is_object()) continue;
        auto key = r.find("key"), status = r.find("status"), reason = r.find("reason");
        if (key == r.end() || !key->is_string() || status == r.end() || !status->is_string()) continue;
        results.push_back({key->get<std::string>(), status->get<std::string>(),
                           reason != r.end() && reason->is_string() ? reason->get<std::string>() : ""});
    }
    return results;
}

}  // namespace crm_contract
