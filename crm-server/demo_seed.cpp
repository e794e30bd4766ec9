// --seed-demo: a believable demo hospital. Four departments with two doctors
// each and a week of morning slots from today; 40 members in every tier, with
// point histories earned by the real rules; rewards; promotions, a versioned
// survey and UI strings in the four lobby languages; the visit and complaint
// flows from assets/content/flows.json. Seeding twice changes nothing.
#include <stb/stb_image_write.h>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <fstream>
#include <map>
#include <sstream>
#include <vector>

#include "auth.h"
#include "points_rules.h"
#include "store.h"

namespace crm {

namespace {

constexpr int64_t kDayMs = 86'400'000;

json in_four(const char* zh_hans, const char* zh_hant, const char* en, const char* es) {
    return json{{"zh-Hans", zh_hans}, {"zh-Hant", zh_hant}, {"en", en}, {"es", es}};
}

// A demo promotion picture, drawn here so the repository holds no binary art:
// a soft two-colour gradient, a few translucent circles and a white motif
// (0: a medical cross, 1: a tooth-like rounded shape, 2: a lectern's bars).
// Returns PNG bytes.
std::string demo_picture(int width, int height, const unsigned char top[3], const unsigned char bottom[3], int motif) {
    std::vector<unsigned char> rgb(size_t(width) * size_t(height) * 3);
    auto inside_motif = [&](int x, int y) {
        float cx = float(width) * 0.5f, cy = float(height) * 0.5f, u = float(height) * 0.12f;
        float dx = float(x) - cx, dy = float(y) - cy;
        switch (motif) {
            case 0: return (std::fabs(dx) < u && std::fabs(dy) < 3 * u) || (std::fabs(dy) < u && std::fabs(dx) < 3 * u);
            case 1: {
                float crown = (dx * dx) / (9 * u * u) + ((dy + u) * (dy + u)) / (4 * u * u);
                bool root = dy > 0 && dy < 3 * u && std::fabs(std::fabs(dx) - 1.6f * u) < 0.8f * u;
                return crown < 1.0f || root;
            }
            default: return std::fabs(dy + 2 * u) < 0.4f * u ? std::fabs(dx) < 3.5f * u
                          : std::fabs(dy) < 0.4f * u        ? std::fabs(dx) < 2.5f * u
                          : std::fabs(dy - 2 * u) < 0.4f * u ? std::fabs(dx) < 3.0f * u
                                                             : false;
        }
    };
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x) {
            float t = float(y) / float(height - 1);
            float light = 0;
            // Circles of light drifting across, for depth.
            const float circles[][3] = {{0.15f, 0.2f, 0.35f}, {0.85f, 0.75f, 0.45f}, {0.7f, 0.1f, 0.2f}};
            for (const auto& c : circles) {
                float dx = float(x) / float(width) - c[0], dy = (float(y) / float(height) - c[1]) * float(height) / float(width);
                if (dx * dx + dy * dy < c[2] * c[2] * 0.25f) light += 0.08f;
            }
            unsigned char* px = &rgb[(size_t(y) * size_t(width) + size_t(x)) * 3];
            for (int k = 0; k < 3; ++k) {
                float v = float(top[k]) * (1 - t) + float(bottom[k]) * t;
                v = v + (255 - v) * light;
                px[k] = (unsigned char)std::clamp(v, 0.0f, 255.0f);
            }
            if (inside_motif(x, y)) px[0] = px[1] = px[2] = 250;
        }
    std::string png;
    stbi_write_png_to_func(
        [](void* out, void* data, int size) { static_cast<std::string*>(out)->append(static_cast<char*>(data), size_t(size)); },
        &png, width, height, 3, rgb.data(), width * 3);
    return png;
}

}  // namespace

void Store::put_time_zone(const std::string& zone) {
    std::lock_guard<std::mutex> lock(mutex_);
    time_zone_ = zone;
    Statement current(db_, "SELECT body FROM content WHERE name = 'time_zone'");
    std::string body = json{{"version", zone}, {"time_zone", zone}}.dump();
    if (current.step() == SQLITE_ROW && current.text_at(0) == body) return;
    put_content_locked("time_zone", body);
}

