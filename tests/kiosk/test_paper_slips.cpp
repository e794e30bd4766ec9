// Paper and phone (issue 14): the complaint ticket and the voucher as the
// printer gets them, and the phone page's URL in their QR codes — the
// record's own random guard, never the phone number or the card.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <set>

#include "domain/booking_rules.h"
#include "domain/complaint_rules.h"
#include "domain/guest_codes.h"
#include "domain/paper_slips.h"

using namespace kiosk;
using crm_contract::RecordPageKind;

namespace {
void load_strings(StringTable& t) {
    std::string error;
    INFO(error);
    REQUIRE(t.load(KIOSK_SOURCE_DIR "/assets/i18n", &error));
}

// The slip's text blocks and QR payloads, in order, as one string per block.
std::vector<std::string> block_texts(const platform::Slip& slip, platform::SlipBlock::Kind kind) {
    std::vector<std::string> out;
    for (const auto& b : slip.blocks)
        if (b.kind == kind) out.push_back(b.value.empty() ? b.text : b.text + ": " + b.value);
    return out;
}
}  // namespace

TEST_CASE("A page guard is 80 random bits in 16 base-32 symbols, never the same twice", "[paper]") {
    std::set<std::string> seen;
    for (int i = 0; i < 2000; ++i) {
        std::string g = random_page_guard();
        REQUIRE(crm_contract::is_page_guard(g));
        seen.insert(g);
    }
    CHECK(seen.size() == 2000);
    // Every symbol turns up at every position over many guards: no stuck bits.
    std::set<char> first, last;
    for (const std::string& g : seen) first.insert(g.front()), last.insert(g.back());
    CHECK(first.size() == 32);
    CHECK(last.size() == 32);
}

TEST_CASE("A complaint's record carries its page guard, and the QR code holds the page URL with it, never the phone",
          "[paper]") {
    ComplaintForm form{"waited two hours", "", ComplaintWhen::today, "13812345678", true, "", random_page_guard()};
    auto payload = nlohmann::json::parse(complaint_payload(form, "K-7KQ4-M2XD"));
    CHECK(payload["page_guard"] == form.page_guard);
    std::string url = page_url("https://crm.example-hospital.cn/", RecordPageKind::complaint, "K-7KQ4-M2XD",
                               form.page_guard, Lang::es);
    CHECK(url == "https://crm.example-hospital.cn/r/c/K-7KQ4-M2XD?g=" + form.page_guard + "&l=es");
    CHECK(url.find("5678") == std::string::npos);
    CHECK(page_url("https://crm", RecordPageKind::complaint, "K-7KQ4-M2XD", "", Lang::en).empty());  // no guard: no page
    // The ticket's QR code held to a kiosk's scanner still fills the ticket field.
    CHECK(normalize_ticket_input(url) == "K-7KQ4-M2XD");
    CHECK(normalize_ticket_input("https://crm/r/b/B-7KQ4-M2XD?g=0123456789ABCDEF") == "");  // a booking's page is no ticket
}

