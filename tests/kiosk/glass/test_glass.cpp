// The real kiosk on a real X display: Xvfb at 1920×1080 started by the test,
// the kiosk binary full screen with its own event loop (no --headless, no
// --script, no manual clock), the screen read back from the X server with
// `xwd -root`, keys and taps through XTEST (`xdotool`).
//
// Why: headless and scripted runs draw a frame on every step, so a screen that
// the real loop never redraws (issue 14: the idle countdown never appeared on
// the glass) passes every headless test. Here only what reaches the X
// server's framebuffer counts.
//
// How a picture is read: a few pixels whose colour tells the state apart —
// the screen's background at the left edge (a normal screen, the same dimmed
// by the countdown's overlay, or the attract screen's teal) and the member
// band's gold under the top bar. Every wait polls the screen against a
// deadline; none is a sleep that stands for "it has happened by now".
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "../../crm-server/crm_fixture.h"

extern char** environ;

namespace {

using steady = std::chrono::steady_clock;

struct Rgb {
    int r = 0, g = 0, b = 0;
};

bool near(Rgb c, Rgb want, int tolerance = 18) {
    return std::abs(c.r - want.r) <= tolerance && std::abs(c.g - want.g) <= tolerance &&
           std::abs(c.b - want.b) <= tolerance;
}

// The colours the kiosk paints (kiosk/ui/widgets.cpp palette, kiosk/ui/chrome.h).
constexpr Rgb kScreenBackground{246, 248, 247};
constexpr Rgb kAttractTeal{13, 110, 103};
// The countdown's overlay, (20, 30, 40) at alpha 170, over the screen's background.
constexpr Rgb kDimmedBackground{95, 103, 109};
constexpr Rgb kMemberBand{252, 236, 196};

// Where to look, in 1080p pixels: the left edge of the content area (no
// screen draws within 40 px of the edge), and the member band's left end.
constexpr int kEdgeX = 4, kEdgeY = 600;
constexpr int kBandX = 8, kBandY = 150;

std::vector<std::string> environment_with(const std::string& assignment) {
    std::vector<std::string> env;
    std::string name = assignment.substr(0, assignment.find('=') + 1);
    for (char** e = environ; *e; ++e)
        if (std::string(*e).rfind(name, 0) != 0) env.emplace_back(*e);
    env.push_back(assignment);
    return env;
}

// Starts a program (looked up on PATH) with DISPLAY set; stdout and stderr to `log`.
pid_t spawn(std::vector<std::string> args, const std::string& display, const std::string& log) {
    std::vector<std::string> env = environment_with("DISPLAY=" + display);
    std::vector<char*> argv, envp;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    pid_t pid = 0;
    int rc = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    INFO("starting " << args[0]);
    REQUIRE(rc == 0);
    return pid;
}

// Waits for a child, bounded; kills it when the bound passes. Its exit code, or -1.
int wait_bounded(pid_t pid, int64_t bound_ms) {
    auto deadline = steady::now() + std::chrono::milliseconds(bound_ms);
    int status = 0;
    while (true) {
        pid_t done = waitpid(pid, &status, WNOHANG);
        if (done == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        if (done < 0) return -1;
        if (steady::now() >= deadline) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            return -1;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));  // polling a child's exit, bounded above
    }
}

int run(std::vector<std::string> args, const std::string& display, const std::string& log, int64_t bound_ms = 10'000) {
    return wait_bounded(spawn(std::move(args), display, log), bound_ms);
}