void Store::seed_demo(const std::string& flows_path, const std::string& time_zone) {
    std::lock_guard<std::mutex> lock(mutex_);
    seed_demo_members();
    seed_demo_schedule(time_zone);
    seed_demo_content(flows_path);
    seed_demo_images();
}

// One picture per demo promotion, and "broken-sample": a PNG signature
// followed by nonsense, for trying how kiosks cope with a bad upload.
void Store::seed_demo_images() {
    Statement exists(db_, "SELECT count(*) FROM images");
    if (exists.step() == SQLITE_ROW && exists.int_at(0) > 0) return;
    exec("BEGIN");
    const unsigned char teal[3] = {13, 110, 103}, deep[3] = {8, 66, 72}, gold[3] = {196, 150, 52},
                        brown[3] = {120, 80, 30}, blue[3] = {40, 100, 170}, navy[3] = {20, 45, 95},
                        rose[3] = {200, 90, 110}, plum[3] = {110, 40, 80};
    put_image_locked("checkup-card", "image/png", demo_picture(640, 360, teal, deep, 0));
    put_image_locked("vip-cleaning", "image/png", demo_picture(640, 360, gold, brown, 1));
    put_image_locked("health-lecture", "image/png", demo_picture(640, 360, blue, navy, 2));
    put_image_locked("family-day", "image/png", demo_picture(640, 360, rose, plum, 0));
    put_image_locked("broken-sample", "image/png", std::string("\x89PNG\r\n\x1a\n", 8) + "this is not a picture");
    exec("COMMIT");
}

