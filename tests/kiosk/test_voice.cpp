// Voice guidance end to end: the real kiosk binary, scripted, its speech
// captured by SDL's `disk` audio driver (the raw samples a device would have
// played), its log read for which prompt started and how it ended. The lengths
// are checked against espeak-ng's own synthesis of the same reviewed text.
// No sleeps: the script's `await N s spoken|said PROMPT` waits on the speaker
// with a bound, and the test waits for the process to exit.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

extern char** environ;

namespace fs = std::filesystem;

namespace {

const std::string kAssets = std::string(KIOSK_SOURCE_DIR) + "/assets";

struct KioskRun {
    int status = -1;
    std::string log;
    std::vector<int16_t> audio;  // what the device played: 16-bit mono at 22 050 Hz
    bool audio_file_written = false;
};

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

fs::path fresh_dir(const std::string& name) {
    fs::path dir = fs::temp_directory_path() / ("kiosk-voice-" + name + "-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

KioskRun run_kiosk(const std::string& name, const std::string& script, std::vector<std::string> args,
                   const std::string& audio_driver = "disk", const std::string& config = "") {
    fs::path dir = fresh_dir(name);
    std::ofstream(dir / "test.script") << script;
    fs::path audio = dir / "audio.raw", log = dir / "kiosk.log";
    std::vector<std::string> argv_text = {KIOSK_BINARY, "--demo", "--headless", "--data-dir", (dir / "data").string(),
                                          "--script", (dir / "test.script").string()};
    if (!config.empty()) {
        std::ofstream(dir / "kiosk.conf") << config;
        argv_text.insert(argv_text.end(), {"--config", (dir / "kiosk.conf").string()});
    }
    argv_text.insert(argv_text.end(), args.begin(), args.end());
    std::vector<std::string> env_text;
    for (char** e = environ; *e; ++e)
        if (std::string(*e).rfind("SDL_AUDIODRIVER=", 0) != 0 && std::string(*e).rfind("SDL_DISKAUDIO", 0) != 0)
            env_text.push_back(*e);
    env_text.push_back("SDL_AUDIODRIVER=" + audio_driver);
    env_text.push_back("SDL_DISKAUDIOFILE=" + audio.string());
    std::vector<char*> argv, envp;
    for (auto& a : argv_text) argv.push_back(a.data());
    argv.push_back(nullptr);
    for (auto& e : env_text) envp.push_back(e.data());
    envp.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    pid_t pid = 0;
    REQUIRE(posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data()) == 0);
    posix_spawn_file_actions_destroy(&actions);
    int wstatus = 0;
    REQUIRE(waitpid(pid, &wstatus, 0) == pid);

    KioskRun run;
    run.status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1;
    run.log = read_file(log);
    run.audio_file_written = fs::exists(audio);
    if (run.audio_file_written) {
        std::string raw = read_file(audio);
        run.audio.resize(raw.size() / 2);
        std::memcpy(run.audio.data(), raw.data(), run.audio.size() * 2);
    }
    fs::remove_all(dir);
    return run;
}

// The reviewed text of a prompt, as the shipped tables hold it.
std::string prompt_text(const std::string& lang, const std::string& key) {
    nlohmann::json table = nlohmann::json::parse(read_file(kAssets + "/i18n/voice/" + lang + ".json"));
    return table.at(key).get<std::string>();
}

// espeak-ng's own synthesis of the text at the kiosk's rate: how many samples the whole prompt is.
long espeak_samples(const std::string& voice, const std::string& text) {
    fs::path dir = fresh_dir("espeak");
    std::ofstream(dir / "text.txt") << text;
    std::string command = "espeak-ng -v " + voice + " -s 155 --stdout -f " + (dir / "text.txt").string();
    FILE* out = popen(command.c_str(), "r");
    REQUIRE(out);
    long bytes = 0;
    char buffer[65536];
    for (size_t n; (n = std::fread(buffer, 1, sizeof buffer, out)) > 0;) bytes += long(n);
    REQUIRE(pclose(out) == 0);
    fs::remove_all(dir);
    return (bytes - 44) / 2;  // a WAV header, then 16-bit mono samples
}

// "voice: PROMPT finished|cancelled after N samples" — every such line for the prompt, in order.
std::vector<std::pair<std::string, long>> endings(const std::string& log, const std::string& prompt) {
    std::vector<std::pair<std::string, long>> out;
    std::regex line("voice: " + std::regex_replace(prompt, std::regex("\\."), "\\.") +
                    " (finished|cancelled) after ([0-9]+) samples");
    for (std::sregex_iterator it(log.begin(), log.end(), line), end; it != end; ++it)
        out.emplace_back((*it)[1].str(), std::stol((*it)[2].str()));
    return out;
}

int count_of(const std::string& text, const std::string& what) {
    int n = 0;
    for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

long loud_samples(const std::vector<int16_t>& audio, size_t from = 0) {
    long n = 0;
    for (size_t i = from; i < audio.size(); ++i) n += std::abs(int(audio[i])) > 64;
    return n;
}

// Goertzel: the share of a window's energy at one frequency (1.0 for a pure tone).
double tone_share(const int16_t* x, size_t n, double freq, double rate) {
    double w = 2 * M_PI * freq / rate, coeff = 2 * std::cos(w), s1 = 0, s2 = 0, energy = 0;
    for (size_t i = 0; i < n; ++i) {
        double s0 = x[i] + coeff * s1 - s2;
        s2 = s1;
        s1 = s0;
        energy += double(x[i]) * x[i];
    }
    double power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
    return energy > 0 ? power / (double(n) / 2 * energy) : 0;
}

}  // namespace

TEST_CASE("Elder mode speaks each new screen's prompt, and a new screen cuts off the old one", "[voice]") {
    KioskRun run = run_kiosk("elder", R"(
tap a11y.elder
expect screen home
await 10 s spoken voice.home
tap home.visit_flow
await 10 s spoken voice.visit_flow
tap nav.back
await 10 s spoken voice.home
tap home.visit_flow
await 20 s said voice.visit_flow
tap nav.home
tap nav.finish
expect screen attract
tap start
expect screen home
)", {"--lang", "en"});
    INFO(run.log);
    REQUIRE(run.status == 0);
    CHECK(count_of(run.log, "voice: speaking voice.home (en,") == 3);
    CHECK(count_of(run.log, "voice: speaking voice.visit_flow (en,") == 2);

    long full = espeak_samples("en", prompt_text("en", "voice.visit_flow"));
    auto visit = endings(run.log, "voice.visit_flow");
    REQUIRE(visit.size() == 2);
    // Cut off by Back: the guest heard only its first moments, never the rest.
    CHECK(visit[0].first == "cancelled");
    CHECK(visit[0].second > 0);
    CHECK(visit[0].second < full / 2);
    // Left alone, it is the whole reviewed text, as espeak-ng says it.
    CHECK(visit[1].first == "finished");
    CHECK(std::abs(visit[1].second - full) < full * 15 / 100);
    // And the device really played it: at least that many samples of sound.
    REQUIRE(run.audio_file_written);
    CHECK(loud_samples(run.audio) > full / 2);

    // The session wipe switches the voice off again: the attract screen and the next guest's home are silent.
    CHECK(count_of(run.log, "speaking voice.attract") == 0);
}

TEST_CASE("Each language is spoken in its own voice: Cantonese, Mandarin, Spanish", "[voice]") {
    KioskRun run = run_kiosk("languages", R"(
tap a11y.elder
await 10 s spoken voice.home
tap lang.zh-Hans
await 10 s spoken lang.zh-Hans
tap lang.es
await 10 s said lang.es
)", {"--lang", "zh-Hant"});
    INFO(run.log);
    REQUIRE(run.status == 0);
    CHECK(count_of(run.log, "voice: speaking voice.home (yue,") == 1);
    CHECK(count_of(run.log, "voice: speaking lang.zh-Hans (cmn,") == 1);
    CHECK(count_of(run.log, "voice: speaking lang.es (es,") == 1);
    auto es = endings(run.log, "lang.es");
    REQUIRE(es.size() == 1);
    CHECK(es[0].first == "finished");
    CHECK(es[0].second > 0);
}

TEST_CASE("The idle warning is sounded and spoken: a tone first, then the words", "[voice]") {
    KioskRun run = run_kiosk("idle", R"(
tap start
expect screen home
wait 61 s
expect countdown
await 20 s said voice.idle
)", {"--lang", "en"}, "disk", "voice = on\n");
    INFO(run.log);
    REQUIRE(run.status == 0);
    CHECK(count_of(run.log, "voice: speaking voice.idle (en,") == 1);
    CHECK(count_of(run.log, ", tone first)") == 1);
    auto idle = endings(run.log, "voice.idle");
    REQUIRE(idle.size() == 1);
    CHECK(idle[0].first == "finished");
    long words = espeak_samples("en", prompt_text("en", "voice.idle"));
    CHECK(idle[0].second > words);  // the tone and then every word

    // In the audio: an 880 Hz tone, then speech after it.
    REQUIRE(run.audio_file_written);
    bool found_tone = false;
    size_t after_tone = 0;
    for (size_t i = 0; i + 4096 < run.audio.size() && !found_tone; i += 256) {
        if (tone_share(run.audio.data() + i, 1024, 880.0, 22050.0) > 0.9 && loud_samples({run.audio.begin() + long(i),
                                                                                            run.audio.begin() + long(i) + 1024}) > 900) {
            found_tone = true;
            after_tone = i + 22050 / 2;  // both beeps and their gaps are over within half a second
        }
    }
    CHECK(found_tone);
    CHECK(loud_samples(run.audio, after_tone) > words / 2);
}

TEST_CASE("a11y.voice switches the voice on and off for one guest, with its volume beside it", "[voice]") {
    KioskRun run = run_kiosk("toggle", R"(
tap start
expect hidden a11y.voice.louder
tap a11y.voice
await 10 s spoken voice.home
expect visible Volume 80%
tap a11y.voice.louder
await 10 s spoken a11y.voice.louder
expect visible Volume 100%
tap a11y.voice
expect hidden a11y.voice.louder
tap home.visit_flow
expect screen visit_flow
)", {"--lang", "en"});
    INFO(run.log);
    REQUIRE(run.status == 0);
    CHECK(count_of(run.log, "voice: speaking voice.home") == 1);
    CHECK(count_of(run.log, "voice: speaking a11y.voice.louder") == 1);
    CHECK(endings(run.log, "a11y.voice.louder").size() == 1);
    CHECK(count_of(run.log, "speaking voice.visit_flow") == 0);  // off: the next screen is silent
}

TEST_CASE("Voice is off by default: nothing is said and no audio device is opened", "[voice]") {
    KioskRun run = run_kiosk("default", R"(
tap start
tap home.visit_flow
expect screen visit_flow
)", {});
    INFO(run.log);
    REQUIRE(run.status == 0);
    CHECK(count_of(run.log, "voice:") == 0);
    CHECK_FALSE(run.audio_file_written);
}

TEST_CASE("Without an audio device the kiosk runs on silently and says so in one line", "[voice]") {
    KioskRun run = run_kiosk("no-device", R"(
tap a11y.elder
expect screen home
tap home.visit_flow
expect screen visit_flow
tap nav.back
expect screen home
)", {"--lang", "en"}, "no-such-driver");
    INFO(run.log);
    REQUIRE(run.status == 0);
    CHECK(count_of(run.log, "the kiosk runs on silently") == 1);
    CHECK(count_of(run.log, "voice: speaking") == 0);
}

TEST_CASE("A complaint's ticket is read character by character, and what the guest typed is never said", "[voice]") {
    KioskRun run = run_kiosk("ticket", R"(
tap start
tap home.complaint
tap complaint.start
tap complaint.what
type Nobody told me why
tap key.OK
tap complaint.submit
expect visible ticket.number
await 30 s said voice.complaint.ticket
)", {"--lang", "en"}, "disk", "voice = on\n");
    INFO(run.log);
    REQUIRE(run.status == 0);
    std::smatch saved;
    REQUIRE(std::regex_search(run.log, saved, std::regex("complaint ([A-Z0-9-]+) saved to the outbox")));
    const std::string ticket = saved[1].str();
    CHECK(count_of(run.log, "voice: speaking voice.complaint.ticket (en,") == 1);
    auto said = endings(run.log, "voice.complaint.ticket");
    REQUIRE(said.size() == 1);
    CHECK(said[0].first == "finished");
    // As long as espeak-ng takes to say it one character at a time: far longer than the code read as words.
    std::string spelled;
    for (char ch : ticket) {
        if (ch == '-') { spelled += "."; continue; }
        if (!spelled.empty() && spelled.back() != '.') spelled += ",";
        spelled += std::string(spelled.empty() ? "" : " ") + ch;
    }
    long expected = espeak_samples("en", "Your ticket number is " + spelled + ".");
    long as_words = espeak_samples("en", "Your ticket number is " + ticket + ".");
    INFO("ticket " << ticket << " spelled '" << spelled << "'");
    CHECK(std::abs(said[0].second - expected) < expected * 15 / 100);
    CHECK(said[0].second > as_words * 12 / 10);
    // Keys and typed text are not spoken.
    CHECK(count_of(run.log, "voice: speaking key.") == 0);
    CHECK(count_of(run.log, "Nobody told me") == 0);
}
