// The string tables: every key in every language, every key used, and a
// missing key falls back to English and is logged once (ImHex's check_langs).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "i18n/strings.h"
#include "platform/log.h"

namespace fs = std::filesystem;
using kiosk::Lang;

namespace {
const std::string kAssets = std::string(KIOSK_SOURCE_DIR) + "/assets";

std::string read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// Every quoted string literal in kiosk/ sources: where a key can be used.
std::set<std::string> literals_in_kiosk_sources() {
    std::set<std::string> out;
    std::regex literal("\"([a-z0-9_]+(\\.[A-Za-z0-9_\\-]+)+)\"");
    for (auto& entry : fs::recursive_directory_iterator(std::string(KIOSK_SOURCE_DIR) + "/kiosk")) {
        auto ext = entry.path().extension();
        if (ext != ".cpp" && ext != ".h") continue;
        std::string text = read(entry.path());
        for (auto it = std::sregex_iterator(text.begin(), text.end(), literal); it != std::sregex_iterator(); ++it)
            out.insert((*it)[1]);
    }
    return out;
}
}  // namespace

TEST_CASE("Every key exists in every language, with text", "[i18n]") {
    kiosk::StringTable table;
    std::string error;
    REQUIRE(table.load(kAssets + "/i18n", &error));
    REQUIRE(table.keys().size() > 20);
    for (const auto& key : table.keys())
        for (Lang lang : kiosk::kAllLangs) {
            INFO(key << " in " << kiosk::lang_code(lang));
            CHECK(table.has(lang, key));
            CHECK_FALSE(table.get(lang, key).empty());
        }
    // And no language has a key English lacks.
    auto english = table.keys();
    for (Lang lang : kiosk::kAllLangs) {
        for (auto& entry : fs::recursive_directory_iterator(kAssets + "/i18n")) {
            if (entry.path().filename() != std::string(kiosk::lang_code(lang)) + ".json") continue;
            auto doc = nlohmann::json::parse(read(entry.path()));
            for (auto& [key, value] : doc.items()) {
                INFO(key << " is in " << entry.path() << " but not in English");
                CHECK(std::find(english.begin(), english.end(), key) != english.end());
            }
        }
        CHECK(table.coverage(lang) == Approx(1.0));
    }
}

TEST_CASE("Every key is used somewhere in the kiosk's code", "[i18n]") {
    kiosk::StringTable table;
    std::string error;
    REQUIRE(table.load(kAssets + "/i18n", &error));
    auto used = literals_in_kiosk_sources();
    for (const auto& key : table.keys()) {
        INFO("key " << key << " is in the tables but no kiosk/ source mentions it");
        CHECK(used.count(key) == 1);
    }
}

TEST_CASE("Every key the code asks for exists in the tables", "[i18n]") {
    kiosk::StringTable table;
    std::string error;
    REQUIRE(table.load(kAssets + "/i18n", &error));
    std::set<std::string> prefixes;
    for (const auto& key : table.keys()) prefixes.insert(key.substr(0, key.find('.')));
    for (const auto& literal : literals_in_kiosk_sources()) {
        std::string prefix = literal.substr(0, literal.find('.'));
        // Only literals that look like string keys: a known table prefix, and not a widget id.
        if (!prefixes.count(prefix) || literal.rfind("home.", 0) == 0 && literal != "home.title") continue;
        if (literal.rfind("pin.", 0) == 0 || literal.rfind("step.", 0) == 0) continue;
        INFO("the code uses \"" << literal << "\", which no table has");
        CHECK(table.has(Lang::en, literal));
    }
}

TEST_CASE("A key missing in one language falls back to English and is logged once", "[i18n]") {
    auto dir = fs::temp_directory_path() / "kiosk-i18n-test";
    fs::create_directories(dir);
    std::ofstream(dir / "en.json") << R"({"greeting": "Hello", "bye": "Goodbye"})";
    std::ofstream(dir / "es.json") << R"({"greeting": "Hola"})";
    std::ofstream(dir / "zh-Hans.json") << R"({"greeting": "你好", "bye": "再见"})";
    std::ofstream(dir / "zh-Hant.json") << R"({"greeting": "你好", "bye": "再見"})";

    std::vector<std::string> lines;
    platform::set_log_sink([&](platform::LogLevel, const std::string& line) { lines.push_back(line); });
    kiosk::StringTable table;
    std::string error;
    REQUIRE(table.load(dir.string(), &error));
    CHECK(table.get(Lang::es, "greeting") == "Hola");
    CHECK(table.get(Lang::es, "bye") == "Goodbye");
    CHECK(table.get(Lang::es, "bye") == "Goodbye");
    CHECK(table.get(Lang::es, "nowhere") == "nowhere");
    platform::set_log_sink(nullptr);
    CHECK(lines.size() == 2);  // "bye" once, "nowhere" once
    CHECK(table.coverage(Lang::es) == Approx(0.5));
    fs::remove_all(dir);
}

