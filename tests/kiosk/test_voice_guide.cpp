// What the voice says and in which voice (kiosk/voice/voice_guide.h), without
// SDL or audio: the language → espeak-ng voice choice, codes read character
// by character, times read as times, and which prompt one frame leads to.
#include <catch2/catch.hpp>

#include "i18n/strings.h"
#include "voice/voice_guide.h"

using kiosk::FrameFacts;
using kiosk::Lang;
using kiosk::SceneId;
using kiosk::VoiceDecision;

namespace {

const std::string kAssets = std::string(KIOSK_SOURCE_DIR) + "/assets";

const kiosk::StringTable& shipped_strings() {
    static kiosk::StringTable table;
    static bool loaded = false;
    if (!loaded) {
        std::string error;
        REQUIRE(table.load(kAssets + "/i18n", &error));
        loaded = true;
    }
    return table;
}

FrameFacts on_screen(SceneId screen, Lang lang = Lang::en) {
    FrameFacts f;
    f.voice_on = true;
    f.lang = lang;
    f.screen = screen;
    return f;
}

}  // namespace

TEST_CASE("Each language is spoken by its own espeak-ng voice: Mandarin, Cantonese, English, Spanish", "[voice]") {
    struct Case { Lang lang; const char* voice; };
    const Case cases[] = {{Lang::zh_Hans, "cmn"}, {Lang::zh_Hant, "yue"}, {Lang::en, "en"}, {Lang::es, "es"}};
    for (const Case& c : cases) {
        INFO(kiosk::lang_code(c.lang));
        CHECK(std::string(kiosk::espeak_voice_for(c.lang)) == c.voice);
    }
}

TEST_CASE("Codes are read character by character, a dash is a pause", "[voice]") {
    struct Case { const char* code; const char* spoken; };
    const Case cases[] = {
        {"K-7F3A-29QX", "K. 7, F, 3, A. 2, 9, Q, X"},
        {"0003", "0, 0, 0, 3"},
        {"B 12", "B. 1, 2"},
        {"诊室3", "诊, 室, 3"},
        {"", ""},
        {"--", ""},
    };
    for (const Case& c : cases) {
        INFO(c.code);
        CHECK(kiosk::read_characters(c.code) == c.spoken);
    }
    CHECK(kiosk::read_digits("2468") == "2, 4, 6, 8");
}

TEST_CASE("A time is read as a time, the way each language says it", "[voice]") {
    struct Case { int h, m; Lang lang; const char* spoken; };
    const Case cases[] = {
        {9, 5, Lang::en, "9:05"},      {14, 30, Lang::es, "14:30"},    {9, 30, Lang::zh_Hans, "9点30分"},
        {9, 0, Lang::zh_Hans, "9点整"}, {16, 5, Lang::zh_Hant, "16點05分"}, {8, 0, Lang::zh_Hant, "8點正"},
    };
    for (const Case& c : cases) {
        INFO(c.h << ":" << c.m << " " << kiosk::lang_code(c.lang));
        CHECK(kiosk::read_time(c.h, c.m, c.lang) == c.spoken);
    }
}

TEST_CASE("A button's label is said without its arrows, and what a guest types is never said", "[voice]") {
    CHECK(kiosk::spoken_label("← Back") == "Back");
    CHECK(kiosk::spoken_label("›") == "");
    CHECK(kiosk::is_spoken_widget("nav.back"));
    CHECK(kiosk::is_spoken_widget("home.visit_flow"));
    CHECK_FALSE(kiosk::is_spoken_widget("key.7"));        // keyboards and number pads: a PIN, a phone number
    CHECK_FALSE(kiosk::is_spoken_widget("candidate.0"));  // pinyin candidates: a name being typed
    CHECK_FALSE(kiosk::is_spoken_widget("pin.4"));        // the staff PIN pad
    CHECK_FALSE(kiosk::is_spoken_widget("member.history.3"));  // a member's points, in a lobby
    CHECK(kiosk::is_spoken_widget("member.show_balance"));      // the button's name, not the balance
}

TEST_CASE("Every screen has a prompt of its own in every language", "[voice]") {
    const kiosk::StringTable& strings = shipped_strings();
    for (int i = 0; i < kiosk::kSceneCount; ++i) {
        std::string key = kiosk::screen_prompt_key(SceneId(i));
        INFO(key);
        CHECK(key == std::string("voice.") + kiosk::scene_name(SceneId(i)));
        for (Lang lang : kiosk::kAllLangs) CHECK(strings.has(lang, key));
    }
}

