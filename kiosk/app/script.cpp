#include "app/script.h"

#include <sstream>

namespace kiosk {

namespace {

std::string rest_of(std::istringstream& in) {
    std::string rest;
    std::getline(in, rest);
    auto first = rest.find_first_not_of(" \t");
    auto last = rest.find_last_not_of(" \t\r");
    return first == std::string::npos ? std::string() : rest.substr(first, last - first + 1);
}

}  // namespace

std::optional<std::vector<ScriptCommand>> parse_script(const std::string& text, std::string* error) {
    std::vector<ScriptCommand> commands;
    std::istringstream lines(text);
    std::string line;
    int number = 0;
    while (std::getline(lines, line)) {
        ++number;
        std::istringstream in(line);
        std::string word;
        if (!(in >> word) || word[0] == '#') continue;
        ScriptCommand c{};
        c.line = number;
        auto fail = [&](const std::string& why) {
            *error = "line " + std::to_string(number) + ": " + why;
            return std::nullopt;
        };
        if (word == "tap") {
            c.op = ScriptCommand::Op::tap;
            c.text = rest_of(in);
            if (c.text.empty()) return fail("tap needs a widget id or label");
        } else if (word == "tap_at") {
            c.op = ScriptCommand::Op::tap_at;
            if (!(in >> c.x1 >> c.y1)) return fail("tap_at needs X Y");
        } else if (word == "hold_at") {
            c.op = ScriptCommand::Op::hold_at;
            if (!(in >> c.x1 >> c.y1 >> c.amount) || c.amount < 0) return fail("hold_at needs X Y MS");
        } else if (word == "drag") {
            c.op = ScriptCommand::Op::drag;
            if (!(in >> c.x1 >> c.y1 >> c.x2 >> c.y2)) return fail("drag needs X1 Y1 X2 Y2");
        } else if (word == "type" || word == "scan") {
            c.op = word == "type" ? ScriptCommand::Op::type : ScriptCommand::Op::scan;
            c.text = rest_of(in);
            if (c.text.empty()) return fail(word + " needs text");
        } else if (word == "key") {
            c.op = ScriptCommand::Op::key;
            in >> c.text;
            if (c.text != "enter" && c.text != "escape" && c.text != "backspace")
                return fail("key must be enter, escape or backspace");
        } else if (word == "wait") {
            std::string unit;
            if (!(in >> c.amount >> unit) || c.amount < 0) return fail("wait needs N frames, N s or N ms");
            if (unit == "frames" || unit == "frame") c.op = ScriptCommand::Op::wait_frames;
            else if (unit == "s") c.op = ScriptCommand::Op::wait_ms, c.amount *= 1000;
            else if (unit == "ms") c.op = ScriptCommand::Op::wait_ms;
            else return fail("wait unit must be frames, s or ms");
        } else if (word == "await") {
            c.op = ScriptCommand::Op::await_visible;
            std::string unit;
            if (!(in >> c.amount >> unit) || c.amount <= 0 || c.amount > 600 || unit != "s")
                return fail("await needs N s TARGET (N from 1 to 600)");
            c.amount *= 1000;
            c.text = rest_of(in);
            if (c.text.empty()) return fail("await needs a target");
            if (c.text == "spoken" || c.text == "said") return fail("await N s " + c.text + " needs a prompt id");
            for (auto [prefix, op] : {std::pair{"spoken ", ScriptCommand::Op::await_spoken},
                                    std::pair{"said ", ScriptCommand::Op::await_said}}) {
                if (c.text.rfind(prefix, 0) != 0) continue;
                c.op = op;
                c.text = c.text.substr(std::string(prefix).size());
                if (c.text.empty()) return fail(std::string("await N s ") + prefix + "needs a prompt id");
            }
        } else if (word == "expect") {
            std::string what;
            in >> what;
            if (what == "screen") c.op = ScriptCommand::Op::expect_screen, in >> c.text;
            else if (what == "visible") c.op = ScriptCommand::Op::expect_visible, c.text = rest_of(in);
            else if (what == "hidden") c.op = ScriptCommand::Op::expect_hidden, c.text = rest_of(in);
            else if (what == "countdown") c.op = ScriptCommand::Op::expect_countdown;
            else if (what == "primary") c.op = ScriptCommand::Op::expect_primary, c.text = rest_of(in);
            else if (what == "not_primary") c.op = ScriptCommand::Op::expect_not_primary, c.text = rest_of(in);
            else if (what == "at_least") {
                // expect at_least H PX TARGET: drawn at least H px tall, its text at least PX px (1080p pixels).
                c.op = ScriptCommand::Op::expect_at_least;
                if (!(in >> c.y1 >> c.x1) || c.y1 < 0 || c.x1 < 0) return fail("expect at_least needs H PX TARGET");
                c.text = rest_of(in);
            }
            else if (what == "outbox") {
                c.op = ScriptCommand::Op::expect_outbox;
                if (!(in >> c.amount) || c.amount < 0) return fail("expect outbox needs a count");
                c.text = "-";
            } else
                return fail("expect screen NAME, expect visible TARGET, expect hidden TARGET, expect countdown, "
                            "expect outbox N, expect at_least H PX TARGET, "
                            "expect primary TARGET or expect not_primary TARGET");
            if (c.op != ScriptCommand::Op::expect_countdown && c.text.empty()) return fail("expect needs a name");
        } else if (word == "sync") {
            c.op = ScriptCommand::Op::sync;
        } else if (word == "screenshot") {
            c.op = ScriptCommand::Op::screenshot;
            c.text = rest_of(in);
            if (c.text.empty()) return fail("screenshot needs a file");
        } else {
            return fail("unknown command '" + word + "'");
        }
        commands.push_back(std::move(c));
    }
    return commands;
}

}  // namespace kiosk
