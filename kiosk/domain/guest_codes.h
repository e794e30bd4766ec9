// kiosk/domain/guest_codes.h — the codes a guest carries away from the kiosk:
// complaint tickets, booking codes, and the look-up code of a complaint filed
// without a phone (docs/feedback.md, docs/booking.md).
//
// A ticket or booking code is a letter, then 8 symbols of Crockford's base 32
// (digits and capitals without I, L, O, U) grouped in fours: "K-7KQ4-M2XD".
// That is 40 random bits from OpenSSL's CSPRNG — not sequential, not
// guessable, unique across kiosks and rebuilt stores without any counter
// (two equal codes among a million have a chance of 1 in 2 million) — and
// short enough to read aloud and type. A guest may type it in either case,
// with or without the dashes, and O for 0, I or L for 1.
//
// Index
//   kCodeAlphabet                       the 32 symbols, in value order
//   kTicketPrefix, kBookingPrefix       'K' (complaint), 'B' (booking)
//   code_from_bytes(prefix, bytes)      the code those 5 bytes spell (tests use it)
//   random_code(prefix)                 a fresh code from the CSPRNG; "" if the CSPRNG failed
//   parse_guest_code(typed, prefix)     a typed or scanned code, normalised; nullopt if it cannot be one
//   kLookupCodeDigits, random_lookup_code()   the 6-digit look-up code of a complaint without a phone
//   is_lookup_code(text)                6 digits
//   random_page_guard()                 16 symbols (80 random bits): the guard a record's phone page needs
//                                       (crm_contract/record_pages.h); only ever in the QR code, never typed; "" if the CSPRNG failed
//   guess_wait_seconds(retry_after_s)   a 429's Retry-After as the "please wait N seconds" a guest reads: 1 s to 1 h
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kiosk {

inline constexpr std::string_view kCodeAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
inline constexpr char kTicketPrefix = 'K';
inline constexpr char kBookingPrefix = 'B';

std::string code_from_bytes(char prefix, const std::array<unsigned char, 5>& bytes);
std::string random_code(char prefix);
std::optional<std::string> parse_guest_code(std::string_view typed, char prefix);

inline constexpr size_t kLookupCodeDigits = 6;
std::string random_lookup_code();
bool is_lookup_code(std::string_view text);
std::string random_page_guard();

// The CRM says how long in Retry-After (docs/crm-api.md: at most 15 minutes);
// a missing or absurd value still gives the guest a number to wait, bounded.
inline int64_t guess_wait_seconds(int64_t retry_after_s) {
    if (retry_after_s < 1) return 1;
    return retry_after_s > 3600 ? 3600 : retry_after_s;
}

}  // namespace kiosk
