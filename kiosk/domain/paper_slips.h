// kiosk/domain/paper_slips.h — what a guest takes away besides a booking slip
// (domain/booking_rules.h has that one): a complaint ticket and a points
// voucher, as the receipt printer gets them (issue 14, paper and phone).
// Pure: the same platform::Slip is printed by the PrintQueue and may be drawn
// on screen by ui/slip_view.h.
//
// Every slip carries a QR code of the record's phone page
// (crm_contract/record_pages.h): the CRM's page for that one record, guarded
// by the record's own random guard — never the phone number or the card.
// Where no page URL could be made (a CSPRNG failure, no valid base URL) the
// QR code holds the ticket or voucher number alone, as before.
//
// Index
//   page_url(config_base, kind, id, guard, lang)    the URL a QR code holds; "" when none can be made
//   TicketSlipInput, complaint_ticket_slip(in, strings, lang)   hospital, "Complaint ticket", ticket, look-up code, QR, footer
//   VoucherSlipInput, voucher_slip(in, strings, lang)           hospital, voucher or gift, number, reward, points, cash, QR, footer
#pragma once

#include <cstdint>
#include <string>

#include "crm_contract/record_pages.h"
#include "i18n/lang.h"
#include "i18n/strings.h"
#include "platform/receipt_printer.h"

namespace kiosk {

std::string page_url(const std::string& base, crm_contract::RecordPageKind kind, const std::string& id,
                     const std::string& guard, Lang lang);

struct TicketSlipInput {
    std::string ticket;
    std::string lookup_code;  // printed when the complaint was filed without a phone (it guards the kiosk look-up)
    std::string page_url;     // page_url(…); "" = the QR code holds the ticket
};
platform::Slip complaint_ticket_slip(const TicketSlipInput& in, const StringTable& strings, Lang lang);

struct VoucherSlipInput {
    std::string voucher;
    std::string what;        // the reward's name, or "Given to …" for a gift, in the guest's language
    int64_t points = 0;
    std::string cash_text;   // "¥50.00" to pay at the cashier; "" = points only
    bool gift = false;
    bool queued = false;     // saved offline: confirmed once the kiosk is back online
    std::string page_url;    // page_url(…); "" = the QR code holds the voucher number
};
platform::Slip voucher_slip(const VoucherSlipInput& in, const StringTable& strings, Lang lang);

}  // namespace kiosk
