// crm-server/record_page_html.h — the plain HTML page a guest's phone opens
// from the QR code on a ticket, booking slip or voucher (docs/crm-api.md,
// "Record pages"). Pure functions: the route (crm_server.cpp) asks the store
// (Store::record_page) and hands the answer here.
//
// The page is one small self-contained document: no script, no external
// resource (no font, image or stylesheet from anywhere), readable on a
// phone's width, in the guest's language (`?l=`: zh-Hans, zh-Hant, en, es;
// anything else: zh-Hans), times as the hospital's wall clock with the weekday.
// It shows what the glass showed — a complaint's stages, a booking's
// department, doctor and time, a voucher's reward and points — and never a
// name, card or phone number (the store never hands those over).
//
// Index
//   page_language(l)                                the language a `?l=` value names (default zh-Hans)
//   record_page_html(record, lang, clock)           a record Store::record_page showed
//   record_unavailable_html(lang)                   unknown, wrong guard or not yet received: ONE page, byte for byte
//   record_wait_html(lang, seconds)                 too many wrong tries: come back in `seconds`
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "platform/clock.h"

namespace crm {

std::string page_language(std::string_view l);
std::string record_page_html(const nlohmann::json& record, const std::string& lang, const platform::Clock& clock);
std::string record_unavailable_html(const std::string& lang);
std::string record_wait_html(const std::string& lang, int64_t seconds);

}  // namespace crm
