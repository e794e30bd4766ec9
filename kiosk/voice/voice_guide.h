// kiosk/voice/voice_guide.h — what the kiosk says aloud, and in which voice.
// No SDL, no ImGui, no audio: the App hands what VoiceGuide decides to the
// speaker (platform/speech.h). Scenes only post prompts (KioskContext::say).
//
// Index
//   espeak_voice_for(lang)          zh-Hans → "cmn" (Mandarin), zh-Hant → "yue" (Cantonese), en → "en", es → "es"
//   read_characters(code)           a ticket or booking code character by character: "K-7F3A" → "K, 7, F, 3, A"
//                                   (groups end with a full stop: a longer pause where the dash is)
//   read_digits(number)             digits one by one: "0003" → "0, 0, 0, 3"
//   read_time(hour, minute, lang)   a time as a time: "9:05" in en/es, "9点05分" in zh-Hans, "9點05分" in zh-Hant
//   screen_prompt_key(screen)       the string key a screen says when it opens: "voice.<screen>"
//   spoken_label(label)             a button's label as said: arrows and bullets dropped
//   is_spoken_widget(id)            false for what a guest types (keyboard keys, candidates, PIN pads) and a
//                                   member's history rows: a PIN, a name or a balance is never said aloud in a lobby
//   VoicePrompt                     one thing to say: its id (for the log), text, and whether a tone comes first
//   VoiceGuide::after_frame(facts)  given what one frame did, the one prompt to say now (or none, or stop)
//
// What is said (docs/accessibility.md), at most one prompt per frame, the newest winning:
//   1. the idle warning ("voice.idle", with a tone first) when the countdown appears;
//   2. a new screen's title and purpose ("voice.<screen>"), followed by what the screen itself posted;
//   3. what the screen posted (a ticket code read character by character);
//   4. the label of the button just tapped, unless it was a key of a keyboard or PIN pad.
// Each new prompt cancels the one still speaking (platform::Speaker::say).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/scene.h"
#include "i18n/lang.h"
#include "i18n/strings.h"

namespace kiosk {

const char* espeak_voice_for(Lang lang);
std::string read_characters(std::string_view code);
std::string read_digits(std::string_view number);
std::string read_time(int hour, int minute, Lang lang);
const char* screen_prompt_key(SceneId screen);
std::string spoken_label(std::string_view label);
bool is_spoken_widget(std::string_view id);

struct VoicePrompt {
    std::string id;    // a string key or a widget id: the log names it, never the text
    std::string text;  // in the guest's language
    bool tone_first = false;
};

// What happened in one frame, as far as the voice cares.
struct FrameFacts {
    bool voice_on = false;
    Lang lang = kDefaultLang;
    SceneId screen = SceneId::attract;
    bool countdown_showing = false;
    std::optional<std::pair<std::string, std::string>> tapped;  // widget id, label
    std::vector<VoicePrompt> posted;                            // KioskContext::say() during the frame
};

struct VoiceDecision {
    enum class Kind { nothing, say, stop } kind = Kind::nothing;
    VoicePrompt prompt;
};

class VoiceGuide {
public:
    explicit VoiceGuide(const StringTable& strings) : strings_(strings) {}
    VoiceDecision after_frame(const FrameFacts& facts);

private:
    const StringTable& strings_;
    bool was_on_ = false;
    std::optional<SceneId> last_screen_;  // the screen whose prompt was said last (nullopt: none yet)
    bool countdown_was_showing_ = false;
};

}  // namespace kiosk
