// Quick feedback, surveys and complaints as plain rules: receipt codes,
// the answer throttle on a manual clock, what guest text is refused, the
// anonymous records, ticket numbers, the complaint form and a status reply.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <set>

#include "content/feedback_content.h"
#include "domain/complaint_rules.h"
#include "domain/guest_codes.h"
#include "domain/feedback_rules.h"
#include "platform/clock.h"

using namespace kiosk;
using nlohmann::json;

TEST_CASE("A receipt code is six unambiguous characters derived from the random key alone", "[feedback]") {
    std::string code = receipt_code_from_key("6f1c2a4e-8d3b-4f7a-9c1e-2b5d8e0f3a71");
    CHECK(code.size() == 6);
    CHECK(is_receipt_code(code));
    CHECK(receipt_code_from_key("6f1c2a4e-8d3b-4f7a-9c1e-2b5d8e0f3a71") == code);  // a function of the key
    CHECK(receipt_code_from_key("6f1c2a4e-8d3b-4f7a-9c1e-2b5d8e0f3a72") == code);  // only the first 64 bits count
    CHECK(receipt_code_from_key("7f1c2a4e-8d3b-4f7a-9c1e-2b5d8e0f3a71") != code);
    for (char c : std::string("0O1IL2Z5S8BUVGDQ")) CHECK(kReceiptAlphabet.find(c) == std::string_view::npos);
    CHECK_FALSE(is_receipt_code("ABC12"));
    CHECK_FALSE(is_receipt_code("A0CEFH"));
}

TEST_CASE("Receipt codes from fresh keys rarely collide", "[feedback]") {
    std::set<std::string> codes;
    for (int i = 0; i < 2000; ++i) {
        char key[40];
        std::snprintf(key, sizeof key, "%08x-%04x-4000-8000-000000000000", unsigned(i) * 2654435761u, unsigned(i) & 0xffff);
        codes.insert(receipt_code_from_key(key));
    }
    CHECK(codes.size() >= 1995);  // 64 million codes: a handful of collisions at most among thousands
}

