// The kiosk's secrets: from files only the kiosk user reads, never the demo
// ones outside --demo, and never plain http:// beyond this machine.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "app/config.h"
#include "app/secrets.h"

namespace fs = std::filesystem;
using kiosk::KioskConfig;

namespace {
struct SecretDir {
    fs::path dir = fs::temp_directory_path() / ("kiosk-secrets-" + std::to_string(getpid()));
    SecretDir() { fs::create_directories(dir); }
    ~SecretDir() { fs::remove_all(dir); }
    std::string write(const std::string& name, const std::string& text, fs::perms mode) {
        fs::path p = dir / name;
        std::ofstream(p) << text;
        fs::permissions(p, mode);
        return p.string();
    }
};
constexpr fs::perms kOwnerOnly = fs::perms::owner_read | fs::perms::owner_write;
constexpr fs::perms kWorldReadable = kOwnerOnly | fs::perms::group_read | fs::perms::others_read;
}  // namespace

TEST_CASE("A secret file readable by its group or by others is refused, never read", "[secrets]") {
    SecretDir d;
    std::string text, error;
    CHECK_FALSE(kiosk::read_private_file(d.write("open", "k1-secret\n", kWorldReadable), 4096, &text, &error));
    CHECK(error.find("chmod 600") != std::string::npos);
    CHECK(text.empty());
    CHECK_FALSE(kiosk::read_private_file(d.write("group", "k1-secret\n", kOwnerOnly | fs::perms::group_read), 4096,
                                         &text, &error));
    REQUIRE(kiosk::read_private_file(d.write("own", "k1-secret\n", kOwnerOnly), 4096, &text, &error));
    CHECK(text == "k1-secret\n");
    CHECK_FALSE(kiosk::read_private_file(d.write("huge", std::string(5000, 'x'), kOwnerOnly), 4096, &text, &error));
    CHECK_FALSE(kiosk::read_private_file((d.dir / "missing").string(), 4096, &text, &error));
}

TEST_CASE("Outside --demo the kiosk needs its own secret file and refuses the demo secret", "[secrets]") {
    SecretDir d;
    std::string error;
    KioskConfig none;
    CHECK_FALSE(kiosk::load_kiosk_secrets(&none, &error));
    CHECK(error.find("kiosk_secret_file") != std::string::npos);

    KioskConfig demo_secret;
    demo_secret.kiosk_secret_file = d.write("demo", "demo-secret\n", kOwnerOnly);
    CHECK_FALSE(kiosk::load_kiosk_secrets(&demo_secret, &error));
    CHECK(error.find("demo secret") != std::string::npos);

    KioskConfig own;
    own.kiosk_secret_file = d.write("own", "6f1c2a9e0d7b4c3f\n", kOwnerOnly);
    REQUIRE(kiosk::load_kiosk_secrets(&own, &error));
    CHECK(own.kiosk_secret == "6f1c2a9e0d7b4c3f");
    CHECK(own.admin_pin_hash.empty());  // no PIN file: staff mode stays locked
    CHECK_FALSE(kiosk::staff_pin_matches(own.admin_pin_hash, kiosk::kDemoStaffPin));

    KioskConfig readable;
    readable.kiosk_secret_file = d.write("readable", "6f1c2a9e0d7b4c3f\n", kWorldReadable);
    CHECK_FALSE(kiosk::load_kiosk_secrets(&readable, &error));

    KioskConfig two_lines;
    two_lines.kiosk_secret_file = d.write("two", "abc\ndef\n", kOwnerOnly);
    CHECK_FALSE(kiosk::load_kiosk_secrets(&two_lines, &error));

    KioskConfig demo;
    demo.demo = true;
    REQUIRE(kiosk::load_kiosk_secrets(&demo, &error));
    CHECK(demo.kiosk_secret == kiosk::kDemoKioskSecret);
    CHECK(kiosk::staff_pin_matches(demo.admin_pin_hash, kiosk::kDemoStaffPin));
}

TEST_CASE("The staff PIN is stored hashed, and the demo PIN is refused outside --demo", "[secrets]") {
    SecretDir d;
    std::string hash = kiosk::hash_staff_pin("73519");
    CHECK(hash.rfind("pbkdf2-sha256$", 0) == 0);
    CHECK(hash.find("73519") == std::string::npos);
    CHECK(hash != kiosk::hash_staff_pin("73519"));  // salted
    CHECK(kiosk::staff_pin_matches(hash, "73519"));
    CHECK_FALSE(kiosk::staff_pin_matches(hash, "73518"));
    CHECK_FALSE(kiosk::staff_pin_matches(hash, ""));
    for (const char* garbled : {"", "73519", "pbkdf2-sha256$", "pbkdf2-sha256$10$00$00", "md5$1$2$3"})
        CHECK_FALSE(kiosk::staff_pin_matches(garbled, "73519"));

    std::string error;
    KioskConfig config;
    config.kiosk_secret_file = d.write("secret", "6f1c2a9e0d7b4c3f\n", kOwnerOnly);
    config.admin_pin_file = d.write("pin", hash + "\n", kOwnerOnly);
    REQUIRE(kiosk::load_kiosk_secrets(&config, &error));
    CHECK(kiosk::staff_pin_matches(config.admin_pin_hash, "73519"));

    KioskConfig demo_pin = config;
    demo_pin.admin_pin_file = d.write("demo-pin", kiosk::hash_staff_pin(kiosk::kDemoStaffPin) + "\n", kOwnerOnly);
    CHECK_FALSE(kiosk::load_kiosk_secrets(&demo_pin, &error));
    CHECK(error.find("demo staff PIN") != std::string::npos);

    KioskConfig plain_pin = config;
    plain_pin.admin_pin_file = d.write("plain-pin", "73519\n", kOwnerOnly);
    CHECK_FALSE(kiosk::load_kiosk_secrets(&plain_pin, &error));
    CHECK(error.find("--hash-pin") != std::string::npos);
}

TEST_CASE("Plain http:// goes only to a CRM on the loopback address", "[secrets]") {
    struct Case {
        const char* url;
        bool accepted;
    };
    const Case cases[] = {
        {"http://127.0.0.1:8787", true},
        {"http://127.3.2.1/api", true},
        {"http://localhost:8787/", true},
        {"http://[::1]:8787", true},
        {"https://crm.hospital.example", true},
        {"http://crm.hospital.example", false},
        {"http://10.0.0.5:8787", false},
        {"http://127.0.0.1@crm.example/", false},  // user info: the host is crm.example
        {"http://127.0.0.1.crm.example/", false},
        {"http://127.1/", false},
        {"http://localhost.crm.example/", false},
    };
    for (const Case& c : cases) {
        INFO(c.url);
        KioskConfig config;
        config.demo = true;
        config.crm_url = c.url;
        std::string error;
        CHECK(kiosk::load_kiosk_secrets(&config, &error) == c.accepted);
        if (!c.accepted) CHECK(error.find("https://") != std::string::npos);
    }
}