// Cards 6200000000000001–40, PIN 1234 (demo only). Spend falls off steeply
// with rank, like a real member base, so the pyramid has every tier: with 40
// members, one VIP, one key, six regular, the rest basic.
void Store::seed_demo_members() {
    static const char* const kNames[] = {"张伟明", "李秀英", "王芳", "刘洋", "陈静", "杨帆", "黄磊", "赵敏",
                                         "周杰", "吴婷", "Ana López", "John Smith", "陳大文", "林美玲"};
    Statement exists(db_, "SELECT count(*) FROM members");
    if (exists.step() == SQLITE_ROW && exists.int_at(0) > 0) return;
    exec("BEGIN");
    int64_t now = clock_.wall_ms();
    int year = current_year();
    for (int i = 1; i <= 40; ++i) {
        char card[32];
        std::snprintf(card, sizeof card, "62000000000000%02d", i);
        std::string salt = sha256_hex(std::string(card) + "demo-salt").substr(0, 16);
        int64_t spend_fen = int64_t(60'000'00 / (i * i) + 300'00 * (41 - i));
        Statement m(db_, "INSERT INTO members (card, pin_salt, pin_hash, name, birthday, year_spend_fen, spend_year) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?)");
        m.text(1, card).text(2, salt).text(3, sha256_hex(salt + "1234")).text(4, kNames[(i - 1) % 14]);
        m.text(5, i == 3 ? "11-22" : "06-15").integer(6, spend_fen).integer(7, year).step();
        // The two biggest spenders moved over from the old card system: their
        // year so far is one imported line. The others have their visits one by one,
        // each earning by the rules on the year's running spend.
        int visits = i <= 2 ? 1 : 2 + i % 5;
        int64_t running = 0;
        static const char* const kWhat[] = {"outpatient visit", "health check-up", "dental treatment", "pharmacy",
                                            "rehabilitation"};
        for (int v = 0; v < visits; ++v) {
            int64_t part = v + 1 < visits ? spend_fen / visits : spend_fen - running;
            std::string note = i <= 2 ? "carried over from the previous card system" : kWhat[(i + v) % 5];
            add_points(card, points_for_purchase(running, part), "earned", note,
                       now - int64_t(visits - v) * 9 * kDayMs);
            running += part;
        }
        if (i > 2 && i % 6 == 0) add_points(card, -300, "redeemed", "registration-discount", now - 2 * kDayMs);
    }
    exec("COMMIT");
}

// Half-hourly slots 08:00–11:30 hospital time for each demo doctor, today
// (the hospital's day) and the six days after; a slot's day is its local day.
void Store::seed_demo_schedule(const std::string& time_zone) {
    Statement exists(db_, "SELECT count(*) FROM departments");
    if (exists.step() == SQLITE_ROW && exists.int_at(0) > 0) return;
    struct Dept {
        const char* id;
        json names;
        const char* doctors[2];
    };
    const Dept depts[] = {
        {"internal", in_four("内科", "內科", "Internal medicine", "Medicina interna"), {"王医生", "陈医生"}},
        {"surgery", in_four("外科", "外科", "Surgery", "Cirugía"), {"李医生", "赵医生"}},
        {"pediatrics", in_four("儿科", "兒科", "Paediatrics", "Pediatría"), {"刘医生", "周医生"}},
        {"dental", in_four("口腔科", "口腔科", "Dental", "Odontología"), {"孙医生", "吴医生"}},
    };
    exec("BEGIN");
    platform::LocalTime today = clock_.now_local(time_zone).value_or(platform::LocalTime{});
    int64_t today_days = platform::days_from_civil(today.year, today.month, today.day);
    for (const Dept& d : depts) {
        Statement dep(db_, "INSERT INTO departments (id, names) VALUES (?, ?)");
        dep.text(1, d.id).text(2, d.names.dump()).step();
        for (int k = 0; k < 2; ++k) {
            std::string doctor = std::string(d.id) + "-" + std::to_string(k + 1);
            Statement doc(db_, "INSERT INTO doctors (id, department, name) VALUES (?, ?, ?)");
            doc.text(1, doctor).text(2, d.id).text(3, d.doctors[k]).step();
            for (int day = 0; day < 7; ++day)
                for (int half = 0; half < 8; ++half) {
                    platform::LocalTime at;
                    platform::civil_from_days(today_days + day, &at.year, &at.month, &at.day);
                    at.hour = 8 + half / 2;
                    at.minute = half % 2 * 30;
                    int64_t starts = clock_.wall_ms_at(at, time_zone).value_or(0);
                    std::string date = at.iso_day();
                    Statement slot(db_, "INSERT INTO slots (id, doctor, department, day, starts_ms) VALUES (?, ?, ?, ?, ?)");
                    slot.text(1, doctor + "-" + date + "-" + std::to_string(half)).text(2, doctor).text(3, d.id);
                    slot.text(4, date).integer(5, starts).step();
                }
        }
    }
    exec("COMMIT");
}

void Store::seed_demo_content(const std::string& flows_path) {
    Statement exists(db_, "SELECT count(*) FROM content WHERE name = 'promotions'");
    if (exists.step() == SQLITE_ROW && exists.int_at(0) > 0) return;
    exec("BEGIN");
    int64_t now = clock_.wall_ms();
    // Each with an image (GET /api/v1/images/{id}) and a page to read more on the phone.
    json promotions = json::array({
        {{"id", "checkup-card"}, {"priority", 10}, {"tiers", json::array()},
         {"valid_from_ms", now - kDayMs}, {"valid_until_ms", now + 30 * kDayMs},
         {"image", "checkup-card"}, {"url", "https://hospital.example/offers/checkup-card"},
         {"title", in_four("积分兑换爱心体检卡", "積分兌換愛心體檢卡", "Redeem points for a health check-up card", "Canjee puntos por una tarjeta de chequeo")},
         {"body", in_four("5000积分即可兑换一张爱心体检卡，可在服务台领取。", "5000積分即可兌換一張愛心體檢卡，可在服務台領取。",
                          "5,000 points buy a health check-up card; collect it at the service desk.",
                          "Con 5.000 puntos obtiene una tarjeta de chequeo; recójala en el mostrador de atención.")}},
        {{"id", "vip-cleaning"}, {"priority", 20}, {"tiers", json::array({"vip", "key"})},
         {"valid_from_ms", now - kDayMs}, {"valid_until_ms", now + 60 * kDayMs},
         {"image", "vip-cleaning"}, {"url", "https://hospital.example/offers/vip-cleaning"},
         {"title", in_four("贵宾免费洁牙", "貴賓免費潔牙", "Free teeth cleaning for VIP guests", "Limpieza dental gratuita para VIP")},
         {"body", in_four("口腔科预约即可，每年一次。", "口腔科預約即可，每年一次。", "Book at the dental clinic; once a year.",
                          "Reserve en odontología; una vez al año.")}},
        {{"id", "health-lecture"}, {"priority", 5}, {"tiers", json::array()},
         {"valid_from_ms", now}, {"valid_until_ms", now + 14 * kDayMs},
         {"image", "health-lecture"}, {"url", "https://hospital.example/events/health-lecture"},
         {"title", in_four("免费健康讲座", "免費健康講座", "Free health lecture", "Charla de salud gratuita")},
         {"body", in_four("每周六上午十点，一楼报告厅", "每週六上午十點，一樓報告廳", "Saturdays 10:00, ground-floor hall", "Sábados 10:00, salón de la planta baja")}},
        {{"id", "family-day"}, {"priority", 8}, {"tiers", json::array()},
         {"valid_from_ms", now + 10 * kDayMs}, {"valid_until_ms", now + 12 * kDayMs},
         {"image", "family-day"}, {"url", "https://hospital.example/events/family-day"},
         {"title", in_four("母亲节健康日", "母親節健康日", "Mother's Day health day", "Día de la salud por el Día de la Madre")},
         {"body", in_four("带妈妈来做一次免费的骨密度检查。", "帶媽媽來做一次免費的骨密度檢查。",
                          "Bring your mother for a free bone-density check.",
                          "Traiga a su madre a una prueba gratuita de densidad ósea.")}}
    });
    put_content_locked("promotions", json{{"version", "demo-1"}, {"promotions", promotions}}.dump());

    json rewards = json::array({
        {{"id", "checkup-card"}, {"points", 5000}, {"cash_fen", 0}, {"name", in_four("爱心体检卡", "愛心體檢卡", "Health check-up card", "Tarjeta de chequeo")}},
        {{"id", "rehab-session"}, {"points", 2000}, {"cash_fen", 5000}, {"name", in_four("康复理疗一次", "康復理療一次", "Rehabilitation session", "Sesión de rehabilitación")}},
        {{"id", "registration-discount"}, {"points", 300}, {"cash_fen", 0}, {"name", in_four("挂号费八折卡", "掛號費八折卡", "20% off registration", "20 % de descuento en el registro")}},
        {{"id", "teeth-cleaning"}, {"points", 1500}, {"cash_fen", 3000}, {"name", in_four("洁牙一次", "潔牙一次", "Teeth cleaning", "Limpieza dental")}},
    });
    put_content_locked("rewards", json{{"version", "demo-1"}, {"rewards", rewards}}.dump());

    json questions = json::array({
        {{"id", "reception"}, {"type", "faces"}, {"text", in_four("挂号与接待", "掛號與接待", "Reception", "Recepción")}},
        {{"id", "waiting"}, {"type", "faces"}, {"text", in_four("候诊时间", "候診時間", "Waiting time", "Tiempo de espera")}},
        {{"id", "doctor"}, {"type", "faces"}, {"text", in_four("医生", "醫生", "Doctor", "Médico")}},
        {{"id", "nurses"}, {"type", "faces"}, {"text", in_four("护士", "護士", "Nurses", "Enfermería")}},
        {{"id", "recommend"}, {"type", "nps"}, {"text", in_four("您会向亲友推荐我们吗？", "您會向親友推薦我們嗎？", "Would you recommend us to family and friends?", "¿Nos recomendaría a familiares y amigos?")}},
    });
    put_content_locked("surveys", json{{"version", "demo-1"},
                                       {"surveys", json::array({{{"id", "visit"}, {"version", 1},
                                                                 {"touchpoints", json::array({"reception", "consultation", "payment"})},
                                                                 {"questions", questions}}})}}.dump());

    json topics = json::array({
        {{"id", "reception"}, {"name", in_four("挂号与接待", "掛號與接待", "Reception", "Recepción")}},
        {{"id", "waiting"}, {"name", in_four("候诊时间", "候診時間", "Waiting time", "Tiempo de espera")}},
        {{"id", "doctor"}, {"name", in_four("医生", "醫生", "Doctor", "Médico")}},
        {{"id", "nurses"}, {"name", in_four("护士", "護士", "Nurses", "Enfermería")}},
        {{"id", "tests"}, {"name", in_four("检查", "檢查", "Tests", "Pruebas")}},
        {{"id", "payment"}, {"name", in_four("缴费", "繳費", "Payment", "Pago")}},
        {{"id", "pharmacy"}, {"name", in_four("取药", "取藥", "Pharmacy", "Farmacia")}},
        {{"id", "environment"}, {"name", in_four("环境与卫生", "環境與衛生", "Environment", "Instalaciones")}},
    });
    put_content_locked("feedback_topics", json{{"version", "demo-1"}, {"topics", topics}}.dump());

    json departments = json::array();
    Statement d(db_, "SELECT id, names FROM departments ORDER BY id");
    while (d.step() == SQLITE_ROW) {
        json doctors = json::array();
        Statement doc(db_, "SELECT id, name FROM doctors WHERE department = ? ORDER BY id");
        doc.text(1, d.text_at(0));
        // Each doctor's name in the four languages, romanised for English and Spanish guests.
        static const std::map<std::string, json> kDoctorNames = {
            {"internal-1", in_four("王医生", "王醫生", "Dr Wang", "Dr. Wang")},
            {"internal-2", in_four("陈医生", "陳醫生", "Dr Chen", "Dr. Chen")},
            {"surgery-1", in_four("李医生", "李醫生", "Dr Li", "Dr. Li")},
            {"surgery-2", in_four("赵医生", "趙醫生", "Dr Zhao", "Dr. Zhao")},
            {"pediatrics-1", in_four("刘医生", "劉醫生", "Dr Liu", "Dr. Liu")},
            {"pediatrics-2", in_four("周医生", "周醫生", "Dr Zhou", "Dr. Zhou")},
            {"dental-1", in_four("孙医生", "孫醫生", "Dr Sun", "Dr. Sun")},
            {"dental-2", in_four("吴医生", "吳醫生", "Dr Wu", "Dr. Wu")},
        };
        while (doc.step() == SQLITE_ROW) {
            json entry = {{"id", doc.text_at(0)}, {"name", doc.text_at(1)}};
            if (auto names = kDoctorNames.find(doc.text_at(0)); names != kDoctorNames.end()) entry["names"] = names->second;
            doctors.push_back(entry);
        }
        departments.push_back({{"id", d.text_at(0)}, {"name", json::parse(d.text_at(1))}, {"doctors", doctors}});
    }
    put_content_locked("departments", json{{"version", "demo-1"}, {"departments", departments}}.dump());

    json strings = {
        {"greeting.guest", in_four("您好，欢迎光临", "您好，歡迎光臨", "Welcome", "Bienvenido")},
        {"greeting.vip", in_four("尊贵的贵宾，欢迎您", "尊貴的貴賓，歡迎您", "Welcome, VIP guest", "Bienvenido, cliente VIP")},
        {"greeting.birthday", in_four("生日快乐！", "生日快樂！", "Happy birthday!", "¡Feliz cumpleaños!")},
        {"tier.vip", in_four("贵宾客户", "貴賓客戶", "VIP", "VIP")},
        {"tier.key", in_four("主要客户", "主要客戶", "Key member", "Cliente clave")},
        {"tier.regular", in_four("普通客户", "普通客戶", "Member", "Cliente habitual")},
        {"tier.basic", in_four("会员", "會員", "Member", "Socio")},
    };
    put_content_locked("translations", json{{"version", "demo-1"}, {"strings", strings}}.dump());

    // Where a guest who called for help finds staff: per kiosk, with a default for the site.
    put_content_locked(
        "help_desk",
        json{{"version", "demo-1"},
             {"default", in_four("一楼大厅咨询台（正门右侧）", "一樓大堂諮詢台（正門右側）",
                                 "Information desk, ground floor hall, right of the main entrance",
                                 "Mostrador de información, vestíbulo de la planta baja, a la derecha de la entrada")},
             {"kiosks",
              {{"lobby-1", in_four("一楼门诊服务台，就在本机左侧 20 米", "一樓門診服務台，就在本機左側 20 米",
                                   "Outpatient service desk, ground floor, 20 m to the left of this kiosk",
                                   "Mostrador de consultas externas, planta baja, a 20 m a la izquierda de este quiosco")}}}}
            .dump());

    std::ifstream in(flows_path);
    std::stringstream body;
    body << in.rdbuf();
    if (!body.str().empty()) put_content_locked("flows", body.str());
    exec("COMMIT");
}

}  // namespace crm
