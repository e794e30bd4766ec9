// crm_contract/batch.h — POST /api/v1/outbox/batch on the wire, both ways
// (docs/crm-api.md, "Outbox batches"). The kiosk writes requests and reads
// replies; the CRM reads requests and writes replies; neither builds or
// parses them any other way.
//
// Index
//   WireRecord                       key, type, payload (the record's JSON as text), created_at_ms
//   BatchResult                      key, status (accepted | duplicate | rejected), reason
//   batch_request_json(records)      the request body
//   parse_batch_request(body, &why)  the records, or nullopt and a 400/413 code: payload_too_large, malformed_json,
//                                    invalid_field; each record's own bounds are check_record()'s, per record
//   batch_reply_json(results)        the reply body
//   parse_batch_reply(body)          the results (entries without a text key/status skipped), or nullopt
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crm_contract {

struct WireRecord {
    std::string key, type, payload;
    int64_t created_at_ms = 0;
};

struct BatchResult {
    std::string key, status, reason;
};

std::string batch_request_json(const std::vector<WireRecord>& records);
std::optional<std::vector<WireRecord>> parse_batch_request(std::string_view body, std::string* why);
std::string batch_reply_json(const std::vector<BatchResult>& results);
std::optional<std::vector<BatchResult>> parse_batch_reply(std::string_view body);

}  // namespace crm_contract
