// Every screen renders headless, in every language and in both accessibility
// modes, through the real kiosk binary driven by a script (SDL's offscreen
// driver and software renderer: no display needed).
#include <catch2/catch.hpp>

#include <stb/stb_image.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

namespace fs = std::filesystem;

namespace {

struct Image {
    int w = 0, h = 0;
    std::vector<unsigned char> rgba;
    const unsigned char* at(int x, int y) const { return &rgba[(size_t(y) * size_t(w) + size_t(x)) * 4]; }
};

Image load_png(const fs::path& path) {
    Image img;
    int channels = 0;
    unsigned char* data = stbi_load(path.c_str(), &img.w, &img.h, &channels, 4);
    if (data) {
        img.rgba.assign(data, data + size_t(img.w) * size_t(img.h) * 4);
        stbi_image_free(data);
    }
    return img;
}

size_t distinct_colours(const Image& img) {
    std::set<uint32_t> colours;
    for (size_t i = 0; i + 3 < img.rgba.size(); i += 4 * 7)
        colours.insert(uint32_t(img.rgba[i]) << 16 | uint32_t(img.rgba[i + 1]) << 8 | img.rgba[i + 2]);
    return colours.size();
}

int run_kiosk(const std::string& args) {
    std::string command = std::string(KIOSK_BINARY) + " --demo " + args + " 2>/dev/null";
    int status = std::system(command.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

const char* const kLangs[] = {"zh-Hans", "zh-Hant", "en", "es"};
const char* const kModes[] = {"normal", "large", "contrast"};
const char* const kScreens[] = {"home", "visit_flow", "complaint_flow", "admin_pin", "admin"};

}  // namespace

TEST_CASE("Every screen renders in every language and accessibility mode", "[render]") {
    fs::path dir = fs::temp_directory_path() / ("kiosk-render-test-" + std::to_string(getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);

    std::map<std::string, Image> shots;
    for (const char* lang : kLangs)
        for (const char* mode : kModes) {
            std::string tag = std::string(lang) + "-" + mode;
            std::ofstream script(dir / (tag + ".script"));
            script << "tap start\nexpect screen home\ntap lang." << lang << "\n";
            if (std::string(mode) == "large") script << "tap a11y.large_text\n";
            if (std::string(mode) == "contrast") script << "tap a11y.high_contrast\n";
            script << "screenshot " << (dir / (tag + "-home.png")).string() << "\n"
                   << "tap home.visit_flow\nexpect screen visit_flow\n"
                   << "screenshot " << (dir / (tag + "-visit_flow.png")).string() << "\n"
                   << "tap nav.back\ntap home.complaint_flow\nexpect screen complaint_flow\n"
                   << "screenshot " << (dir / (tag + "-complaint_flow.png")).string() << "\n"
                   << "hold_at 20 20 3000\nexpect screen admin_pin\n"
                   << "screenshot " << (dir / (tag + "-admin_pin.png")).string() << "\n"
                   << "tap pin.2\ntap pin.4\ntap pin.6\ntap pin.8\ntap pin.ok\nexpect screen admin\n"
                   << "screenshot " << (dir / (tag + "-admin.png")).string() << "\n";
            script.close();
            INFO("script " << tag);
            REQUIRE(run_kiosk("--headless --data-dir " + (dir / "data").string() + " --script " +
                              (dir / (tag + ".script")).string()) == 0);
            for (const char* screen : kScreens) {
                Image img = load_png(dir / (tag + "-" + screen + ".png"));
                INFO(tag << " " << screen);
                REQUIRE(img.w == 1920);
                REQUIRE(img.h == 1080);
                CHECK(distinct_colours(img) > 8);  // text and shapes were drawn, not a blank frame
                shots[tag + "-" + screen] = std::move(img);
            }
        }

    // The language really changes what is drawn, and so does each mode.
    for (const char* screen : kScreens) {
        for (const char* mode : kModes) {
            std::string zh = std::string("zh-Hans-") + mode + "-" + screen;
            std::string en = std::string("en-") + mode + "-" + screen;
            CHECK(shots[zh].rgba != shots[en].rgba);
        }
        CHECK(shots[std::string("es-normal-") + screen].rgba != shots[std::string("es-large-") + screen].rgba);
    }
    // High contrast paints the background black; the normal theme does not.
    for (const char* lang : kLangs) {
        const unsigned char* normal = shots[std::string(lang) + "-normal-home"].at(6, 600);
        const unsigned char* contrast = shots[std::string(lang) + "-contrast-home"].at(6, 600);
        CHECK(normal[0] > 200);
        CHECK(contrast[0] == 0);
        CHECK(contrast[1] == 0);
        CHECK(contrast[2] == 0);
    }
    fs::remove_all(dir);
}

TEST_CASE("The attract screen renders headless to PNG with --screenshot alone", "[render]") {
    fs::path png = fs::temp_directory_path() / "kiosk-attract-test.png";
    fs::remove(png);
    REQUIRE(run_kiosk("--headless --size 1280x800 --data-dir /tmp/kiosk-render-attract-" + std::to_string(getpid()) + " --screenshot " + png.string()) == 0);
    Image img = load_png(png);
    CHECK(img.w == 1280);
    CHECK(img.h == 800);
    CHECK(distinct_colours(img) > 8);
    fs::remove(png);
}

TEST_CASE("A script that expects the wrong screen fails with its line number", "[render]") {
    fs::path script = fs::temp_directory_path() / "kiosk-failing.script";
    std::ofstream(script) << "tap start\nexpect screen visit_flow\n";
    CHECK(run_kiosk("--headless --data-dir /tmp/kiosk-render-failing-" + std::to_string(getpid()) + " --script " + script.string()) == 1);
    fs::remove(script);
}

TEST_CASE("A bad flag stops the kiosk before it opens a window", "[render]") {
    CHECK(run_kiosk("--lang fr") == 2);
    CHECK(run_kiosk("--screen nowhere") == 2);
    CHECK(run_kiosk("--help >/dev/null") == 0);
}