TEST_CASE("Twenty taps in a row are one answer per interval", "[feedback]") {
    platform::ManualClock clock;
    AnswerThrottle throttle(5'000);
    int counted = 0;
    for (int tap = 0; tap < 20; ++tap) {
        if (throttle.try_accept(clock.monotonic_ms())) ++counted;
        clock.advance(200);  // a tap every 0.2 s: four seconds in all
    }
    CHECK(counted == 1);
    CHECK(throttle.wait_ms(clock.monotonic_ms()) == 1'000);
    clock.advance(1'000);
    CHECK(throttle.try_accept(clock.monotonic_ms()));
    CHECK_FALSE(throttle.try_accept(clock.monotonic_ms() + 4'999));
    CHECK(throttle.try_accept(clock.monotonic_ms() + 5'000));

    AnswerThrottle unlimited(0);
    CHECK(unlimited.try_accept(1));
    CHECK(unlimited.try_accept(1));
}

TEST_CASE("Guest text is refused whole when it cannot be kept, never cut", "[feedback]") {
    CHECK(check_guest_text("", 10) == GuestTextProblem::none);
    CHECK(check_guest_text("", 10, true) == GuestTextProblem::empty);
    CHECK(check_guest_text("  \n ", 10, true) == GuestTextProblem::empty);
    CHECK(check_guest_text("候诊两小时\n太久了", 10) == GuestTextProblem::none);  // code points, not bytes
    CHECK(check_guest_text("候诊两小时候诊两小时候", 10) == GuestTextProblem::too_long);
    CHECK(check_guest_text(std::string("ab\xC3", 3), 10) == GuestTextProblem::invalid_utf8);
    CHECK(check_guest_text("a\x1b[2Jb", 10) == GuestTextProblem::control_characters);
    CHECK(std::string(guest_text_problem_key(GuestTextProblem::too_long)) == "feedback.text_too_long");
}

TEST_CASE("A quick feedback record holds the face, the hour and the receipt, nothing else", "[feedback][privacy]") {
    int64_t at = 1'795'368'248'095;  // 2026-11-24 … :44:08.095
    json p = json::parse(quick_feedback_payload(0, "P4X4KN", at));
    CHECK(p["face"] == 0);
    CHECK(p["face_name"] == "very_unhappy");
    CHECK(p["receipt"] == "P4X4KN");
    CHECK(p["hour_ms"] == hour_of(at));
    CHECK(p["hour_ms"].get<int64_t>() % 3'600'000 == 0);
    CHECK(p.size() == 4);
}

TEST_CASE("A follow-up names a member only when they switched the toggle on", "[feedback][privacy]") {
    SignedInMember member;
    member.card = "6200000000000007";
    member.card_last4 = "0007";
    member.masked_name = "张*明";
    FeedbackFollowUp f;
    f.topics = {"waiting", "payment"};
    f.comment = "Two hours \"wait\" </script>";
    json off = json::parse(follow_up_payload(f, "P4X4KN", 1'795'368'248'095, member));
    CHECK_FALSE(off.contains("member_card"));
    CHECK(off["comment"] == f.comment);  // kept exactly, quotes and all
    CHECK(off["topics"] == json::array({"waiting", "payment"}));
    std::string text = off.dump();
    CHECK(text.find("6200000000000007") == std::string::npos);
    CHECK(text.find("张") == std::string::npos);
    CHECK(text.find("248095") == std::string::npos);  // no exact time

    f.attach_membership = true;
    json on = json::parse(follow_up_payload(f, "P4X4KN", 1'795'368'248'095, member));
    CHECK(on["member_card"] == "6200000000000007");
    json nobody = json::parse(follow_up_payload(f, "P4X4KN", 1'795'368'248'095, std::nullopt));
    CHECK_FALSE(nobody.contains("member_card"));  // the toggle alone attaches nothing
}

TEST_CASE("A survey answer names the survey and the version it answered", "[feedback][survey]") {
    std::map<std::string, SurveyAnswerValue> answers = {{"doctor", 3}, {"recommend", 9}, {"where", std::string("lobby")}};
    json p = json::parse(survey_answer_payload("visit", 2, answers, "ACE347", 1'795'368'248'095));
    CHECK(p["survey"] == "visit");
    CHECK(p["version"] == 2);
    CHECK(p["answers"] == json{{"doctor", 3}, {"recommend", 9}, {"where", "lobby"}});
    CHECK(p["hour_ms"].get<int64_t>() % 3'600'000 == 0);
}

TEST_CASE("Tickets are 40 random bits, grouped to read aloud and typed in any case", "[complaint]") {
    std::set<std::string> seen;
    for (int i = 0; i < 2000; ++i) {
        std::string ticket = new_ticket();
        REQUIRE(ticket.size() == 11);  // K-XXXX-XXXX
        CHECK(is_ticket_text(ticket));
        CHECK(normalize_ticket_input(ticket) == ticket);
        seen.insert(ticket);
    }
    CHECK(seen.size() == 2000);
    CHECK(code_from_bytes('K', {0, 0, 0, 0, 0}) == "K-0000-0000");
    CHECK(code_from_bytes('K', {0xff, 0xff, 0xff, 0xff, 0xff}) == "K-ZZZZ-ZZZZ");
    CHECK(code_from_bytes('K', {0x08, 0x86, 0x42, 0x98, 0xe8}) == "K-1234-5678");
    CHECK(normalize_ticket_input("k 7kq4 m2xd") == "K-7KQ4-M2XD");
    CHECK(normalize_ticket_input("7KQ4-M2XD") == "K-7KQ4-M2XD");
    CHECK(normalize_ticket_input("K-7KQ4-M2XO") == "K-7KQ4-M2X0");  // look-alikes read as the digit
    CHECK(normalize_ticket_input("K-7KQ4-M2XI") == "K-7KQ4-M2X1");
    CHECK(expand_ticket_input("23456789", "lobby-1") == "K-2345-6789");  // eight symbols: a new ticket
}

TEST_CASE("A look-up needs a guard: the phone's last 4 digits or the 6-digit look-up code", "[complaint]") {
    CHECK(look_up_guard("5678")->phone_last4 == "5678");
    CHECK(look_up_guard("483 920")->lookup_code == "483920");
    CHECK(look_up_guard("")->empty());
    CHECK_FALSE(look_up_guard("12345"));
    CHECK_FALSE(look_up_guard("12a4"));
    for (int i = 0; i < 200; ++i) CHECK(is_lookup_code(random_lookup_code()));
    // Without a phone the record carries the look-up code; with one, never.
    ComplaintForm form{"waited two hours", "", ComplaintWhen::today, "", false, "483920", ""};
    CHECK(json::parse(complaint_payload(form, "K-7KQ4-M2XD"))["lookup_code"] == "483920");
    form.phone = "13812345678";
    form.consent = true;
    CHECK_FALSE(json::parse(complaint_payload(form, "K-7KQ4-M2XD")).contains("lookup_code"));
}

TEST_CASE("Old tickets (kiosks before 0.3) carry the kiosk id and a zero-padded number, and are still looked up",
          "[complaint]") {
    CHECK(format_ticket("lobby-1", 7) == "K-lobby-1-000007");
    CHECK(format_ticket("lobby-2", 7) == "K-lobby-2-000007");
    CHECK(format_ticket("lobby-1", 1234567) == "K-lobby-1-1234567");
    CHECK(format_ticket("大堂 1", 3) == "K-_______1-000003");  // outside the CRM's alphabet: '_' per byte
    CHECK(is_ticket_text(format_ticket("大堂 1", 3)));
    CHECK(is_ticket_text("K-lobby-1-000007"));
    CHECK_FALSE(is_ticket_text("K-lobby-1-000007/../x"));
    CHECK_FALSE(is_ticket_text(std::string(65, 'K')));
    CHECK(normalize_ticket_input(" k-lobby-1-000007 ") == "K-lobby-1-000007");
    CHECK(normalize_ticket_input("K lobby/1") == "");
    CHECK(expand_ticket_input("7", "lobby-1") == "K-lobby-1-000007");
    CHECK(expand_ticket_input("000012", "lobby-2") == "K-lobby-2-000012");
    CHECK(expand_ticket_input("0", "lobby-1") == "");
    CHECK(expand_ticket_input("K-lobby-2-000003", "lobby-1") == "K-lobby-2-000003");
}

TEST_CASE("The complaint form needs what happened, and consent with a phone", "[complaint]") {
    ComplaintForm form;
    CHECK(check_complaint_form(form) == ComplaintFormProblem::text_missing);
    form.text = "候诊两个小时没有人告诉我为什么";
    CHECK(check_complaint_form(form) == ComplaintFormProblem::none);  // anonymous is fine
    form.phone = "12ab";
    CHECK(check_complaint_form(form) == ComplaintFormProblem::phone_invalid);
    form.phone = "138 1234 5678";
    CHECK(check_complaint_form(form) == ComplaintFormProblem::consent_missing);
    form.consent = true;
    CHECK(check_complaint_form(form) == ComplaintFormProblem::none);
    form.text = std::string(kMaxComplaintChars + 1, 'x');
    CHECK(check_complaint_form(form) == ComplaintFormProblem::text_too_long);

    form.text = "Rude at the desk";
    form.department = "surgery";
    form.when = ComplaintWhen::yesterday;
    json p = json::parse(complaint_payload(form, "K-lobby-1-000007"));
    CHECK(p["ticket"] == "K-lobby-1-000007");
    CHECK(p["category"] == "surgery");
    CHECK(p["when"] == "yesterday");
    CHECK(p["contact_phone"] == "13812345678");
    CHECK(p["contact_consent"] == true);
    form.phone.clear();
    form.department.clear();
    json anonymous = json::parse(complaint_payload(form, "K-lobby-1-000008"));
    CHECK(anonymous["category"] == "not_sure");
    CHECK_FALSE(anonymous.contains("contact_phone"));
    CHECK(phone_last4("+86 138-1234-5678") == "5678");
    CHECK(normalize_phone("+86 138-1234-5678") == "+8613812345678");
    CHECK(normalize_phone("123") == "");
}

TEST_CASE("A complaint status reply is read whole or refused", "[complaint]") {
    std::string reply = R"({"ticket": "K-lobby-1-000007", "stage": "resolved",
        "stages": [{"stage": "submitted", "reached_at_ms": 1795368248095},
                   {"stage": "acknowledged", "reached_at_ms": 1795371000000},
                   {"stage": "assigned", "reached_at_ms": 1795372000000},
                   {"stage": "resolved", "reached_at_ms": 1795373000000},
                   {"stage": "return_visit", "reached_at_ms": null},
                   {"stage": "closed", "reached_at_ms": null}],
        "next_stage": "return_visit", "next_due_ms": 1795632200000})";
    auto status = parse_complaint_status(reply);
    REQUIRE(status);
    CHECK(status->resolved());
    CHECK(status->stages.size() == 6);
    CHECK(status->stages[4].reached_ms == std::nullopt);
    CHECK(status->next_stage == "return_visit");
    CHECK(status->next_due_ms == 1795632200000);

    auto submitted = parse_complaint_status(R"({"ticket": "K-1", "stage": "submitted", "stages": []})");
    REQUIRE(submitted);
    CHECK_FALSE(submitted->resolved());
    CHECK_FALSE(parse_complaint_status("not json"));
    CHECK_FALSE(parse_complaint_status(R"({"ticket": "K-1", "stage": "eaten_by_dog", "stages": []})"));
    CHECK_FALSE(parse_complaint_status(R"({"ticket": "K-1", "stage": "submitted", "stages": [{"stage": 3}]})"));
    CHECK_FALSE(parse_complaint_status(R"({"ticket": 7, "stage": "submitted", "stages": []})"));
}

TEST_CASE("Feedback content from the CRM is taken whole or not at all", "[feedback][content]") {
    auto topics = parse_feedback_topics(R"({"topics": [{"id": "waiting", "name": {"en": "Waiting", "zh-Hans": "候诊"}}]})",
                                        nullptr);
    REQUIRE(topics);
    CHECK(topics->front().name.in(Lang::es) == "候诊");  // a missing language falls back
    std::string why;
    CHECK_FALSE(parse_feedback_topics(R"({"topics": [{"id": "waiting"}]})", &why));
    CHECK(why.find("name") != std::string::npos);
    CHECK_FALSE(parse_feedback_topics(R"({"topics": []})", &why));

    auto surveys = parse_surveys(R"({"surveys": [{"id": "visit", "version": 3, "touchpoints": ["kiosk"],
        "questions": [{"id": "doctor", "type": "faces", "text": {"en": "Doctor"}},
                      {"id": "where", "type": "choice", "text": {"en": "Where?"},
                       "options": [{"id": "lobby", "text": {"en": "Lobby"}}]},
                      {"id": "recommend", "type": "nps", "text": {"en": "Recommend?"}}]}]})", &why);
    REQUIRE(surveys);
    const Survey* kiosk_survey = pick_kiosk_survey(*surveys);
    REQUIRE(kiosk_survey);
    CHECK(kiosk_survey->version == 3);
    CHECK(kiosk_survey->questions[1].options.size() == 1);
    CHECK_FALSE(parse_surveys(R"({"surveys": [{"id": "v", "version": "1", "questions": []}]})", &why));
    CHECK_FALSE(parse_surveys(R"({"surveys": [{"id": "v", "version": 1, "questions": [{"id": "q", "type": "stars",
        "text": {"en": "?"}}]}]})", &why));
    CHECK(why.find("type") != std::string::npos);
}

TEST_CASE("The shipped defaults parse, so a first boot offline has topics, a survey and departments",
          "[feedback][content]") {
    std::string assets = std::string(KIOSK_SOURCE_DIR) + "/assets/content/";
    std::string why;
    auto topics = parse_feedback_topics(load_text_file(assets + "feedback_topics.json"), &why);
    REQUIRE(topics);
    CHECK(topics->size() == 8);
    auto surveys = parse_surveys(load_text_file(assets + "surveys.json"), &why);
    REQUIRE(surveys);
    CHECK(surveys->front().questions.back().type == SurveyQuestion::Type::nps);  // ends with "would you recommend us?"
    CHECK(parse_departments(load_text_file(assets + "feedback_departments.json"), &why));
}