TEST_CASE("A broken table is refused with a message naming the file", "[i18n]") {
    auto dir = fs::temp_directory_path() / "kiosk-i18n-broken";
    fs::create_directories(dir);
    for (const char* lang : {"en", "es", "zh-Hans", "zh-Hant"}) std::ofstream(dir / (std::string(lang) + ".json")) << "{}";
    kiosk::StringTable table;
    std::string error;

    SECTION("not JSON") {
        std::ofstream(dir / "es.json") << "{\"a\": ";
        CHECK_FALSE(table.load(dir.string(), &error));
        CHECK(error.find("es.json") != std::string::npos);
    }
    SECTION("a value that is not text") {
        std::ofstream(dir / "zh-Hant.json") << R"({"a": 3})";
        CHECK_FALSE(table.load(dir.string(), &error));
        CHECK(error.find("zh-Hant.json") != std::string::npos);
        CHECK(error.find("\"a\"") != std::string::npos);
    }
    SECTION("invalid UTF-8") {
        std::ofstream(dir / "en.json") << "{\"a\": \"\xff\xfe\"}";
        CHECK_FALSE(table.load(dir.string(), &error));
        CHECK(error.find("en.json") != std::string::npos);
    }
    SECTION("a missing file") {
        fs::remove(dir / "zh-Hans.json");
        CHECK_FALSE(table.load(dir.string(), &error));
        CHECK(error.find("zh-Hans.json") != std::string::npos);
    }
    fs::remove_all(dir);
}

TEST_CASE("Placeholders are filled in", "[i18n]") {
    kiosk::StringTable table;
    std::string error;
    REQUIRE(table.load(kAssets + "/i18n", &error));
    CHECK(table.format(Lang::en, "idle.body", "n", "7").find("7 s") != std::string::npos);
    CHECK(table.format(Lang::zh_Hans, "idle.body", "n", "7").find("7 秒") != std::string::npos);
}

TEST_CASE("A feature folder adds its keys, and a key defined twice is refused", "[i18n]") {
    fs::path dir = fs::temp_directory_path() / ("kiosk-i18n-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir / "members");
    auto write = [](const fs::path& p, const std::string& text) { std::ofstream(p) << text; };
    for (Lang lang : kiosk::kAllLangs) {
        write(dir / (std::string(kiosk::lang_code(lang)) + ".json"), R"({"home.title": "Home"})");
        write(dir / "members" / (std::string(kiosk::lang_code(lang)) + ".json"), R"({"member.title": "Points"})");
    }
    kiosk::StringTable table;
    std::string error;
    REQUIRE(table.load(dir.string(), &error));
    CHECK(table.get(Lang::es, "member.title") == "Points");

    write(dir / "members" / "es.json", R"({"home.title": "Again"})");
    CHECK_FALSE(table.load(dir.string(), &error));
    CHECK(error.find("already defined") != std::string::npos);

    fs::remove(dir / "members" / "es.json");
    CHECK_FALSE(table.load(dir.string(), &error));
    CHECK(error.find("missing") != std::string::npos);
    fs::remove_all(dir);
}

TEST_CASE("The CRM's translations override shipped strings, only for known keys and only with drawable text",
          "[i18n]") {
    kiosk::StringTable table;
    std::string error;
    REQUIRE(table.load(kAssets + "/i18n", &error));
    const std::string shipped_en = table.get(Lang::en, "home.title");
    const std::string shipped_es = table.get(Lang::es, "home.title");

    kiosk::OverrideReport report;
    REQUIRE(table.apply_overrides(R"({"version": "7", "strings": {
        "home.title": {"en": "What can we do for you today?", "zh-Hans": "今天需要什么帮助？", "xx": "ignored"},
        "no.such.key": {"en": "a key no screen uses"},
        "nav.back": {"en": "bad\u0007bell", "es": 42, "zh-Hant": ""}
    }})", &report));
    CHECK(report.applied == 2);
    CHECK(report.unknown_keys == 1);
    CHECK(report.refused == 3);
    CHECK(table.override_count() == 2);
    CHECK(table.get(Lang::en, "home.title") == "What can we do for you today?");
    CHECK(table.get(Lang::zh_Hans, "home.title") == "今天需要什么帮助？");
    CHECK(table.get(Lang::es, "home.title") == shipped_es);  // not overridden: the shipped text
    CHECK(table.get(Lang::en, "nav.back") != "bad\u0007bell");
    CHECK(table.all_text().find("今天需要什么帮助") != std::string::npos);  // glyphs get built for it

    SECTION("a document with invalid UTF-8 is refused whole, and the overrides in force stay") {
        std::string doc = "{\"strings\": {\"home.title\": {\"en\": \"ok\", \"es\": \"\xC3\x28\"}}}";
        CHECK_FALSE(table.apply_overrides(doc, &report));
        CHECK_FALSE(report.error.empty());
        CHECK(table.get(Lang::en, "home.title") == "What can we do for you today?");
    }
    SECTION("a new document replaces the old overrides entirely: a withdrawn override restores the shipped text") {
        REQUIRE(table.apply_overrides(R"({"strings": {}})", &report));
        CHECK(table.override_count() == 0);
        CHECK(table.get(Lang::en, "home.title") == shipped_en);
    }
    SECTION("an unusable document changes nothing") {
        CHECK_FALSE(table.apply_overrides("{\"strings\": [", &report));
        CHECK_FALSE(report.error.empty());
        CHECK(table.get(Lang::en, "home.title") == "What can we do for you today?");
    }
}
