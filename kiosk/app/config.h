// kiosk/app/config.h — one configuration file plus command-line flags.
//
// Every key is optional: the defaults run with no file. Flags override the
// file. A bad flag or value stops the kiosk with one line naming it.
// docs/configuration.md lists every key; `kiosk --help` lists every flag.
//
// Index
//   KioskConfig                         every setting, with its default
//   parse_kiosk_args(argc, argv, &cfg)  flags (and the --config file they name) → cfg; see ParseOutcome
//   apply_config_text(text, origin, &cfg)   "key = value" lines → cfg; error names origin:line and the key
//   kiosk_help_text()                   the --help text
//   apply_reloaded_config(fresh, &live) SIGHUP: copy what the screens read into live; true when a setting
//                                       the workers or the window hold changed (only a restart applies it)
#pragma once

#include <string>

namespace kiosk {

enum class WindowMode { fullscreen, windowed, headless };

struct KioskConfig {
    // Identity and where things live
    std::string kiosk_id = "lobby-1";
    std::string kiosk_secret = "demo-secret";  // signs CRM requests; filled from kiosk_secret_file (app/secrets.h)
    std::string kiosk_secret_file;  // one line, mode 0600: this kiosk's own secret (never in this file itself)
    std::string admin_pin_file;     // the staff PIN's hash (`kiosk --hash-pin`), mode 0600; none: staff mode locked
    std::string crm_url = "http://127.0.0.1:8787";
    // Where guests' phones reach the CRM's record pages (the QR code on a ticket,
    // slip or voucher; crm_contract/record_pages.h). Empty: crm_url.
    std::string public_url;
    const std::string& record_page_base() const { return public_url.empty() ? crm_url : public_url; }
    std::string data_dir;    // default: $XDG_STATE_HOME/lobby-kiosk or ~/.local/state/lobby-kiosk
    std::string assets_dir;  // default: the assets/ folder the kiosk was built with
    std::string font_path;   // default: a CJK font found through fontconfig
    std::string ca_file;          // TLS: CA bundle for the CRM (default: the system's)
    std::string pinned_pubkey;    // TLS: optional sha256//base64 pin of the CRM's key
    std::string printer_path;     // ESC/POS receipt printer device (/dev/usb/lp0, /dev/ttyUSB0); empty = no printer
    int image_cache_mb = 32;      // promotion images kept on disk, in MiB (the oldest go first)

    // Guest-facing behaviour
    std::string lang = "zh-Hans";
    std::string time_zone;  // the hospital's IANA zone; empty: the CRM's content "time_zone" says (docs/configuration.md)
    int idle_timeout_s = 60;
    int idle_countdown_s = 10;
    bool large_text = false;
    bool high_contrast = false;
    bool voice = false;      // `voice = on|off`: guidance spoken aloud by default (elder mode switches it on anyway)
    int voice_volume = 80;   // 0–100: where each session's volume starts
    std::string admin_pin_hash;  // filled by load_kiosk_secrets (app/secrets.h); --demo: the hash of 2468
    int admin_hold_ms = 3000;
    bool shuffle_pin_pad = false;  // PIN pads show their digits in a new random order each time
    int offline_redeem_limit_points = 2000;  // points a member may redeem a day at this kiosk while the CRM is unreachable (0: none)
    int feedback_min_interval_s = 5;  // quick feedback: at most one counted answer per this many seconds (0: no limit)

    // Window and test drivers
    WindowMode window_mode = WindowMode::fullscreen;
    int width = 1920;
    int height = 1080;
    std::string start_screen;
    std::string script_file;
    std::string screenshot_file;
    bool bench = false;
    bool live_sync = false;  // a script normally syncs only on its `sync` command; this keeps the worker's own rounds
    std::string config_file;
    bool demo = false;        // --demo: the demo secret and staff PIN are allowed (make run)
    bool hash_pin = false;    // --hash-pin: read a PIN on stdin, print its hash for admin_pin_file, exit
    bool test_hooks = false;  // --test-hooks: SIGUSR2 hangs the UI thread (watchdog tests only)
};

enum class ParseOutcome { run, exit_ok, exit_error };

// On exit_ok (--help, --version) *message is what to print; on exit_error it is the one-line reason.
ParseOutcome parse_kiosk_args(int argc, char** argv, KioskConfig* config, std::string* message);
bool apply_config_text(const std::string& text, const std::string& origin, KioskConfig* config, std::string* error);
std::string kiosk_help_text();
bool apply_reloaded_config(const KioskConfig& fresh, KioskConfig* live);

}  // namespace kiosk