TEST_CASE("One frame leads to at most one prompt: the idle warning, a new screen, a posted code, the button tapped",
          "[voice]") {
    kiosk::VoiceGuide guide(shipped_strings());
    const kiosk::StringTable& strings = shipped_strings();

    SECTION("voice off: nothing is said, whatever happens") {
        FrameFacts f = on_screen(SceneId::home);
        f.voice_on = false;
        f.tapped.emplace("nav.finish", "Finish");
        CHECK(guide.after_frame(f).kind == VoiceDecision::Kind::nothing);
    }
    SECTION("a new screen says its title and purpose, in the guest's language") {
        VoiceDecision d = guide.after_frame(on_screen(SceneId::home, Lang::es));
        REQUIRE(d.kind == VoiceDecision::Kind::say);
        CHECK(d.prompt.id == "voice.home");
        CHECK(d.prompt.text == strings.get(Lang::es, "voice.home"));
        CHECK_FALSE(d.prompt.tone_first);
        // The same screen again says nothing more.
        CHECK(guide.after_frame(on_screen(SceneId::home, Lang::es)).kind == VoiceDecision::Kind::nothing);
    }
    SECTION("the button just tapped is said; a key of a keyboard is not") {
        guide.after_frame(on_screen(SceneId::feedback));
        FrameFacts f = on_screen(SceneId::feedback);
        f.tapped.emplace("nav.back", "← Back");
        VoiceDecision d = guide.after_frame(f);
        REQUIRE(d.kind == VoiceDecision::Kind::say);
        CHECK(d.prompt.id == "nav.back");
        CHECK(d.prompt.text == "Back");
        f.tapped.emplace("key.7", "7");
        CHECK(guide.after_frame(f).kind == VoiceDecision::Kind::nothing);
    }
    SECTION("a tap that opens a new screen: the new screen's prompt, not the tap") {
        guide.after_frame(on_screen(SceneId::home));
        FrameFacts f = on_screen(SceneId::visit_flow);
        f.tapped.emplace("home.visit_flow", "Visit flow");
        CHECK(guide.after_frame(f).prompt.id == "voice.visit_flow");
    }
    SECTION("a code the screen posted is said on its own, or after a new screen's prompt") {
        guide.after_frame(on_screen(SceneId::complaint));
        FrameFacts f = on_screen(SceneId::complaint);
        f.posted.push_back({"voice.complaint.ticket", "Your ticket number is K. 7, F.", false});
        VoiceDecision d = guide.after_frame(f);
        CHECK(d.prompt.id == "voice.complaint.ticket");
        CHECK(d.prompt.text == "Your ticket number is K. 7, F.");
        f.screen = SceneId::complaint_status;
        d = guide.after_frame(f);
        CHECK(d.prompt.id == "voice.complaint_status");
        CHECK(d.prompt.text == strings.get(Lang::en, "voice.complaint_status") + " Your ticket number is K. 7, F.");
    }
    SECTION("the idle countdown appearing is a warning: a tone, then the words, once") {
        guide.after_frame(on_screen(SceneId::booking));
        FrameFacts f = on_screen(SceneId::booking, Lang::zh_Hans);
        f.countdown_showing = true;
        VoiceDecision d = guide.after_frame(f);
        REQUIRE(d.kind == VoiceDecision::Kind::say);
        CHECK(d.prompt.id == "voice.idle");
        CHECK(d.prompt.tone_first);
        CHECK(d.prompt.text == strings.get(Lang::zh_Hans, "voice.idle"));
        CHECK(guide.after_frame(f).kind == VoiceDecision::Kind::nothing);  // the countdown's next seconds
    }
    SECTION("switched off while speaking: stop; switched on again: where the guest is") {
        guide.after_frame(on_screen(SceneId::booking));
        FrameFacts off = on_screen(SceneId::booking);
        off.voice_on = false;
        CHECK(guide.after_frame(off).kind == VoiceDecision::Kind::stop);
        CHECK(guide.after_frame(off).kind == VoiceDecision::Kind::nothing);
        CHECK(guide.after_frame(on_screen(SceneId::booking)).prompt.id == "voice.booking");
    }
}
