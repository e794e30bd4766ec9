// crm_contract/record_pages.h — the page on a guest's phone that shows what
// the guest took away from the kiosk: a complaint's progress, a booking, a
// voucher. The kiosk prints and shows a QR code of its URL; the CRM serves it
// (docs/crm-api.md, "Record pages"; docs/security.md, "Paper and phone").
//
//   <public_url>/r/c/K-7KQ4-M2XD?g=<guard>&l=en      a complaint, by its ticket
//   <public_url>/r/b/B-7KQ4-M2XD?g=<guard>&l=zh-Hans a booking, by its code
//   <public_url>/r/v/V-1A2B3C4D?g=<guard>&l=es       a voucher (redemption or gift), by its number
//
// The guard is the ONLY secret in the URL: 16 symbols of Crockford's base 32
// (80 random bits from the kiosk's CSPRNG), made for that one record, sent to
// the CRM in the record's payload as "page_guard" and kept there only as a
// hash. It is never a phone number, a card or a name, and it opens nothing
// but that one page: it is not a look-up guard at the kiosk and cannot move,
// cancel or spend anything.
//
// Invariants:
//   - record_page_url() only ever emits an id and a guard that pass is_page_id()
//     and is_page_guard(), so the URL needs no escaping; otherwise it returns "".
//   - The CRM answers an unknown id, a wrong guard and a record not yet
//     received with the same page (no oracle), counted as a wrong guess.
//
// Index
//   RecordPageKind, page_kind_letter(kind), page_kind_from_letter(letter)   c | b | v
//   kPageGuardSymbols, is_page_guard(text)      16 symbols of Crockford's base 32, upper case
//   kMaxPageIdBytes, is_page_id(text)           a ticket, booking code or voucher number: letters, digits, '-', '_'
//   kPageGuardField                             "page_guard": the payload field that carries it
//   page_id_field(record_type)                  the payload field naming the record's id ("ticket", "code", "voucher"); "" if none
//   page_kind_of(record_type)                   which page a record type gets; nullopt for none
//   record_page_path(kind, id)                  "/r/c/K-7KQ4-M2XD"
//   record_page_url(base, kind, id, guard, lang) the whole URL the QR code holds; "" when any part is not valid
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace crm_contract {

enum class RecordPageKind { complaint, booking, voucher };

char page_kind_letter(RecordPageKind kind);
std::optional<RecordPageKind> page_kind_from_letter(std::string_view letter);

inline constexpr size_t kPageGuardSymbols = 16;
bool is_page_guard(std::string_view text);

inline constexpr size_t kMaxPageIdBytes = 64;
bool is_page_id(std::string_view text);

inline constexpr const char* kPageGuardField = "page_guard";
const char* page_id_field(std::string_view record_type);
std::optional<RecordPageKind> page_kind_of(std::string_view record_type);

std::string record_page_path(RecordPageKind kind, std::string_view id);
// base: the CRM's public address as phones reach it ("https://crm.example-hospital.cn");
// a trailing '/' is dropped. lang: "zh-Hans", "zh-Hant", "en" or "es" (anything else is left out).
std::string record_page_url(std::string_view base, RecordPageKind kind, std::string_view id, std::string_view guard,
                            std::string_view lang);

}  // namespace crm_contract
