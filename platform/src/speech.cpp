#include "platform/speech.h"

#include <SDL.h>
#include <espeak-ng/espeak_ng.h>
#include <espeak-ng/speak_lib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "platform/log.h"

namespace platform {

namespace {

constexpr int kSynthChunkMs = 40;      // espeak-ng hands over this much at a time: the first words start soon
constexpr int kDeviceSamples = 512;    // ≈ 23 ms at 22 050 Hz: the play queue's granularity
constexpr int kSpeechRateWpm = 155;    // a little slower than espeak-ng's 175: calmer, for a lobby
constexpr int16_t kSpokenThreshold = 64;  // a sample louder than this is speech, not the pause before it
constexpr size_t kRecordsKept = 64;

int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

// Cut at a UTF-8 character boundary, never inside one.
std::string bounded(std::string text) {
    if (text.size() <= kMaxUtteranceBytes) return text;
    size_t cut = kMaxUtteranceBytes;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    text.resize(cut);
    return text;
}

}  // namespace

std::vector<int16_t> tone_samples(int sample_rate) {
    // Two short beeps at 880 Hz, each faded in and out so they never click.
    const int beep = sample_rate * 150 / 1000, gap = sample_rate * 80 / 1000, fade = sample_rate * 5 / 1000;
    std::vector<int16_t> out;
    out.reserve(size_t(2 * beep + 2 * gap));
    for (int b = 0; b < 2; ++b) {
        for (int i = 0; i < beep; ++i) {
            double envelope = std::min({1.0, double(i) / fade, double(beep - 1 - i) / fade});
            out.push_back(int16_t(12000.0 * envelope * std::sin(2.0 * M_PI * 880.0 * i / sample_rate)));
        }
        out.insert(out.end(), size_t(gap), int16_t(0));
    }
    return out;
}

struct Speaker::Impl {
    struct Record {
        int64_t said_at_ms = 0;
        int64_t first_sample_ms = -1;
        int64_t played = 0;
        bool done = false;
    };

    SDL_AudioDeviceID device = 0;
    int rate = 22050;
    std::atomic<int> volume{80};

    // Everything below is guarded by `mutex`: the UI thread (say/stop), the
    // worker (samples in, lifecycle) and the audio callback (samples out).
    std::mutex mutex;
    std::condition_variable changed;  // any of the below moved
    uint64_t requested = 0;           // the newest say()/stop(): only its samples may be queued or played
    std::optional<std::pair<uint64_t, Utterance>> pending;  // said, not yet taken by the worker
    std::deque<int16_t> queue;        // samples of `requested`, waiting for the device
    bool synth_finished = false;      // the worker has queued all of `requested`
    std::map<uint64_t, Record> records;
    bool quit = false;

    // espeak-ng's state is the worker's alone.
    std::thread worker;
    bool engine_ready = false;
    std::string loaded_voice;
    uint64_t synthesising = 0;  // the number espeak-ng is working on (read in its callback, same thread)

    static Impl* current;  // espeak-ng's callback has no context pointer of its own for the whole call

    static void audio_callback(void* self, Uint8* stream, int len) {
        static_cast<Impl*>(self)->fill(reinterpret_cast<int16_t*>(stream), size_t(len) / sizeof(int16_t));
    }

    void fill(int16_t* out, size_t count) {
        int gain = volume.load(std::memory_order_relaxed);
        std::lock_guard<std::mutex> lock(mutex);
        size_t n = std::min(count, queue.size());
        bool spoke = false;
        for (size_t i = 0; i < n; ++i) {
            int16_t s = queue.front();
            queue.pop_front();
            if (s > kSpokenThreshold || s < -kSpokenThreshold) spoke = true;
            out[i] = int16_t(int32_t(s) * gain / 100);
        }
        std::fill(out + n, out + count, int16_t(0));
        if (n == 0) return;
        auto it = records.find(requested);
        if (it == records.end()) return;
        it->second.played += int64_t(n);
        if (spoke && it->second.first_sample_ms < 0) it->second.first_sample_ms = now_ms();
        changed.notify_all();  // the first sample's waiters, and the worker waiting for the queue to drain
    }

