// The receipt printer from the staff screen: a test slip goes through the
// print queue to the device, the heartbeat tells the CRM how the printer is,
// and a missing printer is reported, not hidden.
#include "kiosk_with_crm.h"

namespace {
const char* kStaffPrinterScreen = R"(
tap start
tap lang.zh-Hans
hold_at 20 20 3000
tap pin.2
tap pin.4
tap pin.6
tap pin.8
tap pin.ok
tap admin.printer
expect screen admin_printer
)";

std::string read_bytes(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}
}  // namespace

TEST_CASE("Staff print a test slip, it reaches the device as ESC/POS in GB18030, and the heartbeat says ok",
          "[with-crm][printer]") {
    KioskWithCrm k;
    // A regular file stands in for /dev/usb/lp0: it takes the bytes and cannot answer a status query.
    std::filesystem::path device = k.dir / "lp0";
    std::ofstream(device).flush();
    ScriptRun run;
    run.config_lines = {"printer_path = " + device.string()};
    ScriptResult result = k.run_script(std::string(kStaffPrinterScreen) + R"(
expect visible 正常，可以打印
tap printer.test_print
expect visible 测试小票已打印
sync
)", run);
    REQUIRE_SCRIPT_PASSES(result);

    std::string bytes = read_bytes(device);
    REQUIRE(bytes.size() > 100);
    CHECK(bytes.substr(0, 2) == "\x1b@");       // ESC @: initialise
    CHECK(bytes.find("\x1c&") != std::string::npos);  // FS &: Chinese mode for a zh-Hans guest
    CHECK(bytes.find("\xB4\xF2\xD3\xA1\xBB\xFA") != std::string::npos);  // 打印机 in GB18030
    CHECK(bytes.find("\x1d(k") != std::string::npos);  // GS ( k: the QR code
    CHECK(bytes.find("\x1dV") != std::string::npos);   // GS V: the cut

    json kiosks = k.admin_list("kiosks");
    REQUIRE(kiosks.size() == 1);
    CHECK(kiosks[0]["printer"].get<std::string>().rfind("ok", 0) == 0);
}

TEST_CASE("A printer that is not there is reported on screen and to the CRM, and nothing pretends to print",
          "[with-crm][printer]") {
    KioskWithCrm k;
    ScriptRun run;
    run.config_lines = {"printer_path = " + (k.dir / "unplugged" / "lp0").string()};
    ScriptResult result = k.run_script(std::string(kStaffPrinterScreen) + R"(
expect visible 打印机未连接或未响应
tap printer.test_print
expect visible printing.result
expect hidden 测试小票已打印
sync
)", run);
    REQUIRE_SCRIPT_PASSES(result);
    CHECK_FALSE(std::filesystem::exists(k.dir / "unplugged" / "lp0"));  // never created as a file
    json kiosks = k.admin_list("kiosks");
    REQUIRE(kiosks.size() == 1);
    CHECK(kiosks[0]["printer"].get<std::string>().rfind("offline", 0) == 0);
}