std::string slurp(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// An X server of our own, 1920×1080×24, on a display number it picks itself.
struct Xvfb {
    pid_t pid = -1;
    std::string display;

    explicit Xvfb(const std::filesystem::path& dir) {
        int fds[2];
        REQUIRE(pipe(fds) == 0);
        fcntl(fds[0], F_SETFD, FD_CLOEXEC);
        pid = spawn({"Xvfb", "-displayfd", std::to_string(fds[1]), "-screen", "0", "1920x1080x24", "-nolisten", "tcp",
                     "-noreset"},
                    "", (dir / "xvfb.log").string());
        close(fds[1]);
        std::string number;
        auto deadline = steady::now() + std::chrono::seconds(20);
        while (number.find('\n') == std::string::npos && steady::now() < deadline) {
            pollfd p{fds[0], POLLIN, 0};
            if (poll(&p, 1, 200) <= 0) continue;
            char buf[32];
            ssize_t n = read(fds[0], buf, sizeof buf);
            if (n <= 0) break;
            number.append(buf, size_t(n));
        }
        close(fds[0]);
        INFO(slurp(dir / "xvfb.log"));
        REQUIRE(number.find('\n') != std::string::npos);
        display = ":" + number.substr(0, number.find('\n'));
    }
    ~Xvfb() {
        if (pid > 0) {
            kill(pid, SIGTERM);
            wait_bounded(pid, 10'000);
        }
    }
};

// The root window as xwd writes it: a big-endian header, a colour map, then
// the pixels (32 bits each here) in the byte order the header names. Only
// the pixels asked for are decoded.
uint32_t be32(const std::string& d, size_t at) {
    return uint32_t(uint8_t(d[at])) << 24 | uint32_t(uint8_t(d[at + 1])) << 16 | uint32_t(uint8_t(d[at + 2])) << 8 |
           uint32_t(uint8_t(d[at + 3]));
}

int channel(uint32_t v, uint32_t mask) {
    int shift = 0;
    while (mask && !(mask & 1)) {
        mask >>= 1;
        ++shift;
    }
    return int((v >> shift) & mask);
}

struct Screen {
    std::string data;
    int width = 0, height = 0;
    uint32_t byte_order = 0, bytes_per_line = 0, red_mask = 0, green_mask = 0, blue_mask = 0;
    size_t pixels_at = 0;

    Rgb at(int x, int y) const {
        const auto* p = reinterpret_cast<const uint8_t*>(data.data() + pixels_at + size_t(y) * bytes_per_line + size_t(x) * 4);
        uint32_t v = byte_order == 0 ? uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24
                                     : uint32_t(p[3]) | uint32_t(p[2]) << 8 | uint32_t(p[1]) << 16 | uint32_t(p[0]) << 24;
        return {channel(v, red_mask), channel(v, green_mask), channel(v, blue_mask)};
    }
};

std::optional<Screen> parse_xwd(std::string d) {
    if (d.size() < 100) return std::nullopt;
    auto field = [&](int i) { return be32(d, size_t(i) * 4); };
    Screen s;
    uint32_t header_size = field(0), width = field(4), height = field(5), bits_per_pixel = field(11), ncolors = field(19);
    s.byte_order = field(7);
    s.bytes_per_line = field(12);
    s.red_mask = field(14);
    s.green_mask = field(15);
    s.blue_mask = field(16);
    if (bits_per_pixel != 32 || width == 0 || height == 0 || width > 8192 || height > 8192) return std::nullopt;
    s.pixels_at = size_t(header_size) + size_t(ncolors) * 12;
    if (d.size() < s.pixels_at + size_t(s.bytes_per_line) * height) return std::nullopt;
    s.width = int(width);
    s.height = int(height);
    s.data = std::move(d);
    return s;
}

enum class Seen { nothing_known, screen, countdown, attract };

const char* seen_name(Seen s) {
    switch (s) {
        case Seen::screen: return "a screen";
        case Seen::countdown: return "the idle countdown";
        case Seen::attract: return "the attract screen";
        case Seen::nothing_known: break;
    }
    return "nothing known";
}

struct Glance {
    Seen seen = Seen::nothing_known;
    bool member_band = false;
};

// The kiosk, full screen on the Xvfb, against the CRM; stopped (SIGTERM, as
// systemd stops it) when the test ends.
struct GlassKiosk {
    CrmFixture& crm;
    Xvfb x;
    std::filesystem::path dir;
    pid_t pid = -1;
    int shots = 0;

    GlassKiosk(CrmFixture& crm, const std::vector<std::string>& extra_args, const std::vector<std::string>& config)
        : crm(crm), x(crm.dir), dir(crm.dir) {
        std::filesystem::path conf = dir / "glass.conf";
        {
            std::ofstream out(conf);
            out << "kiosk_id = lobby-1\nkiosk_secret = s3cret\nlang = en\n";
            out << "crm_url = http://127.0.0.1:" << crm.server->port() << "\n";
            for (const std::string& line : config) out << line << "\n";
        }
        std::vector<std::string> args = {KIOSK_BINARY, "--config", conf.string(), "--data-dir", (dir / "kiosk").string()};
        args.insert(args.end(), extra_args.begin(), extra_args.end());
        pid = spawn(args, x.display, (dir / "kiosk.log").string());
    }
    ~GlassKiosk() {
        if (pid > 0) {
            kill(pid, SIGTERM);
            wait_bounded(pid, 15'000);
        }
    }
    std::string log() const { return slurp(dir / "kiosk.log"); }

    std::optional<Screen> grab() {
        std::filesystem::path file = dir / "root.xwd";
        std::filesystem::remove(file);
        if (run({"xwd", "-root", "-silent", "-out", file.string()}, x.display, (dir / "tools.log").string()) != 0)
            return std::nullopt;
        return parse_xwd(slurp(file));
    }

    Glance glance() {
        Glance g;
        auto screen = grab();
        if (!screen || screen->width != 1920 || screen->height != 1080) return g;
        Rgb edge = screen->at(kEdgeX, kEdgeY);
        if (near(edge, kScreenBackground)) g.seen = Seen::screen;
        else if (near(edge, kDimmedBackground)) g.seen = Seen::countdown;
        else if (near(edge, kAttractTeal)) g.seen = Seen::attract;
        g.member_band = near(screen->at(kBandX, kBandY), kMemberBand, 10);
        return g;
    }

    // Polls the screen until `want` holds or the deadline passes; every state
    // seen on the way is noted (in order, without repeats) for the report.
    bool wait_for(const std::function<bool(const Glance&)>& want, int64_t bound_ms, std::vector<Seen>* seen = nullptr) {
        auto deadline = steady::now() + std::chrono::milliseconds(bound_ms);
        while (steady::now() < deadline) {
            Glance g = glance();
            if (seen && (seen->empty() || seen->back() != g.seen)) seen->push_back(g.seen);
            if (want(g)) return true;
            if (waitpid(pid, nullptr, WNOHANG) == pid) {
                pid = -1;
                return false;  // the kiosk died: its log says why
            }
        }
        return false;
    }

    // Typed as a person types, then Return (xdotool's "type" sends "\n" as
    // Linefeed, which is not the Enter key).
    void type_then_enter(const std::string& text, int delay_ms) {
        REQUIRE(run({"xdotool", "type", "--delay", std::to_string(delay_ms), text}, x.display,
                    (dir / "tools.log").string()) == 0);
        REQUIRE(run({"xdotool", "key", "Return"}, x.display, (dir / "tools.log").string()) == 0);
    }
    void tap(int px, int py) {
        REQUIRE(run({"xdotool", "mousemove", std::to_string(px), std::to_string(py), "click", "1"}, x.display,
                    (dir / "tools.log").string()) == 0);
    }
};

std::string describe(const std::vector<Seen>& seen) {
    std::string out;
    for (Seen s : seen) out += std::string(out.empty() ? "" : " → ") + seen_name(s);
    return out;
}

bool is(const Glance& g, Seen s) { return g.seen == s; }

}  // namespace

TEST_CASE("On a real display the idle countdown is drawn, and the attract screen follows when it runs out", "[glass]") {
    CrmFixture crm;
    GlassKiosk kiosk(crm, {"--screen", "visit_flow"}, {"idle_timeout_s = 5", "idle_countdown_s = 4"});
    bool shown_at_all = kiosk.wait_for([](const Glance& g) { return is(g, Seen::screen); }, 30'000);
    INFO(kiosk.log());
    REQUIRE(shown_at_all);

    std::vector<Seen> seen;
    bool countdown = kiosk.wait_for([](const Glance& g) { return is(g, Seen::countdown) || is(g, Seen::attract); },
                                    5'000 + 4'000 + 10'000, &seen);
    INFO("seen: " << describe(seen) << "\n" << kiosk.log());
    REQUIRE(countdown);
    REQUIRE(kiosk.glance().seen != Seen::attract);  // the countdown came first: the guest was warned
    auto warned = steady::now();

    REQUIRE(kiosk.wait_for([](const Glance& g) { return is(g, Seen::attract); }, 4'000 + 10'000, &seen));
    INFO("seen: " << describe(seen));
    CHECK(steady::now() - warned >= std::chrono::milliseconds(3'000));  // the guest had the countdown's time
}

TEST_CASE("On a real display a touch during the countdown keeps the screen", "[glass]") {
    CrmFixture crm;
    GlassKiosk kiosk(crm, {"--screen", "visit_flow"}, {"idle_timeout_s = 5", "idle_countdown_s = 10"});
    bool shown_at_all = kiosk.wait_for([](const Glance& g) { return is(g, Seen::screen); }, 30'000);
    INFO(kiosk.log());
    REQUIRE(shown_at_all);
    std::vector<Seen> seen;
    REQUIRE(kiosk.wait_for([](const Glance& g) { return is(g, Seen::countdown); }, 5'000 + 10'000, &seen));
    kiosk.tap(960, 540);  // "still here": the countdown's own button, or anywhere on it
    REQUIRE(kiosk.wait_for([](const Glance& g) { return is(g, Seen::screen); }, 5'000, &seen));
    INFO("seen: " << describe(seen));
}

TEST_CASE("On a real display a signed-in member is named in a band, which goes when the session ends", "[glass][members]") {
    CrmFixture crm;
    GlassKiosk kiosk(crm, {"--screen", "members"}, {"idle_timeout_s = 8", "idle_countdown_s = 3"});
    bool shown_at_all = kiosk.wait_for([](const Glance& g) { return is(g, Seen::screen); }, 30'000);
    INFO(kiosk.log());
    REQUIRE(shown_at_all);
    REQUIRE_FALSE(kiosk.glance().member_band);

    // Keys go to the window under the pointer (no window manager): point at it
    // without tapping anything, then type the card number and the PIN on a
    // keyboard as a person does, each ended by Enter (Next, then Sign in).
    REQUIRE(run({"xdotool", "mousemove", "1900", "1000"}, kiosk.x.display, (kiosk.dir / "tools.log").string()) == 0);
    kiosk.type_then_enter("6200000000000003", 100);
    kiosk.type_then_enter("1234", 100);
    std::vector<Seen> seen;
    bool band = kiosk.wait_for([](const Glance& g) { return g.member_band; }, 15'000, &seen);
    INFO("seen: " << describe(seen) << "\n" << kiosk.log());
    REQUIRE(band);

    // Nobody touches the kiosk: the countdown, then the attract screen.
    REQUIRE(kiosk.wait_for([](const Glance& g) { return is(g, Seen::countdown); }, 8'000 + 3'000 + 10'000, &seen));
    REQUIRE(kiosk.wait_for([](const Glance& g) { return is(g, Seen::attract); }, 3'000 + 10'000, &seen));

    // The next guest taps in: Home, and no one is signed in.
    kiosk.tap(960, 540);
    REQUIRE(kiosk.wait_for([](const Glance& g) { return is(g, Seen::screen); }, 10'000, &seen));
    INFO("seen: " << describe(seen));
    CHECK_FALSE(kiosk.glance().member_band);
}
