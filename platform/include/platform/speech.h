// platform/speech.h — the kiosk's voice: espeak-ng synthesis on a worker
// thread, played through an SDL audio device. No ImGui, no screens: the app
// decides WHAT to say (kiosk/voice/), this only says it.
//
// Index
//   Utterance                       what to say: espeak-ng voice name, text, an optional warning tone before it,
//                                   and the prompt id the log names (never the text: it may hold a code)
//   Speaker::open(&why)             the espeak-ng data and an SDL audio device, or nullptr and one line saying
//                                   which is missing (the kiosk then runs on silently)
//   Speaker::say(utterance)         cancel whatever is still speaking or waiting, then speak this; returns its
//                                   number. Never waits for synthesis: safe on the UI thread
//   Speaker::stop()                 silence now (voice switched off, the session ended)
//   Speaker::set_volume(percent)    0–100, applied to the samples as they are played
//   Speaker::wait_first_sample(n, timeout_ms)  tests, the bench: until utterance n's first sample was handed to
//                                   the device (true), or it was cancelled / the time ran out (false)
//   Speaker::wait_done(n, timeout_ms)          until utterance n was played to its end or cancelled
//   Speaker::first_sample_delay_ms(n)          from say() to the first sample played (-1: none yet)
//   Speaker::first_sample_at_ms(n)             when it was played, on std::chrono::steady_clock in ms (-1: not yet)
//   tone_samples(sample_rate)       the warning tone, as played (tests look for it)
//
// Threads and invariants:
//   - one Speaker per process (espeak-ng keeps global state); the worker is the only thread that calls
//     espeak-ng, the SDL audio callback the only one that reads the play queue, and both touch the queue
//     under one mutex — a handoff of samples, never of pointers into espeak's buffers;
//   - a new say() or stop() empties the play queue before it returns, and the synthesis of the old
//     utterance aborts at its next chunk: a guest who moved on never hears the old screen;
//   - each utterance logs one line when it starts ("voice: speaking PROMPT (VOICE, N bytes[, tone])") and
//     one when it ends ("voice: PROMPT finished|cancelled after N samples"), so tests can follow it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace platform {

struct Utterance {
    std::string voice;      // espeak-ng voice name: "cmn", "yue", "en", "es"
    std::string text;       // UTF-8, at most kMaxUtteranceBytes (longer is cut at a character boundary)
    bool tone_first = false;  // a short two-beep tone before the speech: a warning through more than one sense
    std::string prompt_id;  // what the log names: "voice.home", "nav.back", …
};

inline constexpr size_t kMaxUtteranceBytes = 2000;

class Speaker {
public:
    static std::unique_ptr<Speaker> open(std::string* why);
    ~Speaker();
    Speaker(const Speaker&) = delete;
    Speaker& operator=(const Speaker&) = delete;

    uint64_t say(Utterance utterance);
    void stop();
    void set_volume(int percent);
    int sample_rate() const;

    bool wait_first_sample(uint64_t number, int timeout_ms);
    bool wait_done(uint64_t number, int timeout_ms);
    int64_t first_sample_delay_ms(uint64_t number) const;
    int64_t first_sample_at_ms(uint64_t number) const;

    struct Impl;

private:
    explicit Speaker(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

std::vector<int16_t> tone_samples(int sample_rate);

}  // namespace platform