    // Under the lock: forget everything older than `number`, start its record.
    uint64_t begin(std::unique_lock<std::mutex>&, std::optional<Utterance> utterance) {
        uint64_t number = ++requested;
        queue.clear();
        synth_finished = utterance ? false : true;
        pending.reset();
        if (utterance) {
            records[number].said_at_ms = now_ms();
            pending.emplace(number, std::move(*utterance));
        }
        while (records.size() > kRecordsKept) records.erase(records.begin());
        changed.notify_all();
        return number;
    }

    bool push(uint64_t number, const int16_t* samples, size_t count) {
        std::lock_guard<std::mutex> lock(mutex);
        if (number != requested || quit) return false;
        queue.insert(queue.end(), samples, samples + count);
        return true;
    }

    static int synth_callback(short* wav, int count, espeak_EVENT*) {
        Impl* self = current;
        if (!wav || count <= 0) return self->still_wanted(self->synthesising) ? 0 : 1;
        return self->push(self->synthesising, wav, size_t(count)) ? 0 : 1;  // 1: abort, a newer one was said
    }

    bool still_wanted(uint64_t number) {
        std::lock_guard<std::mutex> lock(mutex);
        return number == requested && !quit;
    }

    bool start_engine() {
        espeak_ng_InitializePath(nullptr);
        espeak_ng_ERROR_CONTEXT context = nullptr;
        espeak_ng_STATUS status = espeak_ng_Initialize(&context);
        if (status == ENS_OK) status = espeak_ng_InitializeOutput(ENOUTPUT_MODE_SYNCHRONOUS, kSynthChunkMs, nullptr);
        if (status != ENS_OK) {
            char message[256];
            espeak_ng_GetStatusCodeMessage(status, message, sizeof message);
            espeak_ng_ClearErrorContext(&context);
            log_error("voice: espeak-ng cannot start (%s; is espeak-ng-data installed?): the kiosk runs on silently",
                      message);
            return false;
        }
        current = this;
        espeak_SetSynthCallback(&Impl::synth_callback);
        espeak_SetParameter(espeakRATE, kSpeechRateWpm, 0);
        return true;
    }

    void run() {
        engine_ready = start_engine();
        int engine_rate = engine_ready ? espeak_ng_GetSampleRate() : rate;
        if (engine_ready && engine_rate != rate)
            log_warn("voice: espeak-ng speaks at %d Hz, the device was opened for %d Hz", engine_rate, rate);
        std::vector<int16_t> tone = tone_samples(rate);
        for (;;) {
            std::pair<uint64_t, Utterance> job;
            {
                std::unique_lock<std::mutex> lock(mutex);
                changed.wait(lock, [&] { return quit || pending.has_value(); });
                if (quit) break;
                job = std::move(*pending);
                pending.reset();
            }
            uint64_t number = job.first;
            const Utterance& u = job.second;
            log_info("voice: speaking %s (%s, %zu bytes%s)", u.prompt_id.c_str(), u.voice.c_str(), u.text.size(),
                     u.tone_first ? ", tone first" : "");
            if (u.tone_first) push(number, tone.data(), tone.size());
            if (engine_ready && !u.text.empty() && still_wanted(number)) {
                if (u.voice != loaded_voice) {
                    if (espeak_ng_SetVoiceByName(u.voice.c_str()) == ENS_OK) loaded_voice = u.voice;
                    else log_error("voice: espeak-ng has no voice '%s'", u.voice.c_str());
                }
                if (u.voice == loaded_voice) {
                    synthesising = number;
                    espeak_ng_Synthesize(u.text.c_str(), u.text.size() + 1, 0, POS_CHARACTER, 0,
                                         espeakCHARS_UTF8 | espeakENDPAUSE, nullptr, nullptr);
                }
            }
            std::unique_lock<std::mutex> lock(mutex);
            if (number == requested) synth_finished = true;
            changed.wait(lock, [&] { return quit || number != requested || queue.empty(); });
            bool cancelled = number != requested || quit;
            Record& r = records[number];
            r.done = true;
            int64_t played = r.played;
            changed.notify_all();
            lock.unlock();
            log_info("voice: %s %s after %lld samples", u.prompt_id.c_str(), cancelled ? "cancelled" : "finished",
                     static_cast<long long>(played));
        }
        if (engine_ready) espeak_ng_Terminate();
    }
};

Speaker::Impl* Speaker::Impl::current = nullptr;

std::unique_ptr<Speaker> Speaker::open(std::string* why) {
    if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) {
        *why = std::string("no audio (") + SDL_GetError() + ")";
        return nullptr;
    }
    auto impl = std::make_unique<Impl>();
    SDL_AudioSpec want{}, have{};
    want.freq = impl->rate;
    want.format = AUDIO_S16SYS;
    want.channels = 1;
    want.samples = kDeviceSamples;
    want.callback = &Impl::audio_callback;
    want.userdata = impl.get();
    // No allowed changes: SDL converts to the device's own format for us.
    impl->device = SDL_OpenAudioDevice(nullptr, 0, &want, &have, 0);
    if (impl->device == 0) {
        *why = std::string("no audio device (") + SDL_GetError() + ")";
        SDL_QuitSubSystem(SDL_INIT_AUDIO);
        return nullptr;
    }
    impl->worker = std::thread([p = impl.get()] { p->run(); });
    SDL_PauseAudioDevice(impl->device, 0);
    log_info("voice: audio device open (%s driver, %d Hz)", SDL_GetCurrentAudioDriver(), impl->rate);
    return std::unique_ptr<Speaker>(new Speaker(std::move(impl)));
}

