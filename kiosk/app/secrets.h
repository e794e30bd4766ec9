// kiosk/app/secrets.h — the kiosk's secrets: where they come from and when the
// kiosk refuses to start. Assume the kiosk is stolen: the configuration file is
// world-readable (/etc/lobby-kiosk/kiosk.conf, a conffile), so it names the
// secret files and never holds a secret itself.
//
// Index
//   read_private_file(path, max, &text, &error)   a file only its owner may read (mode & 077 == 0), at most max bytes
//   hash_staff_pin(pin)                            "pbkdf2-sha256$<iterations>$<salt hex>$<hash hex>" (random salt)
//   staff_pin_matches(stored, pin)                 constant-time check of a PIN against a stored hash ("" matches nothing)
//   load_kiosk_secrets(&config, &error)            read kiosk_secret_file and admin_pin_file into config; apply the rules below
//   is_loopback_url(url)                           http://127.x.x.x, http://localhost, http://[::1] (with any port and path)
//
// Invariants (load_kiosk_secrets is the only function that may fill
// KioskConfig::kiosk_secret and KioskConfig::admin_pin_hash outside --demo):
//   - a secret file readable by its group or by others is refused, never read;
//   - without --demo the kiosk refuses the demo secret ("demo-secret") and the demo
//     staff PIN (2468), and needs a secret file; with no admin_pin_file staff mode
//     stays locked (every PIN is wrong);
//   - plain http:// is refused to a CRM that is not on the loopback address, demo or not.
#pragma once

#include <cstddef>
#include <string>

#include "app/config.h"

namespace kiosk {

inline constexpr const char* kDemoKioskSecret = "demo-secret";
inline constexpr const char* kDemoStaffPin = "2468";

bool read_private_file(const std::string& path, size_t max_bytes, std::string* text, std::string* error);
std::string hash_staff_pin(const std::string& pin);
bool staff_pin_matches(const std::string& stored_hash, const std::string& pin);
bool load_kiosk_secrets(KioskConfig* config, std::string* error);
bool is_loopback_url(const std::string& url);

}  // namespace kiosk
