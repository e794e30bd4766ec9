#include "domain/paper_slips.h"

namespace kiosk {

std::string page_url(const std::string& base, crm_contract::RecordPageKind kind, const std::string& id,
                     const std::string& guard, Lang lang) {
    return crm_contract::record_page_url(base, kind, id, guard, lang_code(lang));
}

platform::Slip complaint_ticket_slip(const TicketSlipInput& in, const StringTable& strings, Lang lang) {
    platform::Slip slip;
    slip.title(strings.get(lang, "app.hospital_name")).text(strings.get(lang, "paper.ticket.title")).rule();
    slip.key_value(strings.get(lang, "paper.ticket.number"), in.ticket);
    if (!in.lookup_code.empty()) slip.key_value(strings.get(lang, "paper.ticket.lookup_code"), in.lookup_code);
    slip.rule().qr_code(in.page_url.empty() ? in.ticket : in.page_url);
    slip.text(strings.get(lang, in.page_url.empty() ? "paper.ticket.footer_no_page" : "paper.ticket.footer"));
    return slip.feed_and_cut();
}

platform::Slip voucher_slip(const VoucherSlipInput& in, const StringTable& strings, Lang lang) {
    platform::Slip slip;
    slip.title(strings.get(lang, "app.hospital_name"))
        .text(strings.get(lang, in.gift ? "paper.gift.title" : "paper.voucher.title"))
        .rule();
    slip.key_value(strings.get(lang, "paper.voucher.number"), in.voucher);
    slip.key_value(strings.get(lang, in.gift ? "paper.gift.what" : "paper.voucher.reward"), in.what);
    slip.key_value(strings.get(lang, "paper.voucher.points"), std::to_string(in.points));
    if (!in.cash_text.empty()) slip.key_value(strings.get(lang, "paper.voucher.cash"), in.cash_text);
    slip.rule().qr_code(in.page_url.empty() ? in.voucher : in.page_url);
    if (in.queued) slip.text(strings.get(lang, "paper.voucher.queued"));
    slip.text(strings.get(lang, in.gift ? "paper.gift.footer" : "paper.voucher.footer"));
    return slip.feed_and_cut();
}

}  // namespace kiosk