Speaker::Speaker(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Speaker::~Speaker() {
    {
        std::lock_guard<std::mutex> lock(impl_->mutex);
        impl_->quit = true;
        impl_->queue.clear();
        impl_->changed.notify_all();
    }
    if (impl_->worker.joinable()) impl_->worker.join();
    SDL_CloseAudioDevice(impl_->device);  // waits for a running callback: nothing touches impl_ after this
    SDL_QuitSubSystem(SDL_INIT_AUDIO);
}

uint64_t Speaker::say(Utterance utterance) {
    utterance.text = bounded(std::move(utterance.text));
    std::unique_lock<std::mutex> lock(impl_->mutex);
    return impl_->begin(lock, std::move(utterance));
}

void Speaker::stop() {
    std::unique_lock<std::mutex> lock(impl_->mutex);
    impl_->begin(lock, std::nullopt);
}

void Speaker::set_volume(int percent) { impl_->volume.store(std::clamp(percent, 0, 100), std::memory_order_relaxed); }

int Speaker::sample_rate() const { return impl_->rate; }

bool Speaker::wait_first_sample(uint64_t number, int timeout_ms) {
    std::unique_lock<std::mutex> lock(impl_->mutex);
    impl_->changed.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] {
        auto it = impl_->records.find(number);
        return it == impl_->records.end() || it->second.first_sample_ms >= 0 || it->second.done;
    });
    auto it = impl_->records.find(number);
    return it != impl_->records.end() && it->second.first_sample_ms >= 0;
}

bool Speaker::wait_done(uint64_t number, int timeout_ms) {
    std::unique_lock<std::mutex> lock(impl_->mutex);
    return impl_->changed.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] {
        auto it = impl_->records.find(number);
        return it == impl_->records.end() || it->second.done;
    });
}

int64_t Speaker::first_sample_delay_ms(uint64_t number) const {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    auto it = impl_->records.find(number);
    if (it == impl_->records.end() || it->second.first_sample_ms < 0) return -1;
    return it->second.first_sample_ms - it->second.said_at_ms;
}

int64_t Speaker::first_sample_at_ms(uint64_t number) const {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    auto it = impl_->records.find(number);
    return it == impl_->records.end() ? -1 : it->second.first_sample_ms;
}

}  // namespace platform
