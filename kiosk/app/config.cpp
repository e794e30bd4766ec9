#include "app/config.h"

#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>

#include "i18n/lang.h"
#include "platform/clock.h"

#ifndef KIOSK_VERSION
#define KIOSK_VERSION "0.0.0"
#endif

namespace kiosk {

namespace {

bool parse_int(const std::string& text, int min, int max, int* out) {
    if (text.empty()) return false;
    char* end = nullptr;
    long value = std::strtol(text.c_str(), &end, 10);
    if (*end != '\0' || value < min || value > max) return false;
    *out = int(value);
    return true;
}

bool parse_bool(const std::string& text, bool* out) {
    if (text == "1" || text == "true" || text == "yes" || text == "on") return *out = true, true;
    if (text == "0" || text == "false" || text == "no" || text == "off") return *out = false, true;
    return false;
}

bool parse_size(const std::string& text, int* w, int* h) {
    auto x = text.find('x');
    if (x == std::string::npos) return false;
    return parse_int(text.substr(0, x), 320, 16384, w) && parse_int(text.substr(x + 1), 240, 16384, h);
}

// One setter per key: the file and the flags share them, so a key behaves the
// same wherever it is given. Returns an empty string or what is wrong.
using Setter = std::function<std::string(KioskConfig&, const std::string&)>;

Setter text_setter(std::string KioskConfig::*field) {
    return [field](KioskConfig& c, const std::string& v) {
        c.*field = v;
        return std::string();
    };
}
Setter int_setter(int KioskConfig::*field, int min, int max) {
    return [=](KioskConfig& c, const std::string& v) {
        return parse_int(v, min, max, &(c.*field))
                   ? std::string()
                   : "must be a whole number from " + std::to_string(min) + " to " + std::to_string(max);
    };
}
Setter bool_setter(bool KioskConfig::*field) {
    return [field](KioskConfig& c, const std::string& v) {
        return parse_bool(v, &(c.*field)) ? std::string() : std::string("must be true or false");
    };
}

const std::map<std::string, Setter>& setters() {
    static const std::map<std::string, Setter> table = {
        {"kiosk_id", [](KioskConfig& c, const std::string& v) {
             if (v.empty() || v.size() > 32) return std::string("must be 1 to 32 characters");
             for (char ch : v)
                 if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_'))
                     return std::string("may hold only letters, digits, '-' and '_'");
             c.kiosk_id = v;
             return std::string();
         }},
        {"kiosk_secret", [](KioskConfig&, const std::string&) {
             return std::string("is not read from the configuration (anyone may read it): put the secret in a "
                                "file only the kiosk user can read and name it with kiosk_secret_file");
         }},
        {"kiosk_secret_file", text_setter(&KioskConfig::kiosk_secret_file)},
        {"admin_pin_file", text_setter(&KioskConfig::admin_pin_file)},
        {"crm_url", [](KioskConfig& c, const std::string& v) {
             if (v.rfind("http://", 0) != 0 && v.rfind("https://", 0) != 0)
                 return std::string("must start with http:// or https://");
             c.crm_url = v;
             return std::string();
         }},
        {"public_url", [](KioskConfig& c, const std::string& v) {
             // It ends up in a QR code a guest's phone opens: a plain http(s) base, nothing to smuggle.
             if (v.rfind("http://", 0) != 0 && v.rfind("https://", 0) != 0)
                 return std::string("must start with http:// or https://");
             if (v.size() > 200 || v.find_first_of(" ?#\"<>") != std::string::npos)
                 return std::string("must be a plain base URL of at most 200 characters (no spaces, quotes, angle brackets, '?' or '#')");
             c.public_url = v;
             return std::string();
         }},
        {"data_dir", text_setter(&KioskConfig::data_dir)},
        {"assets_dir", text_setter(&KioskConfig::assets_dir)},
        {"font_path", text_setter(&KioskConfig::font_path)},
        {"ca_file", text_setter(&KioskConfig::ca_file)},
        {"pinned_pubkey", [](KioskConfig& c, const std::string& v) {
             if (!v.empty() && v.rfind("sha256//", 0) != 0) return std::string("must look like sha256//<base64>");
             c.pinned_pubkey = v;
             return std::string();
         }},
        {"printer_path", text_setter(&KioskConfig::printer_path)},
        {"lang", [](KioskConfig& c, const std::string& v) {
             if (!lang_from_code(v)) return std::string("must be zh-Hans, zh-Hant, en or es");
             c.lang = v;
             return std::string();
         }},
        {"time_zone", [](KioskConfig& c, const std::string& v) {
             if (!platform::is_valid_zone_name(v) || !platform::zone_exists(v))
                 return std::string("must be an IANA time zone this machine knows, e.g. Asia/Shanghai or Europe/Madrid");
             c.time_zone = v;
             return std::string();
         }},
        {"idle_timeout_s", int_setter(&KioskConfig::idle_timeout_s, 5, 3600)},
        {"image_cache_mb", int_setter(&KioskConfig::image_cache_mb, 1, 1024)},
        {"idle_countdown_s", int_setter(&KioskConfig::idle_countdown_s, 3, 60)},
        {"large_text", bool_setter(&KioskConfig::large_text)},
        {"high_contrast", bool_setter(&KioskConfig::high_contrast)},
        {"voice", [](KioskConfig& c, const std::string& v) {
             if (v == "on") c.voice = true;
             else if (v == "off") c.voice = false;
             else return std::string("must be on or off");
             return std::string();
         }},
        {"voice_volume", int_setter(&KioskConfig::voice_volume, 0, 100)},
        {"admin_pin", [](KioskConfig&, const std::string&) {
             return std::string("is not read from the configuration: store its hash (kiosk --hash-pin) in a file "
                                "only the kiosk user can read and name it with admin_pin_file");
         }},
        {"admin_hold_ms", int_setter(&KioskConfig::admin_hold_ms, 500, 20000)},
        {"shuffle_pin_pad", bool_setter(&KioskConfig::shuffle_pin_pad)},
        {"offline_redeem_limit_points", int_setter(&KioskConfig::offline_redeem_limit_points, 0, 1'000'000)},
        {"feedback_min_interval_s", int_setter(&KioskConfig::feedback_min_interval_s, 0, 600)},
        {"window", [](KioskConfig& c, const std::string& v) {
             if (v == "fullscreen") c.window_mode = WindowMode::fullscreen;
             else if (v == "headless") c.window_mode = WindowMode::headless;
             else if (parse_size(v, &c.width, &c.height)) c.window_mode = WindowMode::windowed;
             else return std::string("must be fullscreen, headless or WIDTHxHEIGHT");
             return std::string();
         }},
        {"size", [](KioskConfig& c, const std::string& v) {
             return parse_size(v, &c.width, &c.height) ? std::string() : std::string("must be WIDTHxHEIGHT, e.g. 1920x1080");
         }},
    };
    return table;
}

struct Flag {
    const char* name;
    const char* key;        // config key it sets, or nullptr for flags of their own
    bool takes_value;
    const char* help;
};

const Flag kFlags[] = {
    {"--config", nullptr, true, "FILE        read settings from FILE (key = value lines)"},
    {"--data-dir", "data_dir", true, "DIR       where the SQLite cache and outbox live (created on first start)"},
    {"--assets", "assets_dir", true, "DIR         translations and default content"},
    {"--kiosk-id", "kiosk_id", true, "ID        this kiosk's name at the CRM"},
    {"--crm-url", "crm_url", true, "URL        the central CRM (http:// or https://)"},
    {"--lang", "lang", true, "CODE          start language: zh-Hans, zh-Hant, en or es"},
    {"--font", "font_path", true, "FILE          a CJK font file instead of the fontconfig match"},
    {"--printer", "printer_path", true, "PATH       the receipt printer's device, e.g. /dev/usb/lp0 (default: none)"},
    {"--windowed", nullptr, true, "WxH       a window instead of full screen (development)"},
    {"--headless", nullptr, false, "          no display: SDL's offscreen driver"},
    {"--size", "size", true, "WxH           window or headless size (default 1920x1080)"},
    {"--screen", nullptr, true, "NAME        start on that screen (see the list below)"},
    {"--script", nullptr, true, "FILE        drive the UI with a script (docs/scripting.md)"},
    {"--screenshot", nullptr, true, "FILE    after the script (or the first frames), save the screen as PNG"},
    {"--large-text", nullptr, false, "        start in large-text mode"},
    {"--high-contrast", nullptr, false, "     start in high-contrast mode"},
    {"--bench", nullptr, false, "             print benchmark figures as name: value lines and exit"},
    {"--live-sync", nullptr, false, "         with --script: the sync worker keeps its own schedule (tests of the threads together)"},
    {"--demo", nullptr, false, "              allow the demo secret and staff PIN (make run; never in a lobby)"},
    {"--hash-pin", nullptr, false, "          read a staff PIN on stdin, print its hash for admin_pin_file, exit"},
    {"--test-hooks", nullptr, false, "        tests only: SIGUSR2 hangs the UI thread (the watchdog must notice)"},
    {"--version", nullptr, false, "           print the version and exit"},
    {"--help", nullptr, false, "              this text"},
};

}  // namespace

bool apply_config_text(const std::string& text, const std::string& origin, KioskConfig* config, std::string* error) {
    std::istringstream lines(text);
    std::string line;
    int number = 0;
    while (std::getline(lines, line)) {
        ++number;
        auto hash = line.find('#');
        if (hash != std::string::npos) line.erase(hash);
        auto first = line.find_first_not_of(" \t\r");
        if (first == std::string::npos) continue;
        auto eq = line.find('=');
        auto where = origin + ":" + std::to_string(number);
        if (eq == std::string::npos) {
            *error = where + ": expected key = value";
            return false;
        }
        auto trim = [](std::string s) {
            auto b = s.find_first_not_of(" \t\r");
            auto e = s.find_last_not_of(" \t\r");
            return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
        };
        std::string key = trim(line.substr(0, eq));
        std::string value = trim(line.substr(eq + 1));
        auto it = setters().find(key);
        if (it == setters().end()) {
            *error = where + ": unknown key '" + key + "'";
            return false;
        }
        if (std::string why = it->second(*config, value); !why.empty()) {
            *error = where + ": " + key + " " + why;
            return false;
        }
    }
    return true;
}

ParseOutcome parse_kiosk_args(int argc, char** argv, KioskConfig* config, std::string* message) {
    // First the config file, so that flags given anywhere override it.
    for (int i = 1; i < argc; ++i) {
        if (std::string(argv[i]) == "--config") {
            if (i + 1 >= argc) {
                *message = "--config needs a FILE";
                return ParseOutcome::exit_error;
            }
            config->config_file = argv[i + 1];
            std::ifstream in(config->config_file);
            if (!in) {
                *message = "--config " + config->config_file + ": cannot be read";
                return ParseOutcome::exit_error;
            }
            std::stringstream text;
            text << in.rdbuf();
            if (!apply_config_text(text.str(), config->config_file, config, message)) return ParseOutcome::exit_error;
        }
    }
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        const Flag* flag = nullptr;
        for (const Flag& f : kFlags)
            if (arg == f.name) flag = &f;
        if (!flag) {
            *message = "unknown option '" + arg + "' (see --help)";
            return ParseOutcome::exit_error;
        }
        std::string value;
        if (flag->takes_value) {
            if (i + 1 >= argc) {
                *message = arg + " needs a value";
                return ParseOutcome::exit_error;
            }
            value = argv[++i];
        }
        if (flag->key) {
            if (std::string why = setters().at(flag->key)(*config, value); !why.empty()) {
                *message = arg + " " + value + ": " + why;
                return ParseOutcome::exit_error;
            }
            continue;
        }
        if (arg == "--help") {
            *message = kiosk_help_text();
            return ParseOutcome::exit_ok;
        }
        if (arg == "--version") {
            *message = std::string("lobby-kiosk ") + KIOSK_VERSION + "\n";
            return ParseOutcome::exit_ok;
        }
        if (arg == "--windowed") {
            if (std::string why = setters().at("window")(*config, value); !why.empty() || value == "headless" ||
                                                                      value == "fullscreen") {
                *message = "--windowed " + value + ": must be WIDTHxHEIGHT, e.g. 1280x800";
                return ParseOutcome::exit_error;
            }
        } else if (arg == "--headless") {
            config->window_mode = WindowMode::headless;
        } else if (arg == "--screen") {
            config->start_screen = value;
        } else if (arg == "--script") {
            config->script_file = value;
        } else if (arg == "--screenshot") {
            config->screenshot_file = value;
        } else if (arg == "--large-text") {
            config->large_text = true;
        } else if (arg == "--high-contrast") {
            config->high_contrast = true;
        } else if (arg == "--bench") {
            config->bench = true;
        } else if (arg == "--live-sync") {
            config->live_sync = true;
        } else if (arg == "--demo") {
            config->demo = true;
        } else if (arg == "--hash-pin") {
            config->hash_pin = true;
        } else if (arg == "--test-hooks") {
            config->test_hooks = true;
        }
        // --config was applied above.
    }
    if (config->data_dir.empty()) {
        const char* state = std::getenv("XDG_STATE_HOME");
        const char* home = std::getenv("HOME");
        config->data_dir = state && *state ? std::string(state) + "/lobby-kiosk"
                         : home && *home   ? std::string(home) + "/.local/state/lobby-kiosk"
                                           : std::string("./kiosk-data");
    }
    return ParseOutcome::run;
}

