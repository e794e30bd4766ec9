// No tofu: every character of every string of every screen, in every
// language, has a glyph in the atlas the kiosk builds — and the atlas holds
// only what the text needs, not 21,000 Chinese glyphs.
#include <catch2/catch.hpp>

#include <imgui.h>

#include "content/flows.h"
#include "i18n/strings.h"
#include "platform/utf8.h"
#include "ui/fonts.h"
#include "ui/widgets.h"

namespace {
const std::string kAssets = std::string(KIOSK_SOURCE_DIR) + "/assets";

struct ImGuiContextGuard {
    ImGuiContextGuard() { ImGui::CreateContext(); }
    ~ImGuiContextGuard() { ImGui::DestroyContext(); }
};
}  // namespace

TEST_CASE("fontconfig finds a CJK font installed from a Debian package", "[fonts]") {
    int face = -1;
    std::string path = kiosk::find_cjk_font(&face);
    INFO("install fonts-wqy-microhei (scripts/debian-packages.txt)");
    REQUIRE_FALSE(path.empty());
    CHECK(path.rfind("/usr/share/fonts/", 0) == 0);
    CHECK(face >= 0);
}

TEST_CASE("Every character the kiosk shows has a glyph", "[fonts]") {
    ImGuiContextGuard imgui;
    kiosk::StringTable strings;
    std::string error;
    REQUIRE(strings.load(kAssets + "/i18n", &error));
    auto flows = kiosk::load_flow_content_file(kAssets + "/content/flows.json", &error);
    REQUIRE(flows);
    std::string text = strings.all_text() + flows->all_text();

    int face = 0;
    kiosk::FontSet fonts;
    REQUIRE(fonts.load_file(kiosk::find_cjk_font(&face), face, &error));
    REQUIRE(fonts.build(text, 1.0f, &error));

    size_t checked = 0;
    std::string missing;
    platform::for_each_code_point(text, [&](uint32_t cp) {
        ++checked;
        if (!fonts.has_glyph(cp)) missing += "U+" + std::to_string(cp) + " ";
    });
    INFO("characters with no glyph: " << missing);
    CHECK(missing.empty());
    CHECK(checked > 2000);

    // Both Chinese scripts are really there (a Simplified-only range would miss 醫).
    CHECK(fonts.has_glyph(U'医'));
    CHECK(fonts.has_glyph(U'醫'));
    CHECK(fonts.has_glyph(U'ñ'));
    // Only what the text needs: a few hundred glyphs, a few MB — not the 64 MB full range.
    CHECK(fonts.glyph_count() < 1500);
    CHECK(fonts.atlas_bytes() < 16u * 1024 * 1024);
    CHECK_FALSE(fonts.has_glyph(U'龘'));  // a character no string uses is not in the atlas
}

TEST_CASE("The atlas is rebuilt when content changes", "[fonts]") {
    ImGuiContextGuard imgui;
    int face = 0;
    std::string error;
    kiosk::FontSet fonts;
    REQUIRE(fonts.load_file(kiosk::find_cjk_font(&face), face, &error));
    REQUIRE(fonts.build("挂号", 1.0f, &error));
    CHECK_FALSE(fonts.has_glyph(U'龘'));
    REQUIRE(fonts.build("挂号龘", 1.0f, &error));
    CHECK(fonts.has_glyph(U'龘'));
}

TEST_CASE("A font file that is not there is reported, not crashed on", "[fonts]") {
    kiosk::FontSet fonts;
    std::string error;
    CHECK_FALSE(fonts.load_file("/nonexistent/font.ttf", 0, &error));
    CHECK(error == "font /nonexistent/font.ttf: cannot be read");
}

// Issue 14, fault 4: 件, 科, 队, 疗 were left alone on a line of their own.
TEST_CASE("A Chinese character is never left alone on the last line", "[fonts][wrap]") {
    ImGuiContextGuard imgui;
    const std::string text = "请到一楼服务台领取您的报告件";  // 14 characters
    std::string error;
    int face = 0;
    kiosk::FontSet fonts;
    REQUIRE(fonts.load_file(kiosk::find_cjk_font(&face), face, &error));
    REQUIRE(fonts.build(text + "。", 1.0f, &error));
    ImFont* font = fonts.body(false);
    // Room for all but the last character: a plain word wrap leaves 件 alone.
    std::string all_but_last = text.substr(0, text.size() - 3);
    float width = font->CalcTextSizeA(font->FontSize, FLT_MAX, 0, all_but_last.c_str()).x + 1;
    auto lines = kiosk::wrap_lines(font, text, width);
    REQUIRE(lines.size() == 2);
    CHECK(std::string(lines[0].begin, lines[0].end) == "请到一楼服务台领取您的报");
    CHECK(std::string(lines[1].begin, lines[1].end) == "告件");
    // Punctuation stays with its character, and the pair moves together.
    auto with_stop = kiosk::wrap_lines(font, text + "。", width);
    REQUIRE(with_stop.size() == 2);
    CHECK(std::string(with_stop[1].begin, with_stop[1].end) == "告件。");
}
