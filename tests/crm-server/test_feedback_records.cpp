// Feedback at the CRM: a follow-up is listed beside the answer it adds to,
// anonymous answers keep their arrival only to the hour, and the demo
// hospital publishes the topics a follow-up may be about.
#include "crm_fixture.h"

TEST_CASE("Follow-ups are listed with feedback, and anonymous arrivals are kept to the hour", "[crm][feedback]") {
    CrmFixture f;
    f.clock.set_wall_ms(1'795'368'248'095);
    json results = f.batch({record("k-1", "feedback", {{"face", 0}, {"receipt", "P4X4KN"}, {"hour_ms", 1'795'366'800'000}},
                                   1'795'366'800'000),
                            record("k-2", "feedback_follow_up", {{"receipt", "P4X4KN"}, {"topics", {"waiting"}}},
                                   1'795'366'800'000)});
    results.push_back(
        f.batch({record("k-3", "complaint", {{"ticket", "K-lobby-1-000001"}, {"text", "rude"}}, 1'795'368'248'000)})[0]);
    for (const json& r : results) CHECK(r["status"] == "accepted");

    auto list = f.staff("GET", "/api/v1/admin/feedback");
    REQUIRE(list->status == 200);
    json items = json::parse(list->body)["items"];
    REQUIRE(items.size() == 2);
    // Anonymous answers have no arrival order (by hour, then at random); the
    // receipt code ties a follow-up to its answer.
    CHECK(items[0]["payload"]["receipt"] == items[1]["payload"]["receipt"]);
    for (const json& item : items) CHECK(item["received_at_ms"] == 1'795'366'800'000);

    // A complaint is not anonymous: its arrival keeps the CRM's time.
    json complaints = json::parse(f.staff("GET", "/api/v1/admin/complaints")->body)["items"];
    REQUIRE(complaints.size() == 1);
    CHECK(complaints[0]["received_at_ms"] == 1'795'368'248'095);
}

TEST_CASE("The demo hospital publishes feedback topics in four languages", "[crm][feedback]") {
    CrmFixture f;
    auto topics = f.kiosk("GET", "/api/v1/content/feedback_topics");
    REQUIRE(topics->status == 200);
    json list = json::parse(topics->body)["topics"];
    REQUIRE(list.size() == 8);
    for (const json& t : list)
        for (const char* lang : {"zh-Hans", "zh-Hant", "en", "es"}) CHECK_FALSE(t["name"][lang].get<std::string>().empty());
}
