// Where a guest who called for help is sent: the kiosk's own desk, else the
// site's default; anything unusable is ignored so the shipped default shows.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "content/help_desk.h"

using kiosk::help_desk_for;
using kiosk::Lang;

TEST_CASE("A kiosk's own desk wins over the site's default", "[help]") {
    const char* body = R"({"default": {"en": "Main hall desk", "zh-Hans": "大厅服务台"},
                           "kiosks": {"lobby-2": {"en": "Second floor desk"}}})";
    auto mine = help_desk_for(body, "lobby-2");
    REQUIRE(mine);
    CHECK(mine->in(Lang::en) == "Second floor desk");
    auto other = help_desk_for(body, "lobby-1");
    REQUIRE(other);
    CHECK(other->in(Lang::en) == "Main hall desk");
    CHECK(other->in(Lang::zh_Hans) == "大厅服务台");
    CHECK(other->in(Lang::es) == "大厅服务台");  // a missing language falls back as LocalizedText does
}

TEST_CASE("An unusable help desk document is ignored", "[help]") {
    struct Case {
        const char* name;
        std::string body;
    };
    const Case cases[] = {
        {"not JSON", "{nope"},
        {"a list", "[]"},
        {"no default and no entry for the kiosk", R"({"kiosks": {"lobby-9": {"en": "x"}}})"},
        {"texts that are not strings", R"({"default": {"en": 7}})"},
        {"a text over the limit", R"({"default": {"en": ")" + std::string(kiosk::kMaxHelpDeskTextBytes + 1, 'x') + R"("}})"},
        {"a document over the limit", std::string(kiosk::kMaxHelpDeskBytes + 1, ' ')},
    };
    for (const Case& c : cases) {
        INFO(c.name);
        CHECK_FALSE(help_desk_for(c.body, "lobby-1"));
    }
}

TEST_CASE("The shipped help desk has a default in all four languages", "[help]") {
    std::ifstream in(std::string(KIOSK_SOURCE_DIR) + "/assets/content/help_desk.json");
    std::stringstream text;
    text << in.rdbuf();
    auto desk = help_desk_for(text.str(), "any-kiosk");
    REQUIRE(desk);
    CHECK(desk->missing().empty());
}
