// Configuration: every key optional, flags override the file, and anything
// bad stops the kiosk with one line that names it.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <vector>

#include "app/config.h"
#include "app/scene.h"

using kiosk::KioskConfig;
using kiosk::ParseOutcome;

namespace {
ParseOutcome parse(std::vector<std::string> args, KioskConfig* config, std::string* message) {
    args.insert(args.begin(), "kiosk");
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    return kiosk::parse_kiosk_args(int(argv.size()), argv.data(), config, message);
}
}  // namespace

TEST_CASE("With no flags and no file the defaults run", "[config]") {
    KioskConfig config;
    std::string message;
    REQUIRE(parse({}, &config, &message) == ParseOutcome::run);
    CHECK(config.window_mode == kiosk::WindowMode::fullscreen);
    CHECK(config.lang == "zh-Hans");
    CHECK(config.idle_timeout_s == 60);
    CHECK(config.idle_countdown_s == 10);
    CHECK(config.feedback_min_interval_s == 5);
    CHECK_FALSE(config.data_dir.empty());
    CHECK(config.printer_path.empty());  // no printer unless one is named
}

TEST_CASE("Every flag the brief names is accepted", "[config]") {
    KioskConfig config;
    std::string message;
    REQUIRE(parse({"--data-dir", "/tmp/k", "--kiosk-id", "lobby-7", "--crm-url", "https://crm.example:8443",
                   "--lang", "es", "--windowed", "1280x800", "--screen", "home", "--script", "s.txt",
                   "--screenshot", "o.png"},
                  &config, &message) == ParseOutcome::run);
    CHECK(config.data_dir == "/tmp/k");
    CHECK(config.kiosk_id == "lobby-7");
    CHECK(config.crm_url == "https://crm.example:8443");
    CHECK(config.lang == "es");
    CHECK(config.window_mode == kiosk::WindowMode::windowed);
    CHECK(config.width == 1280);
    CHECK(config.height == 800);
    CHECK(config.start_screen == "home");
    CHECK(config.script_file == "s.txt");
    CHECK(config.screenshot_file == "o.png");

    KioskConfig headless;
    REQUIRE(parse({"--headless", "--size", "1024x600", "--bench"}, &headless, &message) == ParseOutcome::run);
    CHECK(headless.window_mode == kiosk::WindowMode::headless);
    CHECK(headless.width == 1024);
    CHECK(headless.bench);
}

TEST_CASE("A bad flag or value stops with one line naming it", "[config]") {
    KioskConfig config;
    std::string message;
    CHECK(parse({"--colour", "red"}, &config, &message) == ParseOutcome::exit_error);
    CHECK(message == "unknown option '--colour' (see --help)");
    CHECK(parse({"--lang", "fr"}, &config, &message) == ParseOutcome::exit_error);
    CHECK(message == "--lang fr: must be zh-Hans, zh-Hant, en or es");
    CHECK(parse({"--windowed", "big"}, &config, &message) == ParseOutcome::exit_error);
    CHECK(message.rfind("--windowed big:", 0) == 0);
    CHECK(parse({"--crm-url", "ftp://x"}, &config, &message) == ParseOutcome::exit_error);
    CHECK(message.find("--crm-url") == 0);
    CHECK(parse({"--data-dir"}, &config, &message) == ParseOutcome::exit_error);
    CHECK(message == "--data-dir needs a value");
    CHECK(message.find('\n') == std::string::npos);
}

TEST_CASE("The configuration file sets keys, and flags override it", "[config]") {
    auto path = std::filesystem::temp_directory_path() / "kiosk-config-test.conf";
    std::ofstream(path) << "# lobby east\nkiosk_id = east-2\nlang = zh-Hant\nidle_timeout_s = 90   # longer here\n"
                           "\nlarge_text = yes\n";
    KioskConfig config;
    std::string message;
    REQUIRE(parse({"--config", path.string(), "--lang", "en"}, &config, &message) == ParseOutcome::run);
    CHECK(config.kiosk_id == "east-2");
    CHECK(config.lang == "en");  // the flag wins
    CHECK(config.idle_timeout_s == 90);
    CHECK(config.large_text);

    std::ofstream(path) << "kiosk_id = east-2\nidle_timeout_s = soon\n";
    KioskConfig bad;
    CHECK(parse({"--config", path.string()}, &bad, &message) == ParseOutcome::exit_error);
    CHECK(message == path.string() + ":2: idle_timeout_s must be a whole number from 5 to 3600");

    std::ofstream(path) << "colour = red\n";
    CHECK(parse({"--config", path.string()}, &bad, &message) == ParseOutcome::exit_error);
    CHECK(message == path.string() + ":1: unknown key 'colour'");

    // Secrets never sit in the configuration file (anyone may read it): only the files naming them.
    std::ofstream(path) << "admin_pin = 1234\n";
    CHECK(parse({"--config", path.string()}, &bad, &message) == ParseOutcome::exit_error);
    CHECK(message.rfind(path.string() + ":1: admin_pin is not read from the configuration", 0) == 0);
    std::ofstream(path) << "kiosk_secret = hunter2\n";
    CHECK(parse({"--config", path.string()}, &bad, &message) == ParseOutcome::exit_error);
    CHECK(message.find("kiosk_secret_file") != std::string::npos);
    std::filesystem::remove(path);

    CHECK(parse({"--config", "/nonexistent.conf"}, &bad, &message) == ParseOutcome::exit_error);
    CHECK(message == "--config /nonexistent.conf: cannot be read");
}

