// Content pulls: one ETag per entry and one for the index; an unchanged pull
// is a 304 with no body. Survey versions are frozen once published.
#include <set>

#include "crm_fixture.h"

TEST_CASE("Every content entry is served with an ETag — unchanged is 304 with no body", "[crm][content]") {
    CrmFixture f;
    for (const char* name : {"flows", "promotions", "rewards", "departments", "surveys", "translations",
                             "feedback_topics"}) {
        INFO(name);
        auto full = f.kiosk("GET", std::string("/api/v1/content/") + name);
        REQUIRE(full);
        CHECK(full->status == 200);
        std::string etag = full->get_header_value("ETag");
        REQUIRE_FALSE(etag.empty());
        CHECK_FALSE(json::parse(full->body, nullptr, false).is_discarded());
        auto headers = f.signed_headers("GET", std::string("/api/v1/content/") + name, "", {});
        headers.emplace("If-None-Match", etag);
        auto unchanged = f.client().Get((std::string("/api/v1/content/") + name).c_str(), headers);
        CHECK(unchanged->status == 304);
        CHECK(unchanged->body.empty());
    }
    json promotions = json::parse(f.kiosk("GET", "/api/v1/content/promotions")->body)["promotions"];
    for (const json& p : promotions)
        for (const char* lang : {"zh-Hans", "zh-Hant", "en", "es"}) CHECK(p["title"].contains(lang));
    json departments = json::parse(f.kiosk("GET", "/api/v1/content/departments")->body)["departments"];
    CHECK(departments.size() == 4);
    CHECK(departments[0]["doctors"].size() == 2);
    CHECK(error_code(f.kiosk("GET", "/api/v1/content/nothing-here")) == "no_such_content");
}

TEST_CASE("The content index changes its ETag when any entry changes", "[crm][content]") {
    CrmFixture f;
    auto pull = [&](const std::string& etag) {
        auto headers = f.signed_headers("GET", "/api/v1/content", "", {});
        if (!etag.empty()) headers.emplace("If-None-Match", etag);
        return f.client().Get("/api/v1/content", headers);
    };
    auto index = pull("");
    REQUIRE(index->status == 200);
    CHECK(json::parse(index->body)["items"].size() == 9);  // the demo's seven, help_desk, and the hospital's time_zone
    std::string etag = index->get_header_value("ETag");
    CHECK(pull(etag)->status == 304);

    // Publishing the same body again changes nothing; a new body changes both ETags.
    CHECK(f.staff("PUT", "/api/v1/admin/content/promotions", f.kiosk("GET", "/api/v1/content/promotions")->body)->status == 204);
    CHECK(pull(etag)->status == 304);
    REQUIRE(f.staff("PUT", "/api/v1/admin/content/promotions", R"({"version":"2","promotions":[]})")->status == 204);
    auto changed = pull(etag);
    CHECK(changed->status == 200);
    CHECK(changed->get_header_value("ETag") != etag);

    CHECK(error_code(f.staff("PUT", "/api/v1/admin/content/promotions", "{not json")) == "malformed_json");
    CHECK(error_code(f.staff("PUT", "/api/v1/admin/content/promotions", "\"text\"")) == "invalid_field");
}

TEST_CASE("A published survey version cannot change — a new version can be published", "[crm][content][surveys]") {
    CrmFixture f;
    json surveys = json::parse(f.kiosk("GET", "/api/v1/content/surveys")->body);
    json edited = surveys;
    edited["surveys"][0]["questions"].erase(0);
    auto refused = f.staff("PUT", "/api/v1/admin/content/surveys", edited.dump());
    CHECK(refused->status == 409);
    CHECK(error_code(refused) == "survey_version_changed");
    CHECK(json::parse(f.kiosk("GET", "/api/v1/content/surveys")->body) == surveys);

    edited["surveys"][0]["version"] = 2;
    edited["surveys"].push_back(surveys["surveys"][0]);  // version 1 stays published beside it
    CHECK(f.staff("PUT", "/api/v1/admin/content/surveys", edited.dump())->status == 204);
    json answers = f.batch({
        record("v1", "survey_answer", {{"survey", "visit"}, {"version", 1}, {"answers", {{"doctor", 5}}}}),
        record("v2", "survey_answer", {{"survey", "visit"}, {"version", 2}, {"answers", {{"doctor", 5}}}}),
    });
    CHECK(answers[0]["status"] == "accepted");
    CHECK(answers[1]["status"] == "accepted");
}