std::string kiosk_help_text() {
    std::string text =
        "lobby-kiosk — the hospital lobby's self-service kiosk\n\n"
        "usage: kiosk [options]\n\n"
        "With no options it starts full-screen on its built-in defaults.\n\n";
    for (const Flag& f : kFlags) text += std::string("  ") + f.name + " " + f.help + "\n";
    text += "\nConfiguration file keys (every key optional; docs/configuration.md):\n ";
    for (auto& [key, setter] : setters()) text += " " + key;
    text += "\n";
    return text;
}

bool apply_reloaded_config(const KioskConfig& fresh, KioskConfig* live) {
    // Read by the screens on the UI thread, where the reload runs: applied at once.
    live->lang = fresh.lang;
    live->idle_timeout_s = fresh.idle_timeout_s;
    live->idle_countdown_s = fresh.idle_countdown_s;
    live->large_text = fresh.large_text;
    live->high_contrast = fresh.high_contrast;
    live->voice = fresh.voice;
    live->voice_volume = fresh.voice_volume;
    live->admin_pin_hash = fresh.admin_pin_hash;
    live->admin_hold_ms = fresh.admin_hold_ms;
    live->shuffle_pin_pad = fresh.shuffle_pin_pad;
    live->offline_redeem_limit_points = fresh.offline_redeem_limit_points;
    live->feedback_min_interval_s = fresh.feedback_min_interval_s;
    // Held by the workers, the store or the window since start: only a new process takes them.
    return fresh.kiosk_id != live->kiosk_id || fresh.kiosk_secret != live->kiosk_secret ||
           fresh.crm_url != live->crm_url || fresh.data_dir != live->data_dir || fresh.assets_dir != live->assets_dir ||
           fresh.font_path != live->font_path || fresh.ca_file != live->ca_file ||
           fresh.pinned_pubkey != live->pinned_pubkey || fresh.printer_path != live->printer_path ||
           fresh.image_cache_mb != live->image_cache_mb || fresh.window_mode != live->window_mode ||
           fresh.width != live->width || fresh.height != live->height;
}

}  // namespace kiosk