TEST_CASE("The receipt printer's device comes from --printer or the printer_path key", "[config]") {
    KioskConfig config;
    std::string message;
    REQUIRE(parse({"--printer", "/dev/usb/lp0"}, &config, &message) == ParseOutcome::run);
    CHECK(config.printer_path == "/dev/usb/lp0");

    auto path = std::filesystem::temp_directory_path() / "kiosk-config-printer-test.conf";
    std::ofstream(path) << "printer_path = /dev/ttyUSB0\n";
    KioskConfig from_file;
    REQUIRE(parse({"--config", path.string()}, &from_file, &message) == ParseOutcome::run);
    CHECK(from_file.printer_path == "/dev/ttyUSB0");
    KioskConfig overridden;
    REQUIRE(parse({"--config", path.string(), "--printer", "/dev/usb/lp1"}, &overridden, &message) == ParseOutcome::run);
    CHECK(overridden.printer_path == "/dev/usb/lp1");  // the flag wins
    std::filesystem::remove(path);

    KioskConfig missing_value;
    CHECK(parse({"--printer"}, &missing_value, &message) == ParseOutcome::exit_error);
    CHECK(message == "--printer needs a value");

    REQUIRE(parse({"--help"}, &config, &message) == ParseOutcome::exit_ok);
    CHECK(message.find("--printer") != std::string::npos);
    CHECK(message.find("printer_path") != std::string::npos);
}

TEST_CASE("--help lists every flag the brief asks for", "[config]") {
    KioskConfig config;
    std::string message;
    REQUIRE(parse({"--help"}, &config, &message) == ParseOutcome::exit_ok);
    for (const char* flag : {"--config", "--data-dir", "--kiosk-id", "--crm-url", "--lang", "--windowed", "--headless",
                             "--size", "--screen", "--script", "--screenshot", "--bench"})
        CHECK(message.find(flag) != std::string::npos);
}

TEST_CASE("time_zone names the hospital's IANA zone, and an unknown or unsafe name stops the kiosk", "[config][local-time]") {
    auto path = std::filesystem::temp_directory_path() / "kiosk-config-zone-test.conf";
    KioskConfig config;
    std::string message;
    REQUIRE(parse({}, &config, &message) == ParseOutcome::run);
    CHECK(config.time_zone.empty());  // the CRM's content says, until configured
    std::ofstream(path) << "time_zone = Europe/Madrid\n";
    REQUIRE(parse({"--config", path.string()}, &config, &message) == ParseOutcome::run);
    CHECK(config.time_zone == "Europe/Madrid");
    for (const char* bad : {"Mars/Base", "../../etc/passwd", "Asia/Shanghai extra"}) {
        std::ofstream(path) << "time_zone = " << bad << "\n";
        KioskConfig refused;
        CHECK(parse({"--config", path.string()}, &refused, &message) == ParseOutcome::exit_error);
        CHECK(message.find("time_zone must be an IANA time zone") != std::string::npos);
    }
    std::filesystem::remove(path);
}

TEST_CASE("voice sets the kiosk's default for spoken guidance, voice_volume its starting volume", "[config][voice]") {
    auto path = std::filesystem::temp_directory_path() / "kiosk-config-voice-test.conf";
    KioskConfig config;
    std::string message;
    REQUIRE(parse({}, &config, &message) == ParseOutcome::run);
    CHECK_FALSE(config.voice);  // off by default: elder mode or a11y.voice switch it on
    CHECK(config.voice_volume == 80);
    std::ofstream(path) << "voice = on\nvoice_volume = 60\n";
    REQUIRE(parse({"--config", path.string()}, &config, &message) == ParseOutcome::run);
    CHECK(config.voice);
    CHECK(config.voice_volume == 60);
    for (const char* bad : {"voice = yes", "voice_volume = 101", "voice_volume = -1"}) {
        std::ofstream(path) << bad << "\n";
        KioskConfig refused;
        INFO(bad);
        CHECK(parse({"--config", path.string()}, &refused, &message) == ParseOutcome::exit_error);
        CHECK(message.find(std::string(bad).substr(0, std::string(bad).find(' '))) != std::string::npos);
    }
    std::filesystem::remove(path);
}

TEST_CASE("public_url is where phones open the record pages, the CRM's URL unless set, and only a plain base URL", "[config][paper]") {
    KioskConfig defaults;
    std::string message;
    REQUIRE(parse({"--crm-url", "http://127.0.0.1:9000"}, &defaults, &message) == ParseOutcome::run);
    CHECK(defaults.record_page_base() == "http://127.0.0.1:9000");

    auto path = std::filesystem::temp_directory_path() / "kiosk-config-public-url-test.conf";
    std::ofstream(path) << "public_url = https://crm.example-hospital.cn\n";
    KioskConfig from_file;
    REQUIRE(parse({"--config", path.string()}, &from_file, &message) == ParseOutcome::run);
    CHECK(from_file.record_page_base() == "https://crm.example-hospital.cn");

    for (const char* bad : {"ftp://crm", "https://crm/?x=1", "https://c rm", "javascript:alert(1)"}) {
        std::ofstream(path) << "public_url = " << bad << "\n";
        KioskConfig config;
        INFO(bad);
        CHECK(parse({"--config", path.string()}, &config, &message) == ParseOutcome::exit_error);
        CHECK(message.find("public_url") != std::string::npos);
    }
    std::filesystem::remove(path);
}
