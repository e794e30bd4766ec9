// crm_contract/records.h — the outbox record types and every bound on them,
// checked by the kiosk before it saves and by the CRM before it stores
// (docs/crm-api.md, "Records" and "Limits").
//
// Invariants:
//   - A payload that passes check_record() is at most kMaxPayloadBytes, at
//     most kMaxPayloadDepth deep, every string at most kMaxPayloadTextBytes
//     (named fields less, see kTextFieldLimits), every number inside
//     ±kMaxJsonInteger and named numbers inside kNumberFieldRanges. The CRM
//     re-parses stored payloads with the same bounds (payload_bounds()).
//   - Anonymous types (feedback, feedback_follow_up, survey_answer) carry
//     times rounded down to the hour, travel in batches of their own and are
//     stored apart from records that name a person.
//   - Only the reasons in is_final_rejection() are final: a kiosk keeps and
//     retries a record refused for any other reason (a newer CRM's reason, a
//     storage failure misreported).
//
// Index
//   kMaxPayloadBytes, kMaxPayloadDepth, kMaxPayloadTextBytes, kMaxPayloadItems, kMaxKeyBytes, kMaxTypeBytes
//   kMaxBatchRecords, kMaxBatchBodyBytes        one batch request (the CRM answers 413 above them)
//   kMaxHeartbeatBodyBytes, kMaxHeartbeatTextBytes
//   kHourMs, hour_of(wall_ms)                   wall time rounded down to the hour (anonymous records)
//   is_record_type(type), is_anonymous_type(type)
//   payload_bounds()                            the JsonBounds of a record payload
//   check_record(key, type, payload, created_at_ms, &tree)   "" or the final reason; the parsed payload
//   is_final_rejection(reason)                  a documented reason after which the record is dropped
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "crm_contract/bounded_json.h"

namespace crm_contract {

inline constexpr size_t kMaxPayloadBytes = 64 * 1024;
inline constexpr int kMaxPayloadDepth = 8;
inline constexpr size_t kMaxPayloadTextBytes = 4096;  // a 1,000-character complaint in CJK is ≤ 3,000 bytes
inline constexpr size_t kMaxPayloadItems = 256;
inline constexpr size_t kMaxKeyBytes = 128;            // the kiosk's keys are 36-character UUIDs
inline constexpr size_t kMaxTypeBytes = 64;
inline constexpr size_t kMaxBatchRecords = 500;
// A record on the wire is its payload as a JSON string: escaping can make
// each byte up to six ("\u0001"), so one whole record always fits.
inline constexpr size_t kMaxBatchBodyBytes = 1024 * 1024;
inline constexpr size_t kMaxHeartbeatBodyBytes = 4096;
inline constexpr size_t kMaxHeartbeatTextBytes = 512;
// Times later than 2200-01-01 are nobody's clock.
inline constexpr int64_t kMaxWallMs = 7'258'118'400'000;

inline constexpr int64_t kHourMs = 3'600'000;
int64_t hour_of(int64_t wall_ms);

bool is_record_type(std::string_view type);
bool is_anonymous_type(std::string_view type);

JsonBounds payload_bounds();

// Everything the CRM can check without its database. On "" `tree` holds the
// payload (a JSON object). Reasons: invalid_key, unknown_type,
// invalid_created_at, payload_too_large, payload_too_deep, payload_not_json,
// text_too_long, too_many_items, number_out_of_range, invalid_points,
// invalid_cash, invalid_face.
std::string check_record(std::string_view key, std::string_view type, std::string_view payload,
                         int64_t created_at_ms, nlohmann::json* tree);

bool is_final_rejection(std::string_view reason);

}  // namespace crm_contract
