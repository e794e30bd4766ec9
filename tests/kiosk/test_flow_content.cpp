// The flow content: the default file loads in all four languages, and bad
// content is refused with a message that names the bad field — never a crash.
#include <catch2/catch.hpp>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "content/flows.h"

using kiosk::Lang;

namespace {
const std::string kFlows = std::string(KIOSK_SOURCE_DIR) + "/assets/content/flows.json";

nlohmann::json default_flows() {
    std::ifstream in(kFlows);
    return nlohmann::json::parse(in);
}

std::string parse_error(const nlohmann::json& doc) {
    std::string error;
    auto content = kiosk::parse_flow_content(doc.dump(), &error);
    REQUIRE_FALSE(content);
    return error;
}
}  // namespace

TEST_CASE("The default flows load, with every step in every language", "[content]") {
    std::string error;
    auto content = kiosk::load_flow_content_file(kFlows, &error);
    REQUIRE(content);
    CHECK(content->visit.lanes.size() == 2);
    CHECK_FALSE(content->visit.lanes[0].vip);
    CHECK(content->visit.lanes[1].vip);
    CHECK(content->visit.lanes[0].steps.size() == 7);  // registration … follow-up, as the lobby chart has it
    CHECK(content->visit.lanes[0].steps[0].title.in(Lang::zh_Hans) == "挂号");
    REQUIRE(content->complaint.lanes.size() == 1);
    const auto& stages = content->complaint.lanes[0].steps;
    std::vector<std::string> ids;
    for (auto& s : stages) ids.push_back(s.id);
    CHECK(ids == std::vector<std::string>{"submitted", "acknowledged", "assigned", "resolved", "return_visit", "closed"});
    CHECK(stages[1].within.in(Lang::en) == "1 working day");
    for (const kiosk::Flow* flow : {&content->visit, &content->complaint})
        for (auto& lane : flow->lanes)
            for (auto& step : lane.steps) {
                CHECK(step.title.missing().empty());
                CHECK(step.text.missing().empty());
            }
}

TEST_CASE("Bad flow content is refused with the path of the bad field", "[content]") {
    auto doc = default_flows();
    SECTION("a language missing from a step") {
        doc["flows"]["visit"]["lanes"][0]["steps"][2]["title"].erase("es");
        CHECK(parse_error(doc) == "flows.visit.lanes[0].steps[2].title.es: missing");
    }
    SECTION("a step title that is a number") {
        doc["flows"]["complaint"]["lanes"][0]["steps"][0]["title"]["en"] = 7;
        CHECK(parse_error(doc) == "flows.complaint.lanes[0].steps[0].title.en: must be text");
    }
    SECTION("a lane with no steps") {
        doc["flows"]["visit"]["lanes"][1]["steps"] = nlohmann::json::array();
        CHECK(parse_error(doc) == "flows.visit.lanes[1].steps: must be a non-empty list");
    }
    SECTION("no complaint flow") {
        doc["flows"].erase("complaint");
        CHECK(parse_error(doc) == "flows.complaint: missing");
    }
    SECTION("empty text") {
        doc["flows"]["visit"]["intro"]["zh-Hant"] = "";
        CHECK(parse_error(doc) == "flows.visit.intro.zh-Hant: empty");
    }
}

TEST_CASE("Malformed bytes are refused, not shown", "[content]") {
    std::string error;
    CHECK_FALSE(kiosk::parse_flow_content("{\"version\": \"1\", \"flows\": ", &error));
    CHECK(error == "flows: not valid JSON");
    CHECK_FALSE(kiosk::parse_flow_content("{\"version\": \"\xC3\x28\"}", &error));  // invalid UTF-8
    CHECK(error == "flows: not valid JSON");
    CHECK_FALSE(kiosk::parse_flow_content("[]", &error));
    CHECK(error == "flows.version: missing");
}

TEST_CASE("A missing content file is reported by name", "[content]") {
    std::string error;
    CHECK_FALSE(kiosk::load_flow_content_file("/nonexistent/flows.json", &error));
    CHECK(error == "/nonexistent/flows.json: cannot be read");
}

TEST_CASE("Text falls back to Simplified Chinese, then English", "[content]") {
    kiosk::LocalizedText text;
    text.by_lang[size_t(Lang::en)] = "Pharmacy";
    CHECK(text.in(Lang::es) == "Pharmacy");
    text.by_lang[size_t(Lang::zh_Hans)] = "取药";
    CHECK(text.in(Lang::es) == "取药");
    CHECK(text.in(Lang::zh_Hans) == "取药");
    CHECK(text.missing() == std::vector<Lang>{Lang::zh_Hant, Lang::es});
}
