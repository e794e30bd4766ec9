// Voice guidance against the real CRM: a booking's code is read character by
// character, then its day and its time as a time (tests/kiosk/test_voice.cpp
// has the rest of the voice). The audio goes to SDL's disk driver.
#include <cstdio>
#include <cstdlib>
#include <regex>

#include "kiosk_with_crm.h"

namespace {

long espeak_en_samples(const std::filesystem::path& dir, const std::string& text) {
    std::ofstream(dir / "espeak.txt") << text;
    std::string command = "espeak-ng -v en -s 155 --stdout -f " + (dir / "espeak.txt").string();
    FILE* out = popen(command.c_str(), "r");
    REQUIRE(out);
    long bytes = 0;
    char buffer[65536];
    for (size_t n; (n = std::fread(buffer, 1, sizeof buffer, out)) > 0;) bytes += long(n);
    REQUIRE(pclose(out) == 0);
    return (bytes - 44) / 2;
}

// The speaker's "voice: PROMPT finished|cancelled after N samples" line.
std::optional<std::pair<std::string, long>> ending(const std::string& log, const std::string& prompt) {
    std::smatch m;
    if (!std::regex_search(log, m, std::regex("voice: " + prompt + " (finished|cancelled) after ([0-9]+) samples")))
        return std::nullopt;
    return std::make_pair(m[1].str(), std::stol(m[2].str()));
}

}  // namespace

TEST_CASE("With the voice on a booking's code is read character by character and then its day and time",
          "[with-crm][booking][voice]") {
    KioskWithCrm k;
    std::filesystem::path audio = k.dir / "voice.raw";
    ::setenv("SDL_AUDIODRIVER", "disk", 1);
    ::setenv("SDL_DISKAUDIOFILE", audio.c_str(), 1);
    ScriptRun options;
    options.config_lines = {"voice = on"};
    ScriptResult run = k.run_script(R"(
sync
tap start
tap lang.en
tap home.booking
tap Internal medicine
tap book.doctor.0
tap book.day.1
expect visible book.slot.0
tap book.slot.0
tap book.name
type Ana Lopez
tap book.phone
type 13812345678
tap book.next
tap book.confirm
expect visible book.code
await 30 s said voice.booking.code
)", options);
    ::unsetenv("SDL_AUDIODRIVER");
    ::unsetenv("SDL_DISKAUDIOFILE");
    REQUIRE_SCRIPT_PASSES(run);
    std::smatch m;
    REQUIRE(std::regex_search(run.output, m, std::regex(R"(booking: booking (B-[0-9A-Z]{4}-[0-9A-Z]{4}) saved)")));
    const std::string code = m[1];
    CHECK(run.output.find("voice: speaking voice.booking.code (en,") != std::string::npos);
    auto said = ending(run.output, "voice\\.booking\\.code");
    REQUIRE(said);
    CHECK(said->first == "finished");
    // "B. X, X, X, X. X, X, X, X" and then a day and a time: longer than the code alone,
    // shorter than the code with the longest day and time English has.
    std::string spelled;
    bool group_ended = false;
    for (char ch : code) {
        if (ch == '-') {
            group_ended = true;
            continue;
        }
        if (!spelled.empty()) spelled += group_ended ? ". " : ", ";
        spelled += ch;
        group_ended = false;
    }
    long code_alone = espeak_en_samples(k.dir, "Your booking code is " + spelled + ".");
    long longest = espeak_en_samples(k.dir, "Your booking code is " + spelled + ". Wednesday 30 September, at 12:30.");
    INFO("code " << code << " read as '" << spelled << "'");
    CHECK(said->second > code_alone + 22050 / 2);
    CHECK(said->second < longest * 115 / 100);
    // The guest's name and phone are never said nor logged.
    CHECK(run.output.find("Ana") == std::string::npos);
    CHECK(run.output.find("speaking key.") == std::string::npos);
}
