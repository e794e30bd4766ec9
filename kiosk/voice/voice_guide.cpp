#include "voice/voice_guide.h"

#include <array>
#include <cstdio>

#include "platform/utf8.h"

namespace kiosk {

namespace {

// One line per screen of scenes/scene_config.h, in its order. Literal keys, so
// the string-table test sees each one used.
constexpr std::array<const char*, kSceneCount> kScreenPrompts = {
    "voice.attract",          "voice.home",           "voice.visit_flow",       "voice.complaint_flow",
    "voice.feedback",         "voice.survey",         "voice.complaint",        "voice.complaint_status",
    "voice.promotions",       "voice.promotion_detail", "voice.booking",        "voice.booking_manage",
    "voice.admin_pin",        "voice.admin",          "voice.admin_input",      "voice.admin_printer",
    "voice.members",          "voice.member_points",  "voice.member_redeem",    "voice.help",
};

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

}  // namespace

const char* espeak_voice_for(Lang lang) {
    switch (lang) {
        case Lang::zh_Hans: return "cmn";
        case Lang::zh_Hant: return "yue";
        case Lang::en: return "en";
        case Lang::es: return "es";
    }
    return "en";
}

std::string read_characters(std::string_view code) {
    // Each character its own phrase: espeak-ng then names letters and digits
    // one by one ("seven", not "seventy-three"). A dash or space ends a group.
    std::string out;
    bool group_ended = false;
    platform::for_each_code_point(code, [&](uint32_t cp) {
        if (cp == '-' || cp == ' ' || cp == 0x2010 || cp == 0x2013) {
            group_ended = !out.empty();
            return;
        }
        if (!out.empty()) out += group_ended ? ". " : ", ";
        group_ended = false;
        platform::append_utf8(out, cp);
    });
    return out;
}

std::string read_digits(std::string_view number) { return read_characters(number); }

std::string read_time(int hour, int minute, Lang lang) {
    char mm_text[8];
    std::snprintf(mm_text, sizeof mm_text, "%02d", minute < 0 || minute > 59 ? 0 : minute);
    std::string mm = mm_text;
    switch (lang) {
        case Lang::zh_Hans: return std::to_string(hour) + "点" + (minute == 0 ? std::string("整") : mm + "分");
        case Lang::zh_Hant: return std::to_string(hour) + "點" + (minute == 0 ? std::string("正") : mm + "分");
        case Lang::en:
        case Lang::es: return std::to_string(hour) + ":" + mm;
    }
    return std::to_string(hour) + ":" + mm;
}

const char* screen_prompt_key(SceneId screen) { return kScreenPrompts[size_t(screen)]; }

std::string spoken_label(std::string_view label) {
    std::string out;
    platform::for_each_code_point(label, [&](uint32_t cp) {
        bool arrow = cp >= 0x2190 && cp <= 0x21FF;
        bool mark = cp == 0x2022 || cp == 0x2039 || cp == 0x203A || cp == 0x25B8 || cp == 0x25C2;
        if (!arrow && !mark) platform::append_utf8(out, cp);
    });
    size_t first = out.find_first_not_of(' '), last = out.find_last_not_of(' ');
    return first == std::string::npos ? std::string() : out.substr(first, last - first + 1);
}

bool is_spoken_widget(std::string_view id) {
    // What a guest types, and the rows of a member's own history (points, amounts): never aloud in a lobby.
    for (std::string_view unsaid : {"key.", "candidate.", "pin.", "member.history.", "member.void."})
        if (starts_with(id, unsaid)) return false;
    return true;
}

VoiceDecision VoiceGuide::after_frame(const FrameFacts& facts) {
    VoiceDecision decision;
    bool countdown_started = facts.countdown_showing && !countdown_was_showing_;
    countdown_was_showing_ = facts.countdown_showing;
    if (!facts.voice_on) {
        if (was_on_) decision.kind = VoiceDecision::Kind::stop;
        was_on_ = false;
        last_screen_.reset();  // switched on again, it first says where the guest is
        return decision;
    }
    was_on_ = true;
    auto say = [&](std::string id, std::string text, bool tone) {
        decision.kind = VoiceDecision::Kind::say;
        decision.prompt = VoicePrompt{std::move(id), std::move(text), tone};
    };
    bool new_screen = last_screen_ != facts.screen;
    last_screen_ = facts.screen;
    if (countdown_started) {
        say("voice.idle", strings_.get(facts.lang, "voice.idle"), true);
    } else if (new_screen) {
        const char* key = screen_prompt_key(facts.screen);
        std::string text = strings_.get(facts.lang, key);
        for (const VoicePrompt& p : facts.posted) text += " " + p.text;
        say(key, std::move(text), false);
    } else if (!facts.posted.empty()) {
        const VoicePrompt& p = facts.posted.back();
        say(p.id, p.text, p.tone_first);
    } else if (facts.tapped && is_spoken_widget(facts.tapped->first)) {
        std::string label = spoken_label(facts.tapped->second);
        if (!label.empty()) say(facts.tapped->first, std::move(label), false);
    }
    return decision;
}

}  // namespace kiosk