TEST_CASE("The complaint ticket slip: hospital, ticket, look-up code, the page's QR code, in the guest's language",
          "[paper]") {
    StringTable t;
    load_strings(t);
    const std::string url = "https://crm/r/c/K-7KQ4-M2XD?g=0123456789ABCDEF&l=zh-Hans";
    platform::Slip zh = complaint_ticket_slip({"K-7KQ4-M2XD", "483920", url}, t, Lang::zh_Hans);
    auto rows = block_texts(zh, platform::SlipBlock::Kind::key_value);
    REQUIRE(rows.size() == 2);
    CHECK(rows[0] == t.get(Lang::zh_Hans, "paper.ticket.number") + ": K-7KQ4-M2XD");
    CHECK(rows[1] == t.get(Lang::zh_Hans, "paper.ticket.lookup_code") + ": 483920");
    CHECK(block_texts(zh, platform::SlipBlock::Kind::qr_code) == std::vector<std::string>{url});
    CHECK(block_texts(zh, platform::SlipBlock::Kind::title)[0] == t.get(Lang::zh_Hans, "app.hospital_name"));
    CHECK(zh.blocks.back().kind == platform::SlipBlock::Kind::feed_and_cut);
    // With a phone there is no look-up code to print; without a page the QR code is the ticket.
    platform::Slip en = complaint_ticket_slip({"K-7KQ4-M2XD", "", ""}, t, Lang::en);
    CHECK(block_texts(en, platform::SlipBlock::Kind::key_value).size() == 1);
    CHECK(block_texts(en, platform::SlipBlock::Kind::qr_code) == std::vector<std::string>{"K-7KQ4-M2XD"});
    // It encodes for the printer: Chinese in GB18030, the URL's bytes as given.
    auto bytes = platform::encode_escpos(zh, {platform::SlipCharset::chinese_gb18030});
    REQUIRE(bytes.ok());
    CHECK(bytes.bytes.find(url) != std::string::npos);
    CHECK(bytes.bytes.find("K-7KQ4-M2XD") != std::string::npos);
    CHECK(bytes.replaced_characters == 0);
}

TEST_CASE("A voucher slip: points only, points + cash and a gift, each with its page's QR code", "[paper]") {
    StringTable t;
    load_strings(t);
    const std::string url = "https://crm/r/v/V-1A2B3C4D?g=0123456789ABCDEF&l=en";
    platform::Slip points = voucher_slip({"V-1A2B3C4D", "20% off registration", 300, "", false, false, url}, t, Lang::en);
    auto rows = block_texts(points, platform::SlipBlock::Kind::key_value);
    CHECK(rows == std::vector<std::string>{"Voucher: V-1A2B3C4D", "Reward: 20% off registration", "Points: 300"});
    CHECK(block_texts(points, platform::SlipBlock::Kind::qr_code) == std::vector<std::string>{url});
    platform::Slip cash = voucher_slip({"V-1A2B3C4D", "Teeth cleaning", 1500, "¥30.00", false, true, url}, t, Lang::en);
    CHECK(block_texts(cash, platform::SlipBlock::Kind::key_value).back() == "To pay at the cashier: ¥30.00");
    auto notes = block_texts(cash, platform::SlipBlock::Kind::text);
    CHECK(std::find(notes.begin(), notes.end(), t.get(Lang::en, "paper.voucher.queued")) != notes.end());
    platform::Slip gift = voucher_slip({"V-99999999", "Given to 李*英", 50, "", true, false, url}, t, Lang::es);
    CHECK(block_texts(gift, platform::SlipBlock::Kind::text)[0] == t.get(Lang::es, "paper.gift.title"));
}

TEST_CASE("A booking slip's QR code is the booking's page, and a kiosk's scanner still reads the code from it", "[paper]") {
    const std::string url = "https://crm/r/b/B-7KQ4-M2XD?g=0123456789ABCDEF&l=en";
    SlipInput in{"B-7KQ4-M2XD", "Internal medicine", "Dr Wang", 0, false, "", "", url};
    StringTable t;
    load_strings(t);
    CHECK(booking_slip(in, t, Lang::en).qr == url);
    CHECK(parse_booking_code(url) == std::optional<std::string>("B-7KQ4-M2XD"));
    CHECK(parse_booking_code("https://crm/r/b/B-7KQ4-M2XD") == std::optional<std::string>("B-7KQ4-M2XD"));
    CHECK_FALSE(parse_booking_code("https://crm/r/c/K-7KQ4-M2XD?g=0123456789ABCDEF"));  // a complaint's page
    // The kiosk keeps the guard with its own booking, so the slip can be shown again.
    LocalBooking b;
    b.code = "B-7KQ4-M2XD";
    b.action = "booking";
    b.page_guard = "0123456789ABCDEF";
    CHECK(local_booking_from_json(to_json(b))->page_guard == "0123456789ABCDEF");
}