TEST_CASE("Promotion images are served signed, with an ETag, and staff can replace them", "[crm][content][images]") {
    CrmFixture f;
    auto image = f.kiosk("GET", "/api/v1/images/checkup-card");
    REQUIRE(image);
    CHECK(image->status == 200);
    CHECK(image->get_header_value("Content-Type") == "image/png");
    CHECK(image->body.compare(0, 8, std::string("\x89PNG\r\n\x1a\n", 8)) == 0);
    std::string etag = image->get_header_value("ETag");
    REQUIRE_FALSE(etag.empty());
    auto headers = f.signed_headers("GET", "/api/v1/images/checkup-card", "", {});
    headers.emplace("If-None-Match", etag);
    auto unchanged = f.client().Get("/api/v1/images/checkup-card", headers);
    CHECK(unchanged->status == 304);
    CHECK(unchanged->body.empty());

    // Every demo offer names a picture that exists.
    // Parsed into a local first: a range-for over a member of a temporary would outlive the temporary.
    json promotions = json::parse(f.kiosk("GET", "/api/v1/content/promotions")->body);
    for (const json& p : promotions["promotions"]) {
        INFO(p["id"]);
        CHECK(f.kiosk("GET", "/api/v1/images/" + p["image"].get<std::string>())->status == 200);
    }
    CHECK(error_code(f.kiosk("GET", "/api/v1/images/nothing-here")) == "no_such_image");
    // Unsigned: refused like any kiosk request.
    CHECK(f.client().Get("/api/v1/images/checkup-card")->status == 401);

    httplib::Headers staff = {{"Authorization", "Bearer staff-token"}};
    std::string jpeg("\xFF\xD8\xFF\xE0 a jpeg", 11);
    CHECK(f.client().Put("/api/v1/admin/images/checkup-card", staff, jpeg, "image/jpeg")->status == 204);
    auto replaced = f.kiosk("GET", "/api/v1/images/checkup-card");
    CHECK(replaced->body == jpeg);
    CHECK(replaced->get_header_value("Content-Type") == "image/jpeg");
    CHECK(replaced->get_header_value("ETag") != etag);
    CHECK(error_code(f.client().Put("/api/v1/admin/images/x", staff, "GIF89a", "image/gif")) == "invalid_field");
    CHECK(error_code(f.client().Put("/api/v1/admin/images/x", staff, "", "image/png")) == "invalid_field");
    CHECK(error_code(f.client().Put("/api/v1/admin/images/x", jpeg, "image/jpeg")) == "bad_admin_token");
}

// Issue 14, fault 2: the hospital's zone reaches kiosks as content, and the
// demo's clinic hours are its local 08:00–11:30, whatever the UTC date.
TEST_CASE("The CRM serves the hospital's time zone, and the demo's slots are local clinic hours", "[crm][content][local-time]") {
    CrmFixture f;
    auto zone = f.kiosk("GET", "/api/v1/content/time_zone");
    REQUIRE(zone);
    REQUIRE(zone->status == 200);
    CHECK(json::parse(zone->body)["time_zone"] == "Asia/Shanghai");

    std::string day = day_after(f.clock, 1);
    json slots = json::parse(f.kiosk("GET", "/api/v1/slots?department=internal&day=" + day)->body)["items"];
    REQUIRE(slots.size() == 16);  // two doctors, eight half hours
    std::set<std::string> times;
    for (const json& s : slots) {
        auto local = f.clock.local_time(s["starts_ms"].get<int64_t>(), "Asia/Shanghai");
        REQUIRE(local);
        CHECK(local->iso_day() == day);
        times.insert(local->hh_mm());
    }
    CHECK(*times.begin() == "08:00");
    CHECK(*times.rbegin() == "11:30");
}
