#include "record_page_html.h"

#include <cstdio>
#include <map>

namespace crm {

namespace {

using nlohmann::json;

// The page's words in the four languages, in the order zh-Hans, zh-Hant, en, es.
struct Words {
    const char* text[4];
};
const std::map<std::string, Words>& words() {
    static const std::map<std::string, Words> table = {
        {"complaint.title", {{"投诉进度", "投訴進度", "Complaint progress", "Estado de la queja"}}},
        {"complaint.ticket", {{"投诉编号", "投訴編號", "Ticket", "Número de queja"}}},
        {"complaint.stage", {{"当前进度", "目前進度", "Now", "Ahora"}}},
        {"complaint.next", {{"下一步", "下一步", "Next", "Siguiente"}}},
        {"complaint.due", {{"预计不晚于", "預計不晚於", "By", "Antes del"}}},
        {"stage.submitted", {{"已提交", "已提交", "Submitted", "Enviada"}}},
        {"stage.acknowledged", {{"已受理", "已受理", "Acknowledged", "Recibida"}}},
        {"stage.assigned", {{"已分派处理", "已分派處理", "Assigned", "Asignada"}}},
        {"stage.resolved", {{"已处理", "已處理", "Resolved", "Resuelta"}}},
        {"stage.return_visit", {{"回访", "回訪", "Follow-up call", "Llamada de seguimiento"}}},
        {"stage.closed", {{"已结案", "已結案", "Closed", "Cerrada"}}},
        {"booking.title", {{"复诊预约", "覆診預約", "Follow-up visit", "Cita de seguimiento"}}},
        {"booking.code", {{"预约号", "預約號", "Booking code", "Código de cita"}}},
        {"booking.department", {{"科室", "科室", "Department", "Servicio"}}},
        {"booking.doctor", {{"医生", "醫生", "Doctor", "Médico"}}},
        {"booking.time", {{"时间", "時間", "Time", "Hora"}}},
        {"booking.status", {{"状态", "狀態", "Status", "Estado"}}},
        {"booking.confirmed", {{"已确认", "已確認", "Confirmed", "Confirmada"}}},
        {"booking.cancelled", {{"已取消", "已取消", "Cancelled", "Cancelada"}}},
        {"booking.refused", {{"未能预约", "未能預約", "Not booked", "No reservada"}}},
        {"booking.advice", {{"请提前15分钟到挂号处报到，出示预约号或本页二维码。", "請提前15分鐘到掛號處報到，出示預約號或本頁二維碼。",
                             "Please check in at registration 15 minutes early with your booking code.",
                             "Preséntese en admisión 15 minutos antes con su código de cita."}}},
        {"voucher.title", {{"兑换凭证", "兌換憑證", "Voucher", "Vale"}}},
        {"gift.title", {{"积分赠送", "積分贈送", "Points given", "Puntos regalados"}}},
        {"voucher.number", {{"凭证号", "憑證號", "Voucher number", "Número de vale"}}},
        {"voucher.reward", {{"兑换内容", "兌換內容", "Reward", "Recompensa"}}},
        {"voucher.points", {{"积分", "積分", "Points", "Puntos"}}},
        {"voucher.cash", {{"请到收费处支付", "請到收費處支付", "To pay at the cashier", "A pagar en caja"}}},
        {"voucher.issued", {{"时间", "時間", "Issued", "Emitido"}}},
        {"voucher.void", {{"此凭证已作废：自助机离线时发放，但这些积分已在别处使用，未扣除任何积分。",
                           "此憑證已作廢：自助機離線時發放，但這些積分已在別處使用，未扣除任何積分。",
                           "This voucher is void: it was issued while the kiosk was offline, and the points had "
                           "already been used elsewhere. No points were taken.",
                           "Este vale no es válido: se emitió con el quiosco sin conexión y los puntos ya se habían "
                           "usado en otro lugar. No se descontó ningún punto."}}},
        {"unavailable.title", {{"暂时查不到这条记录", "暫時查不到這條記錄", "Not available yet", "Aún no disponible"}}},
        {"unavailable.body",
         {{"如果您刚在未联网的自助机上拿到这个编号，自助机重新联网后即可在此查看，请稍后再试。也请确认二维码已完整扫描。",
           "如果您剛在未連線的自助機上拿到這個編號，自助機重新連線後即可在此查看，請稍後再試。也請確認二維碼已完整掃描。",
           "If you just got this code at a kiosk that was offline, it appears here once the kiosk is back online — "
           "please try again later. Check that the whole QR code was scanned.",
           "Si acaba de recibir este código en un quiosco sin conexión, aparecerá aquí cuando el quiosco vuelva a "
           "conectarse; inténtelo más tarde. Compruebe que escaneó el código QR completo."}}},
        {"wait.title", {{"尝试次数过多", "嘗試次數過多", "Too many tries", "Demasiados intentos"}}},
        {"wait.body", {{"请 {n} 秒后再试。", "請 {n} 秒後再試。", "Please try again in {n} seconds.",
                        "Inténtelo de nuevo dentro de {n} segundos."}}},
        {"privacy", {{"本页不显示姓名、卡号或电话号码。", "本頁不顯示姓名、卡號或電話號碼。",
                      "This page never shows a name, card or phone number.",
                      "Esta página nunca muestra nombres, tarjetas ni teléfonos."}}},
    };
    return table;
}

int lang_index(const std::string& lang) {
    if (lang == "zh-Hant") return 1;
    if (lang == "en") return 2;
    if (lang == "es") return 3;
    return 0;
}

std::string w(const std::string& key, const std::string& lang) {
    auto it = words().find(key);
    return it == words().end() ? key : it->second.text[lang_index(lang)];
}

std::string escape(std::string_view text) {
    std::string out;
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
    return out;
}

// The hospital's wall clock, with the weekday, as each language writes a date.
std::string when(int64_t wall_ms, const std::string& zone, const std::string& lang, const platform::Clock& clock) {
    auto t = clock.local_time(wall_ms, zone);
    if (!t) t = clock.local_time(wall_ms, "UTC");
    if (!t) return "";
    static const char* const kWeekdays[4][7] = {{"周日", "周一", "周二", "周三", "周四", "周五", "周六"},
                                                {"週日", "週一", "週二", "週三", "週四", "週五", "週六"},
                                                {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"},
                                                {"dom", "lun", "mar", "mié", "jue", "vie", "sáb"}};
    static const char* const kMonths[2][12] = {
        {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"},
        {"ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic"}};
    int li = lang_index(lang);
    const char* weekday = kWeekdays[li][t->weekday % 7];
    std::string y = std::to_string(t->year), m = std::to_string(t->month), d = std::to_string(t->day);
    if (li < 2) return y + "年" + m + "月" + d + "日（" + weekday + "）" + t->hh_mm();
    return std::string(weekday) + " " + d + " " + kMonths[li - 2][(t->month + 11) % 12] + " " + y + ", " + t->hh_mm();
}

std::string in_language(const json& names, const std::string& lang) {
    if (!names.is_object()) return names.is_string() ? names.get<std::string>() : "";
    for (const std::string& l : {lang, std::string("en"), std::string("zh-Hans")})
        if (names.contains(l) && names[l].is_string()) return names[l].get<std::string>();
    return "";
}

std::string document(const std::string& lang, const std::string& title, const std::string& body) {
    return "<!doctype html>\n<html lang=\"" + escape(lang) +
           "\"><head><meta charset=\"utf-8\">"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
           "<meta name=\"robots\" content=\"noindex\"><title>" +
           escape(title) +
           "</title><style>"
           "body{font-family:system-ui,sans-serif;margin:0;padding:1.2rem;line-height:1.5;color:#1a1a1a;background:#fff}"
           "main{max-width:36rem;margin:auto}h1{font-size:1.6rem;margin:0 0 1rem}"
           ".code{font-size:2rem;font-weight:700;letter-spacing:.05em;color:#0b5394}"
           "dl{display:grid;grid-template-columns:auto 1fr;gap:.4rem 1rem}dt{color:#555}dd{margin:0;font-weight:600}"
           "ol{padding-left:1.4rem}li.done{font-weight:600}li.todo{color:#777}.note{color:#555;font-size:.9rem}"
           "</style></head><body><main>" +
           body + "<p class=\"note\">" + escape(w("privacy", lang)) + "</p></main></body></html>\n";
}

std::string row(const std::string& label, const std::string& value) {
    return "<dt>" + escape(label) + "</dt><dd>" + escape(value) + "</dd>";
}

std::string complaint_body(const json& r, const std::string& lang, const std::string& zone, const platform::Clock& clock) {
    std::string body = "<h1>" + escape(w("complaint.title", lang)) + "</h1><p>" + escape(w("complaint.ticket", lang)) +
                       "</p><p class=\"code\" id=\"id\">" + escape(r.value("ticket", "")) + "</p><ol>";
    if (r.contains("stages") && r["stages"].is_array())
        for (const json& s : r["stages"]) {
            bool reached = s.contains("reached_at_ms") && s["reached_at_ms"].is_number_integer();
            body += std::string("<li class=\"") + (reached ? "done" : "todo") + "\">" +
                    escape(w("stage." + s.value("stage", ""), lang));
            if (reached) body += " — " + escape(when(s["reached_at_ms"].get<int64_t>(), zone, lang, clock));
            body += "</li>";
        }
    body += "</ol><dl>" + row(w("complaint.stage", lang), w("stage." + r.value("stage", ""), lang));
    if (r.contains("next_stage") && r.contains("next_due_ms") && r["next_due_ms"].is_number_integer())
        body += row(w("complaint.next", lang), w("stage." + r.value("next_stage", ""), lang)) +
                row(w("complaint.due", lang), when(r["next_due_ms"].get<int64_t>(), zone, lang, clock));
    return body + "</dl>";
}

std::string booking_body(const json& r, const std::string& lang, const std::string& zone, const platform::Clock& clock) {
    std::string status = r.value("status", "");
    std::string body = "<h1>" + escape(w("booking.title", lang)) + "</h1><p>" + escape(w("booking.code", lang)) +
                       "</p><p class=\"code\" id=\"id\">" + escape(r.value("code", "")) + "</p><dl>";
    body += row(w("booking.status", lang), w("booking." + status, lang));
    body += row(w("booking.department", lang), in_language(r.value("department", json()), lang));
    body += row(w("booking.doctor", lang), r.value("doctor_name", ""));
    body += row(w("booking.time", lang), when(r.value("starts_ms", int64_t(0)), zone, lang, clock));
    body += "</dl>";
    if (status == "confirmed") body += "<p>" + escape(w("booking.advice", lang)) + "</p>";
    return body;
}

std::string voucher_body(const json& r, const std::string& lang, const std::string& zone, const platform::Clock& clock) {
    bool gift = r.value("gift", false);
    std::string body = "<h1>" + escape(w(gift ? "gift.title" : "voucher.title", lang)) + "</h1><p>" +
                       escape(w("voucher.number", lang)) + "</p><p class=\"code\" id=\"id\">" +
                       escape(r.value("voucher", "")) + "</p>";
    if (r.value("void", false)) body += "<p id=\"void\"><strong>" + escape(w("voucher.void", lang)) + "</strong></p>";
    body += "<dl>";
    if (!gift) body += row(w("voucher.reward", lang), in_language(r.value("reward", json()), lang));
    body += row(w("voucher.points", lang), std::to_string(r.value("points", int64_t(0))));
    int64_t cash = r.value("cash_fen", int64_t(0));
    if (cash > 0) {
        char yuan[48];
        std::snprintf(yuan, sizeof yuan, "¥%lld.%02lld", static_cast<long long>(cash / 100), static_cast<long long>(cash % 100));
        body += row(w("voucher.cash", lang), yuan);
    }
    if (r.contains("issued_ms")) body += row(w("voucher.issued", lang), when(r.value("issued_ms", int64_t(0)), zone, lang, clock));
    return body + "</dl>";
}

}  // namespace

std::string page_language(std::string_view l) {
    if (l == "zh-Hant" || l == "en" || l == "es") return std::string(l);
    return "zh-Hans";
}

std::string record_page_html(const json& record, const std::string& lang, const platform::Clock& clock) {
    std::string zone = record.value("time_zone", "UTC");
    std::string kind = record.value("kind", "");
    if (kind == "complaint") return document(lang, w("complaint.title", lang), complaint_body(record, lang, zone, clock));
    if (kind == "booking") return document(lang, w("booking.title", lang), booking_body(record, lang, zone, clock));
    bool gift = record.value("gift", false);
    return document(lang, w(gift ? "gift.title" : "voucher.title", lang), voucher_body(record, lang, zone, clock));
}

std::string record_unavailable_html(const std::string& lang) {
    return document(lang, w("unavailable.title", lang),
                    "<h1 id=\"unavailable\">" + escape(w("unavailable.title", lang)) + "</h1><p>" +
                        escape(w("unavailable.body", lang)) + "</p>");
}

std::string record_wait_html(const std::string& lang, int64_t seconds) {
    std::string body = w("wait.body", lang);
    body.replace(body.find("{n}"), 3, std::to_string(seconds));
    return document(lang, w("wait.title", lang),
                    "<h1 id=\"wait\">" + escape(w("wait.title", lang)) + "</h1><p>" + escape(body) + "</p>");
}

}  // namespace crm
