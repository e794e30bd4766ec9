// Follow-up visits (复诊预约): book one, or look one up by its code and move or
// cancel it. Two screens — `booking` (book) and `booking_manage` (my booking) —
// each a short series of steps inside the screen, so that everything the guest
// typed lives in this one object and is dropped in on_leave (Home, Back out of
// the screen, the session's end). "‹ Previous step" goes back a step; the
// bottom bar's Back leaves the screen.
//
// Rules and codes: domain/booking_rules.h. What this kiosk knows of its own
// bookings (held slots, offline requests and their refusals): app/booking_ledger.h.
// Nothing waits on the CRM: slots and look-ups are asked through ctx.crm and
// shown from the content cache meanwhile (with their age); bookings, moves and
// cancellations are outbox records, so they work offline as requests.
#include <map>
#include <nlohmann/json.hpp>

#include "app/booking_ledger.h"
#include "app/kiosk_context.h"
#include "domain/booking_rules.h"
#include "domain/paper_slips.h"
#include "domain/guest_codes.h"
#include "domain/privacy.h"
#include "offline_cache/content_cache.h"
#include "platform/log.h"
#include "scenes/scenes.h"
#include "ui/chrome.h"
#include "ui/touch_keyboard.h"

namespace kiosk {

namespace {

using nlohmann::json;

constexpr int kBookableDays = 7;
constexpr int64_t kStatusRefreshMs = 500;

enum class Step { department, doctor, day, slot, who, confirm, find, view, confirm_cancel };

// What the view step shows: this kiosk's ledger entry, the CRM's answer, or both.
struct Viewed {
    LocalBooking booking;     // from the ledger, or filled from the CRM's answer
    bool local = false;       // made or changed on this kiosk
    bool from_crm = false;    // the CRM answered the look-up
    std::string crm_status;   // confirmed | cancelled | refused
    std::string crm_refusal;  // the reason of the CRM's latest refusal for the code
    std::string crm_refused_type;
    std::vector<Slot> alternatives;
};

class BookingScene final : public Scene {
public:
    BookingScene(KioskContext& ctx, bool manage) : ctx_(ctx), manage_(manage) {}

    void on_enter() override {
        clear();
        step_ = manage_ ? Step::find : Step::department;
        load_departments();
        if (manage_) load_member_visits();
    }
    void on_leave() override { clear(); }

    bool on_event(const SceneEvent& event) override {
        if (event.kind == SceneEvent::Kind::content_changed) {
            load_departments();
            return false;
        }
        // A booking slip's QR code (or a phone showing it) scanned at the find step.
        if (event.kind == SceneEvent::Kind::card_scanned && manage_ && step_ == Step::find) {
            if (auto code = parse_booking_code(event.text)) {
                code_.clear();
                code_.insert(*code);
                return true;
            }
        }
        return false;
    }

    int64_t ms_until_redraw() const override {
        // A request waiting for the CRM changes state without a touch: look again soon.
        return step_ == Step::view && viewed_ && viewed_->local ? kStatusRefreshMs : -1;
    }

    void on_frame() override {
        area_ = begin_screen(ctx_, Bars::top_and_bottom);
        s_ = ui_scale();
        large_ = ctx_.session.large_text;
        if (!ctx_.store) {
            heading(ctx_.tr("booking.unavailable"));
        } else {
            if (!ledger_) ledger_.emplace(*ctx_.store, ctx_.clock, ctx_.config.kiosk_id);
            switch (step_) {
                case Step::department: department_step(); break;
                case Step::doctor: doctor_step(); break;
                case Step::day: day_step(); break;
                case Step::slot: slot_step(); break;
                case Step::who: who_step(); break;
                case Step::confirm: confirm_step(); break;
                case Step::find: find_step(); break;
                case Step::view: view_step(); break;
                case Step::confirm_cancel: confirm_cancel_step(); break;
            }
        }
        end_screen(ctx_, Bars::top_and_bottom);
    }

private:
    // ---- layout helpers ----

    float heading(const std::string& text) {
        const Palette& p = palette(ctx_.session.high_contrast);
        float h = draw_text_wrapped(ctx_.fonts.title(large_), text, ImVec2(area_.min.x + 60 * s_, area_.min.y + 24 * s_),
                                    p.text, area_.width() - 120 * s_);
        return area_.min.y + 24 * s_ + h + 24 * s_;
    }

    float line(const std::string& text, float y, bool muted = true, float x_offset = 0) {
        const Palette& p = palette(ctx_.session.high_contrast);
        float h = draw_text_wrapped(ctx_.fonts.body(large_), text, ImVec2(area_.min.x + 60 * s_ + x_offset, y),
                                    muted ? p.text_muted : p.text, area_.width() - 120 * s_ - x_offset);
        return y + h + 12 * s_;
    }

    bool button(const std::string& id, const std::string& label, ImVec2 pos, ImVec2 size,
                ButtonStyle style = ButtonStyle::secondary) {
        return touch_button(ctx_.widgets, id.c_str(), label, pos, size, style, ctx_.fonts.heading(large_),
                            ctx_.session.high_contrast);
    }

    // A grid of choices from the top of the content; returns the index tapped, or -1.
    // A choice marked unavailable is drawn greyed with its reason and cannot be tapped.
    int grid(const std::string& id_prefix, const std::vector<std::string>& labels, float top, int columns,
             float height, int selected = -1, const std::vector<std::string>* unavailable = nullptr) {
        float gap = 24 * s_;
        float width = (area_.width() - 120 * s_ - gap * float(columns - 1)) / float(columns);
        int tapped = -1;
        for (size_t i = 0; i < labels.size(); ++i) {
            ImVec2 pos(area_.min.x + 60 * s_ + float(i % size_t(columns)) * (width + gap),
                       top + float(i / size_t(columns)) * (height + gap));
            if (unavailable && i < unavailable->size() && !(*unavailable)[i].empty()) {
                unavailable_choice(id_prefix + std::to_string(i), labels[i], (*unavailable)[i], pos,
                                   ImVec2(width, height));
                continue;
            }
            if (button(id_prefix + std::to_string(i), labels[i], pos, ImVec2(width, height),
                       int(i) == selected ? ButtonStyle::selected : ButtonStyle::secondary))
                tapped = int(i);
        }
        return tapped;
    }

    // Greyed, with the reason under the label (e.g. "Full"): no button, so a tap does nothing.
    void unavailable_choice(const std::string& id, const std::string& label, const std::string& reason, ImVec2 pos,
                            ImVec2 size) {
        const Palette& p = palette(ctx_.session.high_contrast);
        ImVec2 max(pos.x + size.x, pos.y + size.y);
        ImDrawList* draw = ImGui::GetWindowDrawList();
        draw->AddRectFilled(pos, max, p.background, 16 * s_);
        draw->AddRect(pos, max, p.border, 16 * s_, 0, 2 * s_);
        ImFont* font = ctx_.fonts.heading(large_);
        ImFont* small = ctx_.fonts.body(large_);
        float cx = (pos.x + max.x) / 2;
        draw_text_centered(font, label, ImVec2(cx, pos.y + size.y * 0.36f), p.text_muted, size.x - 16 * s_);
        draw_text_centered(small, reason, ImVec2(cx, pos.y + size.y * 0.76f), p.text_muted, size.x - 16 * s_);
        ctx_.widgets.record(id, label, pos, max, font->FontSize);
        ctx_.widgets.record(id + ".full", reason, pos, max, small->FontSize);
    }

    // "‹ Previous step" and the step's main action, along the bottom of the content.
    bool previous_and_next(Step previous, const std::string& next_id, const std::string& next_label,
                           bool show_next = true) {
        float y = area_.max.y - 130 * s_;
        ImVec2 size(440 * s_, 104 * s_);
        if (button("book.previous", "‹ " + ctx_.tr("booking.previous"), ImVec2(area_.min.x + 60 * s_, y), size)) {
            message_.clear();
            step_ = previous;
        }
        if (!show_next) return false;
        return button(next_id, next_label, ImVec2(area_.max.x - 60 * s_ - 560 * s_, y), ImVec2(560 * s_, 104 * s_),
                      ButtonStyle::primary);
    }

    void show_message(float y) {
        if (message_.empty()) return;
        const Palette& p = palette(ctx_.session.high_contrast);
        std::string text = message_ == "status.please_wait" ? ctx_.format_seconds(message_, int(message_seconds_))
                                                            : ctx_.tr(message_);
        float h = draw_text_wrapped(ctx_.fonts.heading(large_), text, ImVec2(area_.min.x + 60 * s_, y),
                                    p.primary, area_.width() - 120 * s_);
        ctx_.widgets.record("book.message", text, ImVec2(area_.min.x + 60 * s_, y),
                            ImVec2(area_.max.x - 60 * s_, y + h));
    }

    // The doctor's name in the guest's language (the departments content's
    // "names"), else as the schedule writes it.
    std::string doctor_name(const std::string& doctor_id, const std::string& as_written) const {
        for (const Department& d : departments_)
            for (const Doctor& doc : d.doctors)
                if (doc.id == doctor_id) return doc.name_in(ctx_.session.lang);
        return as_written;
    }

    std::string department_name(const std::string& id) const {
        for (const Department& d : departments_)
            if (d.id == id) return d.name.in(ctx_.session.lang);
        return id;
    }

    std::string slip_day(int64_t starts_ms) const {
        return written_day(ctx_.session.lang, ctx_.calendar().day(starts_ms));
    }

    // The hospital's wall clock, the date as the guest's language writes it, with the weekday.
    std::string when(int64_t starts_ms) const { return ctx_.calendar().written(ctx_.session.lang, starts_ms); }

    // ---- booking steps ----

    void department_step() {
        float y = heading(ctx_.tr("booking.choose_department"));
        if (departments_.empty()) {
            line(ctx_.tr("booking.no_departments"), y);
            return;
        }
        std::vector<std::string> labels;
        for (const Department& d : departments_) labels.push_back(d.name.in(ctx_.session.lang));
        int tapped = grid("book.dept.", labels, y, 2, 150 * s_);
        if (tapped >= 0) {
            department_ = departments_[size_t(tapped)].id;
            doctor_.clear();
            step_ = Step::doctor;
        }
    }

    const Department* chosen_department() const {
        for (const Department& d : departments_)
            if (d.id == department_) return &d;
        return nullptr;
    }

    void doctor_step() {
        float y = heading(ctx_.tr("booking.choose_doctor"));
        y = line(department_name(department_), y, false);
        std::vector<std::string> labels = {ctx_.tr("booking.any_doctor")};
        const Department* dept = chosen_department();
        if (dept)
            for (const Doctor& d : dept->doctors) labels.push_back(d.name_in(ctx_.session.lang));
        int tapped = grid("book.doctor.", labels, y, 3, 150 * s_);
        if (tapped >= 0) {
            doctor_ = tapped == 0 || !dept ? "" : dept->doctors[size_t(tapped - 1)].id;
            step_ = Step::day;
        }
        previous_and_next(Step::department, "", "", false);
    }

    void day_step() {
        float y = heading(ctx_.tr(moving() ? "booking.move_choose_day" : "booking.choose_day"));
        y = line(department_name(department_), y, false);
        // The hospital's days: "today" is its local day, whatever the UTC date.
        std::vector<std::string> days = ctx_.calendar().next_days(kBookableDays);
        std::vector<std::string> labels;
        for (const std::string& day : days) labels.push_back(written_day(ctx_.session.lang, day));
        labels[0] = ctx_.tr("booking.today") + "  " + labels[0];
        // A day whose list is known (cached or from the CRM) and offers no
        // time — for the chosen doctor, if any — is marked full and cannot be
        // tapped. A day not known yet (offline, never fetched) stays open.
        if (day_lists_for_ != department_) load_day_lists(days);
        std::vector<std::string> full(days.size());
        for (size_t i = 0; i < days.size(); ++i) {
            auto known = day_lists_.find(days[i]);
            if (known == day_lists_.end()) continue;
            if (offerable_slots(known->second, ctx_.clock.wall_ms(), ledger_->held_slots(department_, days[i]), doctor_)
                    .empty())
                full[i] = ctx_.tr("booking.day_full");
        }
        int tapped = grid("book.day.", labels, y, 4, 130 * s_, -1, &full);
        if (tapped >= 0) {
            day_ = days[size_t(tapped)];
            load_slots();
            step_ = Step::slot;
        }
        previous_and_next(moving() ? Step::view : Step::doctor, "", "", false);
    }

    void slot_step() {
        float y = heading(ctx_.tr(moving() ? "booking.move_choose_time" : "booking.choose_time"));
        y = line(department_name(department_) + "  ·  " + written_day(ctx_.session.lang, day_), y, false);
        // Where the list comes from, and how old it is when it is not live.
        std::string source;
        if (ctx_.crm && ctx_.crm->busy()) source = ctx_.tr("booking.slots_loading");
        else if (slots_live_) source = ctx_.tr("booking.slots_live");
        else if (slots_fetched_ms_ > 0)
            source = ctx_.strings.format(ctx_.session.lang, "booking.slots_age", "n",
                                         std::to_string(std::max<int64_t>(0, (ctx_.clock.wall_ms() - slots_fetched_ms_) / 60'000)));
        if (!source.empty()) {
            ctx_.widgets.record("book.slots_source", source, ImVec2(area_.min.x, y), ImVec2(area_.min.x + 1, y + 1));
            y = line(source, y);
        }
        std::set<std::string> held = ledger_->held_slots(department_, day_);
        offered_ = offerable_slots(slots_, ctx_.clock.wall_ms(), held, doctor_);
        if (offered_.empty()) {
            line(ctx_.tr(slots_fetched_ms_ > 0 || slots_live_ ? "booking.no_slots" : "booking.no_slots_offline"), y, false);
        } else {
            std::vector<std::string> labels;
            HospitalCalendar calendar = ctx_.calendar();
            for (const Slot& slot : offered_) labels.push_back(calendar.time(slot.starts_ms) + "  " + doctor_name(slot.doctor, slot.doctor_name));
            int tapped = grid("book.slot.", labels, y, 4, 100 * s_);
            if (tapped >= 0) {
                slot_ = offered_[size_t(tapped)];
                message_.clear();
                step_ = moving() ? Step::confirm : Step::who;
                if (!moving() && ctx_.session.member) step_ = Step::confirm;
            }
        }
        previous_and_next(Step::day, "", "", false);
    }

    void who_step() {
        float y = heading(ctx_.tr("booking.who"));
        y = line(ctx_.tr("booking.guest_privacy"), y);
        float width = std::min(900 * s_, area_.width() - 120 * s_);
        text_field_widget(ctx_, "book.name", ctx_.tr("booking.field.name"), name_, ImVec2(area_.min.x + 60 * s_, y),
                          width, KeyboardKind::text);
        y += 170 * s_;
        text_field_widget(ctx_, "book.phone", ctx_.tr("booking.field.phone"), phone_,
                          ImVec2(area_.min.x + 60 * s_, y), width * 0.6f, KeyboardKind::number_pad);
        // Next sits beside the phone field, never under the keyboard.
        bool next = button("book.next", ctx_.tr("booking.next"),
                           ImVec2(area_.min.x + 60 * s_ + width * 0.6f + 40 * s_, y + 50 * s_),
                           ImVec2(width * 0.4f - 40 * s_, 104 * s_), ButtonStyle::primary);
        y += 170 * s_;
        show_message(y);
        previous_and_next(Step::slot, "", "", false);
        if (next) {
            switch (check_guest(name_.text(), phone_.text())) {
                case GuestCheck::ok:
                    message_.clear();
                    ctx_.keyboard.focus(nullptr, KeyboardKind::text, ctx_.clock.monotonic_ms());
                    step_ = Step::confirm;
                    break;
                case GuestCheck::name_missing: message_ = "booking.error.name"; break;
                case GuestCheck::name_too_long: message_ = "booking.error.name_long"; break;
                case GuestCheck::phone_invalid: message_ = "booking.error.phone"; break;
            }
        }
    }

    std::string person() const {
        if (rebook_person_) return *rebook_person_;
        if (ctx_.session.member) return member_person(ctx_.session.member->card);
        return guest_person(name_.text(), phone_.text());
    }

    void confirm_step() {
        float y = heading(ctx_.tr(moving() ? "booking.confirm_move" : "booking.confirm_title"));
        if (moving()) y = line(ctx_.tr("booking.field.from") + ":  " + when(viewed_->booking.starts_ms) + "  " +
                                   viewed_->booking.doctor_name, y, false);
        y = line(ctx_.tr("booking.field.department") + ":  " + department_name(department_), y, false);
        y = line(ctx_.tr("booking.field.doctor") + ":  " + doctor_name(slot_.doctor, slot_.doctor_name), y, false);
        y = line(ctx_.tr("booking.field.time") + ":  " + when(slot_.starts_ms), y, false);
        if (!moving()) {
            std::string who = ctx_.session.member
                                  ? ctx_.tr("booking.for_member") + "  " + ctx_.session.member->masked_name + "  " +
                                        mask_card(ctx_.session.member->card)
                                  : rebook_person_ ? ctx_.tr("booking.for_same_person")
                                                   : mask_name(name_.text()) + "  " + mask_phone(phone_.text());
            y = line(ctx_.tr("booking.field.who") + ":  " + who, y, false);
        }
        if (!ctx_.sync_status.online) y = line(ctx_.tr("booking.offline_note"), y + 12 * s_);
        show_message(y + 12 * s_);
        if (previous_and_next(moving() ? Step::slot : ctx_.session.member || rebook_person_ ? Step::slot : Step::who,
                              "book.confirm", ctx_.tr(moving() ? "booking.confirm_move_button" : "booking.confirm_button")))
            save_booking();
    }

    void save_booking() {
        std::string who = moving() ? viewed_->booking.person : person();
        // The kiosk's own knowledge of the rule; the CRM checks it again for good.
        std::string except = moving() || rebook_code_ ? (moving() ? viewed_->booking.code : *rebook_code_) : "";
        if (!who.empty() && has_visit_that_day(ledger_->visits(department_, day_), who, department_, day_, except)) {
            ctx_.note_failed_attempt();
            message_ = "booking.error.same_day";
            return;
        }
        LedgerSave saved;
        if (moving()) {
            saved = ledger_->move(viewed_->booking, slot_, day_);
        } else {
            LocalBooking b;
            if (rebook_code_) b.code = *rebook_code_;
            b.slot = slot_.id;
            b.department = department_;
            b.day = day_;
            b.doctor = slot_.doctor;
            b.doctor_name = slot_.doctor_name;
            b.starts_ms = slot_.starts_ms;
            b.person = who;
            if (rebook_last4_) b.phone_last4 = *rebook_last4_;
            else if (!ctx_.session.member) b.phone_last4 = phone_last4(phone_.text());
            saved = ledger_->book(b);
        }
        if (!saved.result.ok()) {
            log_warn("booking: could not save (%s)", saved.result.message.c_str());
            message_ = "booking.error.save";
            return;
        }
        // Never the person, name or phone: the code and slot say enough.
        log_info("booking: %s %s saved", saved.booking.action.c_str(), saved.booking.code.c_str());
        if (ctx_.sync) ctx_.sync->sync_now();
        name_.clear();
        phone_.clear();
        show_local(saved.booking);
        say_booking(saved.booking.code, saved.booking.starts_ms);
    }

    // When the guest's voice is on: the code character by character, then the
    // day and the time as a time, in the hospital's zone (kiosk/voice/voice_guide.h).
    void say_booking(const std::string& code, int64_t starts_ms) {
        Lang lang = ctx_.session.lang;
        platform::LocalTime at = ctx_.calendar().at(starts_ms);
        std::string text = ctx_.strings.format(lang, "voice.booking.code", "code", read_characters(code));
        auto fill = [&text](const std::string& name, const std::string& value) {
            for (size_t pos = text.find(name); pos != std::string::npos; pos = text.find(name, pos + value.size()))
                text.replace(pos, name.size(), value);
        };
        fill("{day}", written_day(lang, at.iso_day()));
        fill("{time}", read_time(at.hour, at.minute, lang));
        ctx_.say("voice.booking.code", text);
    }

    // ---- manage steps ----

    bool moving() const { return moving_ && viewed_.has_value(); }

    void find_step() {
        float y = heading(ctx_.tr("booking.find_title"));
        float x = area_.min.x + 60 * s_;
        float width = std::min(820 * s_, area_.width() * 0.5f);
        text_field_widget(ctx_, "book.find_code", ctx_.tr("booking.field.code"), code_, ImVec2(x, y), width,
                          KeyboardKind::code);
        float y2 = y + 170 * s_;
        text_field_widget(ctx_, "book.find_phone", ctx_.tr("booking.field.phone_last4"), last4_, ImVec2(x, y2),
                          width * 0.5f, KeyboardKind::number_pad);
        // Find sits beside the digits, never under the keyboard.
        if (button("book.find", ctx_.tr("booking.find_button"), ImVec2(x + width * 0.5f + 40 * s_, y2 + 50 * s_),
                   ImVec2(width * 0.5f - 40 * s_, 104 * s_), ButtonStyle::primary)) {
            ctx_.keyboard.focus(nullptr, KeyboardKind::text, ctx_.clock.monotonic_ms());
            look_up(code_.text(), last4_.text());
        }
        y2 += 170 * s_;
        if (ctx_.crm && ctx_.crm->busy()) y2 = line(ctx_.tr("booking.please_wait"), y2);
        show_message(y2);
        draw_text_wrapped(ctx_.fonts.body(large_), ctx_.tr("booking.find_hint"),
                          ImVec2(x, area_.max.y - 90 * s_), palette(ctx_.session.high_contrast).text_muted,
                          width);

        // A signed-in member sees their upcoming visits, and taps one.
        if (ctx_.session.member) {
            float rx = x + width + 80 * s_;
            float rw = area_.max.x - 60 * s_ - rx;
            float ry = y;
            ry += draw_text_wrapped(ctx_.fonts.heading(large_), ctx_.tr("booking.my_visits"), ImVec2(rx, ry),
                                    palette(ctx_.session.high_contrast).text, rw) + 16 * s_;
            if (member_visits_.empty())
                draw_text_wrapped(ctx_.fonts.body(large_),
                                  ctx_.tr(ctx_.crm && ctx_.crm->busy() ? "booking.please_wait" : "booking.no_visits"),
                                  ImVec2(rx, ry), palette(ctx_.session.high_contrast).text_muted, rw);
            for (size_t i = 0; i < member_visits_.size() && i < 6; ++i) {
                const Viewed& v = member_visits_[i];
                std::string label = when(v.booking.starts_ms) + "  " + department_name(v.booking.department) + "  " +
                                    ctx_.tr(status_key(v));
                if (button("book.visit." + std::to_string(i), label, ImVec2(rx, ry), ImVec2(rw, 96 * s_))) {
                    viewed_ = v;
                    if (!v.local) look_up(v.booking.code, "");
                    else show_local(v.booking);
                }
                ry += 112 * s_;
            }
        }
    }

    void load_member_visits() {
        member_visits_.clear();
        if (!ctx_.session.member || !ctx_.store) return;
        if (!ledger_) ledger_.emplace(*ctx_.store, ctx_.clock, ctx_.config.kiosk_id);
        std::string who = member_person(ctx_.session.member->card);
        for (const LocalBooking& b : ledger_->of_person(who))
            if (b.starts_ms > ctx_.clock.wall_ms() && ledger_->status(b) != BookingStatus::cancelled)
                member_visits_.push_back(viewed_from_local(b));
        if (!ctx_.crm) return;
        ctx_.crm->visits(who, [this, visit = visit_](const JsonReply& a) {
            if (visit != visit_ || !a.ok()) return;  // offline: this kiosk's own list stands
            const json& doc = a.doc;
            if (!doc.contains("items") || !doc["items"].is_array()) return;
            for (const json& item : doc["items"]) {
                Viewed v = viewed_from_crm(item);
                if (v.booking.code.empty()) continue;
                auto same = std::find_if(member_visits_.begin(), member_visits_.end(),
                                         [&](const Viewed& m) { return m.booking.code == v.booking.code; });
                if (same == member_visits_.end()) member_visits_.push_back(v);
            }
            std::sort(member_visits_.begin(), member_visits_.end(), [](const Viewed& a, const Viewed& b) {
                return a.booking.starts_ms < b.booking.starts_ms;
            });
        });
    }

    Viewed viewed_from_local(const LocalBooking& b) {
        Viewed v;
        v.booking = b;
        v.local = true;
        return v;
    }

    Viewed viewed_from_crm(const json& doc) {
        Viewed v;
        v.from_crm = true;
        auto text = [&](const char* name) { return doc.contains(name) && doc[name].is_string() ? doc[name].get<std::string>() : ""; };
        v.booking.code = text("code");
        v.booking.action = "booking";
        v.booking.slot = text("slot");
        v.booking.department = text("department");
        v.booking.day = text("day");
        v.booking.doctor = text("doctor");
        v.booking.doctor_name = text("doctor_name");
        if (doc.contains("starts_ms") && doc["starts_ms"].is_number_integer()) v.booking.starts_ms = doc["starts_ms"];
        v.crm_status = text("status");
        if (doc.contains("refused") && doc["refused"].is_object()) {
            v.crm_refusal = doc["refused"].value("reason", "");
            v.crm_refused_type = doc["refused"].value("type", "");
        }
        if (doc.contains("alternatives"))
            if (auto alts = parse_slot_list(doc["alternatives"])) v.alternatives = *alts;
        return v;
    }

    void look_up(const std::string& typed_code, const std::string& typed_last4) {
        message_.clear();
        auto code = parse_booking_code(typed_code);
        if (!code) {
            message_ = "booking.error.code";
            return;
        }
        std::string member = ctx_.session.member ? member_person(ctx_.session.member->card) : "";
        // This kiosk's own record answers at once (offline too), guarded like the CRM guards it.
        if (auto local = ledger_->find(*code)) {
            bool allowed = (!local->phone_last4.empty() && local->phone_last4 == typed_last4) ||
                           (!member.empty() && local->person == member);
            if (allowed) show_local(*local);
        }
        if (!ctx_.crm) return;
        ctx_.crm->booking(*code, typed_last4, member, [this, visit = visit_, code = *code, typed_last4, member](const JsonReply& a) {
            if (visit != visit_) return;  // the guest left this screen meanwhile
            bool shown = step_ == Step::view && viewed_ && viewed_->booking.code == code;
            if (a.ok()) {
                Viewed crm = viewed_from_crm(a.doc);
                // What proved it is theirs: kept so a move made here can be looked up here too.
                crm.booking.phone_last4 = typed_last4;
                crm.booking.person = member;
                if (shown && viewed_->local) {
                    // This kiosk's record is the newer word while it waits to be sent.
                    viewed_->from_crm = true;
                    viewed_->crm_status = crm.crm_status;
                    viewed_->crm_refusal = crm.crm_refusal;
                    viewed_->alternatives = crm.alternatives;
                } else {
                    viewed_ = crm;
                    step_ = Step::view;
                }
            } else if (!shown && a.status == 429) {
                // Too many wrong guesses at this code or this kiosk: say how long to wait.
                message_ = "status.please_wait";
                message_seconds_ = guess_wait_seconds(a.retry_after_s);
            } else if (!shown) {
                bool not_found = a.refused() && a.code == "no_such_booking";
                if (not_found) ctx_.note_failed_attempt();
                message_ = not_found ? "booking.error.not_found" : "booking.error.offline_lookup";
            }
        });
    }

    void show_local(const LocalBooking& b) {
        viewed_ = viewed_from_local(b);
        moving_ = false;
        rebook_code_.reset();
        rebook_person_.reset();
        rebook_last4_.reset();
        step_ = Step::view;
        message_.clear();
        refresh_local_alternatives();
    }

    // Offline, a refused request's alternatives come from the cached schedule.
    void refresh_local_alternatives() {
        if (!viewed_ || !viewed_->local) return;
        BookingStatus st = ledger_->status(viewed_->booking);
        if (st != BookingStatus::refused && st != BookingStatus::move_refused) return;
        if (!viewed_->alternatives.empty()) return;
        const LocalBooking& b = viewed_->booking;
        std::vector<Slot> cached;
        for (int d = 0; d < kBookableDays; ++d) {
            std::string day = ctx_.calendar().day(b.starts_ms + int64_t(d - 1) * 86'400'000);
            if (auto body = ctx_.store->content().get("slots/" + b.department + "/" + day))
                if (auto list = parse_slots(body->body))
                    for (Slot& s : *list)
                        if (s.id != b.slot) cached.push_back(s);
        }
        std::set<std::string> held;
        for (int d = 0; d < kBookableDays; ++d) {
            auto h = ledger_->held_slots(b.department, ctx_.calendar().day(b.starts_ms + int64_t(d - 1) * 86'400'000));
            held.insert(h.begin(), h.end());
        }
        viewed_->alternatives = nearest_alternatives(cached, b.starts_ms, ctx_.clock.wall_ms(), held, 3);
    }

    const char* status_key(const Viewed& v) {
        if (v.local) {
            BookingStatus st = ledger_->status(v.booking);
            // Delivered: the CRM's word, when it gave one, is fresher (a cancellation at the desk).
            if (v.from_crm && (st == BookingStatus::confirmed || st == BookingStatus::cancelled)) {
                if (v.crm_status == "cancelled") return "booking.status.cancelled";
            }
            return booking_status_key(st);
        }
        if (v.crm_status == "cancelled") return "booking.status.cancelled";
        if (v.crm_status == "refused") return "booking.status.refused";
        if (!v.crm_refusal.empty() && v.crm_refused_type == "booking_move") return "booking.status.move_refused";
        return "booking.status.confirmed";
    }

    std::string refusal_reason(const Viewed& v) {
        std::string reason = v.local ? ledger_->refusal(v.booking) : "";
        if (reason.empty()) reason = v.crm_refusal;
        if (reason.empty()) return "";
        static const std::map<std::string, const char*> kReasons = {
            {"slot_taken", "booking.reason.slot_taken"},
            {"already_booked_that_day", "booking.reason.already_booked_that_day"},
            {"slot_in_the_past", "booking.reason.slot_in_the_past"},
            {"no_such_slot", "booking.reason.no_such_slot"},
            {"no_such_booking", "booking.reason.no_such_booking"}};
        auto known = kReasons.find(reason);
        return ctx_.tr(known != kReasons.end() ? known->second : "booking.reason.other");
    }

    void view_step() {
        Viewed& v = *viewed_;
        const Palette& p = palette(ctx_.session.high_contrast);
        const char* key = status_key(v);
        if (v.local && v.from_crm == false) refresh_local_alternatives();
        std::string status = ctx_.tr(key);
        float y = heading(status);
        ctx_.widgets.record("book.status", status, ImVec2(area_.min.x, area_.min.y),
                            ImVec2(area_.min.x + 1, area_.min.y + 1));
        std::string reason = refusal_reason(v);
        bool refused = std::string(key) == "booking.status.refused" || std::string(key) == "booking.status.move_refused";
        if (refused && !reason.empty()) {
            y = line(ctx_.tr("booking.reason") + ":  " + reason, y, false);
            ctx_.widgets.record("book.reason", reason, ImVec2(area_.min.x, y), ImVec2(area_.min.x + 1, y + 1));
        }

        // Left: the code, large, and its QR; right: the details and what can be done.
        float x = area_.min.x + 60 * s_;
        std::string code = v.booking.code;
        // A cancelled visit is nothing to show at a desk: its code stays readable
        // (small, muted) for a question, but is not presented as a ticket, and has no QR code.
        bool cancelled = std::string(key) == "booking.status.cancelled";
        float code_h = draw_text_wrapped(cancelled ? ctx_.fonts.heading(large_) : ctx_.fonts.huge(large_), code,
                                         ImVec2(x, y), cancelled ? p.text_muted : p.primary, area_.width() * 0.45f);
        ctx_.widgets.record("book.code", code, ImVec2(x, y), ImVec2(x + area_.width() * 0.45f, y + code_h));
        float qr_top = y + code_h + 20 * s_;
        float qr_side = cancelled ? 0.0f : std::min(300 * s_, area_.max.y - qr_top - 150 * s_);
        std::string qr_text = booking_qr_text(v.booking);  // issue 14: the booking's phone page where it has one
        if (qr_code_text_ != qr_text) {
            qr_code_text_ = qr_text;
            qr_ = encode_qr(qr_text);
        }
        if (qr_ && qr_side > 100 * s_) {
            draw_qr(*qr_, ImVec2(x, qr_top), qr_side, IM_COL32(0, 0, 0, 255), IM_COL32(255, 255, 255, 255));
            ctx_.widgets.record("book.qr", qr_text, ImVec2(x, qr_top), ImVec2(x + qr_side, qr_top + qr_side));
        }
        print_button(v, key, ImVec2(x, qr_top + std::max(qr_side, 0.0f) + 20 * s_));

        float rx = area_.min.x + area_.width() * 0.5f;
        float rw = area_.max.x - 60 * s_ - rx;
        auto row = [&](const std::string& label, const std::string& value, float ry) {
            return ry + draw_text_wrapped(ctx_.fonts.heading(large_), label + ":  " + value, ImVec2(rx, ry), p.text, rw) +
                   14 * s_;
        };
        bool move_refused = std::string(key) == "booking.status.move_refused";
        const LocalBooking& b = v.booking;
        float ry = y;
        ry = row(ctx_.tr("booking.field.department"), department_name(b.department), ry);
        if (move_refused && v.local) {
            ry = row(ctx_.tr("booking.field.doctor"), b.before_doctor_name, ry);
            ry = row(ctx_.tr("booking.field.time"), when(b.before_starts_ms), ry);
        } else {
            ry = row(ctx_.tr("booking.field.doctor"), doctor_name(b.doctor, b.doctor_name), ry);
            ry = row(ctx_.tr("booking.field.time"), when(b.starts_ms), ry);
        }
        // The slip's own advice (domain/booking_slip, the same text a printer would print).
        if (!refused && std::string(key) != "booking.status.cancelled") {
            SlipInput slip_in{b.code, department_name(b.department), doctor_name(b.doctor, b.doctor_name), b.starts_ms,
                              std::string(key) == "booking.status.waiting", slip_day(b.starts_ms), ctx_.calendar().time(b.starts_ms), ""};
            SlipContent slip = booking_slip(slip_in, ctx_.strings, ctx_.session.lang);
            // "With this slip" only when a slip was printed; otherwise the code and its QR code are what to show.
            std::string advice = slip_in.waiting || printed_code_ == b.code ? slip.footer : ctx_.tr("booking.show_code");
            ry += 10 * s_;
            float h = draw_text_wrapped(ctx_.fonts.body(large_), advice, ImVec2(rx, ry), p.text_muted, rw);
            ctx_.widgets.record("book.advice", advice, ImVec2(rx, ry), ImVec2(rx + rw, ry + h));
            ry += h + 10 * s_;
        }
        ry += 10 * s_;

        bool active = std::string(key) == "booking.status.confirmed" || std::string(key) == "booking.status.waiting" ||
                      std::string(key) == "booking.status.move_waiting" || move_refused;
        if (refused && !v.alternatives.empty()) {
            ry += draw_text_wrapped(ctx_.fonts.body(large_), ctx_.tr("booking.alternatives"), ImVec2(rx, ry),
                                    p.text_muted, rw) + 10 * s_;
            for (size_t i = 0; i < v.alternatives.size(); ++i) {
                const Slot& alt = v.alternatives[i];
                if (button("book.alt." + std::to_string(i), when(alt.starts_ms) + "  " + doctor_name(alt.doctor, alt.doctor_name),
                           ImVec2(rx, ry), ImVec2(rw, 90 * s_)))
                    choose_alternative(alt, move_refused);
                ry += 104 * s_;
            }
        } else if (refused) {
            ry = row(ctx_.tr("booking.alternatives"), ctx_.tr("booking.no_alternatives"), ry);
        }
        if (active && b.starts_ms > ctx_.clock.wall_ms()) {
            float bw = (rw - 24 * s_) / 2;
            float by = std::max(ry, area_.max.y - 130 * s_);
            if (button("book.move", ctx_.tr("booking.move"), ImVec2(rx, by), ImVec2(bw, 104 * s_))) start_move();
            if (button("book.cancel", ctx_.tr("booking.cancel"), ImVec2(rx + bw + 24 * s_, by), ImVec2(bw, 104 * s_)))
                step_ = Step::confirm_cancel;
        }
        show_message(area_.max.y - 40 * s_);
    }

    // Print the slip: only where a printer is configured, only for a booking
    // that stands (confirmed or waiting). The booking is saved either way; a
    // printer that cannot print says why, and the button stays for a retry.
    void print_button(const Viewed& v, const char* status_key, ImVec2 pos) {
        std::string status = status_key;
        bool stands = status == "booking.status.confirmed" || status == "booking.status.waiting";
        if (!ctx_.printer || !ctx_.printer->configured() || !stands) return;
        const Palette& p = palette(ctx_.session.high_contrast);
        bool printing = ctx_.printer->busy();
        if (button("slip.print", ctx_.tr(printing ? "slip.printing" : "slip.print"), pos,
                   ImVec2(std::min(area_.width() * 0.4f, 520 * s_), 96 * s_)) && !printing) {
            const LocalBooking& b = v.booking;
            SlipInput in{b.code, department_name(b.department), doctor_name(b.doctor, b.doctor_name), b.starts_ms,
                         status == "booking.status.waiting", slip_day(b.starts_ms), ctx_.calendar().time(b.starts_ms),
                         b.page_guard.empty() ? "" : booking_qr_text(b)};
            print_message_.clear();
            ctx_.printer->print(printable_slip(booking_slip(in, ctx_.strings, ctx_.session.lang)),
                                lang_code(ctx_.session.lang), [this, code = b.code](const platform::PrintOutcome& outcome) {
                                    print_message_ = outcome.printed ? ctx_.tr("slip.printed")
                                                                     : ctx_.tr("slip.not_printed");
                                    if (outcome.printed) printed_code_ = code;
                                });
        }
        if (!print_message_.empty()) {
            ImVec2 at(pos.x, pos.y + 110 * s_);
            float h = draw_text_wrapped(ctx_.fonts.body(large_), print_message_, at, p.text, area_.width() * 0.42f);
            ctx_.widgets.record("printing.slip_result", print_message_, at, ImVec2(at.x + area_.width() * 0.42f, at.y + h));
        }
    }

    // What the booking's QR code holds: its phone page (issue 14) for a booking
    // made here with a page guard; the bare code (for a kiosk's scanner) otherwise.
    std::string booking_qr_text(const LocalBooking& b) const {
        std::string url = b.page_guard.empty() ? ""
                                               : page_url(ctx_.config.record_page_base(), crm_contract::RecordPageKind::booking,
                                                          b.code, b.page_guard, ctx_.session.lang);
        return url.empty() ? booking_qr_payload(b.code) : url;
    }

    void choose_alternative(const Slot& alt, bool move_refused) {
        department_ = viewed_->booking.department;
        day_ = ctx_.calendar().day(alt.starts_ms);
        slot_ = alt;
        message_.clear();
        if (move_refused) {
            moving_ = true;
            step_ = Step::confirm;
            return;
        }
        // A refused request is booked again under the same code, for the same person.
        moving_ = false;
        rebook_code_ = viewed_->booking.code;
        if (viewed_->local) {
            rebook_person_ = viewed_->booking.person;
            rebook_last4_ = viewed_->booking.phone_last4;
            step_ = Step::confirm;
        } else {
            // Refused at another kiosk: this kiosk does not know who asked, so the guest says it again.
            step_ = ctx_.session.member ? Step::confirm : Step::who;
        }
    }

    void start_move() {
        const LocalBooking& b = viewed_->booking;
        if (!viewed_->local) {
            // Known to the CRM only: the ledger needs the person for the one-a-day rule; the CRM keeps it.
            viewed_->booking.action = "booking";
        }
        moving_ = true;
        department_ = b.department;
        doctor_ = b.doctor;  // a move keeps the guest's doctor: only the day and time change
        message_.clear();
        step_ = Step::day;
    }

    void confirm_cancel_step() {
        const LocalBooking& b = viewed_->booking;
        float y = heading(ctx_.tr("booking.confirm_cancel"));
        y = line(ctx_.tr("booking.field.code") + ":  " + b.code, y, false);
        y = line(ctx_.tr("booking.field.department") + ":  " + department_name(b.department), y, false);
        y = line(ctx_.tr("booking.field.time") + ":  " + when(b.starts_ms) + "  " + doctor_name(b.doctor, b.doctor_name), y, false);
        if (!ctx_.sync_status.online) y = line(ctx_.tr("booking.offline_note"), y + 12 * s_);
        show_message(y + 12 * s_);
        if (previous_and_next(Step::view, "book.confirm", ctx_.tr("booking.confirm_cancel_button"))) {
            LedgerSave saved = ledger_->cancel(b);
            if (!saved.result.ok()) {
                log_warn("booking: could not save a cancellation (%s)", saved.result.message.c_str());
                message_ = "booking.error.save";
                return;
            }
            log_info("booking: booking_cancel %s saved", b.code.c_str());
            if (ctx_.sync) ctx_.sync->sync_now();
            show_local(saved.booking);
        }
    }

    // ---- data ----

    void load_departments() {
        departments_.clear();
        if (!ctx_.store) return;
        auto cached = ctx_.store->content().get("departments");
        if (!cached) return;
        if (auto parsed = parse_departments(cached->body)) departments_ = std::move(*parsed);
        else log_warn("booking: the cached departments are not in the documented shape");
    }

    // Every bookable day's list, for marking the full ones: the cached lists at
    // once, then the CRM's answers (cached too, as load_slots does).
    void load_day_lists(const std::vector<std::string>& days) {
        day_lists_.clear();
        day_lists_for_ = department_;
        for (const std::string& day : days) {
            std::string name = "slots/" + department_ + "/" + day;
            if (auto cached = ctx_.store->content().get(name))
                if (auto parsed = parse_slots(cached->body)) day_lists_[day] = std::move(*parsed);
            if (!ctx_.crm) continue;
            ctx_.crm->slots(department_, day,
                            CrmLink::KeepAs{name, [](const std::string& body) { return parse_slots(body).has_value(); }},
                            [this, visit = visit_, department = department_, day](const TextReply& a) {
                                if (visit != visit_ || !a.ok() || department != day_lists_for_) return;
                                if (auto parsed = parse_slots(a.body)) day_lists_[day] = std::move(*parsed);
                            });
        }
    }

    // The cached list shows at once; the CRM's answer replaces it and is cached for offline use.
    void load_slots() {
        slots_.clear();
        slots_live_ = false;
        slots_fetched_ms_ = 0;
        std::string name = "slots/" + department_ + "/" + day_;
        if (auto cached = ctx_.store->content().get(name)) {
            if (auto parsed = parse_slots(cached->body)) {
                slots_ = std::move(*parsed);
                slots_fetched_ms_ = cached->fetched_wall_ms;
            }
        }
        if (!ctx_.crm) return;
        std::string asked_for = department_ + "/" + day_;
        ctx_.crm->slots(department_, day_,
                      // Kept for offline use by the CRM worker: this (UI) thread never waits on the write.
                      CrmLink::KeepAs{name, [](const std::string& body) { return parse_slots(body).has_value(); }},
                      [this, visit = visit_, asked_for](const TextReply& a) {
                          if (visit != visit_ || !a.ok() || department_ + "/" + day_ != asked_for) return;
                          auto parsed = parse_slots(a.body);
                          if (!parsed) {
                              log_warn("booking: the CRM's slot list is not in the documented shape");
                              return;
                          }
                          slots_ = std::move(*parsed);
                          slots_live_ = true;
                          slots_fetched_ms_ = ctx_.clock.wall_ms();
                      });
    }

    void clear() {
        ++visit_;  // answers to questions asked before this point are dropped
        name_.clear();
        phone_.clear();
        code_.clear();
        last4_.clear();
        message_.clear();
        department_.clear();
        doctor_.clear();
        day_.clear();
        slots_.clear();
        day_lists_.clear();
        day_lists_for_.clear();
        offered_.clear();
        slot_ = {};
        viewed_.reset();
        member_visits_.clear();
        moving_ = false;
        rebook_code_.reset();
        rebook_person_.reset();
        rebook_last4_.reset();
        qr_code_text_.clear();
        qr_.reset();
        print_message_.clear();
        printed_code_.clear();
        if (ctx_.keyboard.focused() == &name_ || ctx_.keyboard.focused() == &phone_ ||
            ctx_.keyboard.focused() == &code_ || ctx_.keyboard.focused() == &last4_)
            ctx_.keyboard.focus(nullptr, KeyboardKind::text, ctx_.clock.monotonic_ms());
    }

    KioskContext& ctx_;
    const bool manage_;
    std::optional<BookingLedger> ledger_;
    // Moves whenever the screen drops its guest data: a CRM answer to an older
    // visit of the screen must not bring that data back.
    uint64_t visit_ = 0;
    Step step_ = Step::department;
    ScreenArea area_{};
    float s_ = 1;
    bool large_ = false;

    std::vector<Department> departments_;
    std::string department_, doctor_, day_;
    std::vector<Slot> slots_, offered_;
    std::map<std::string, std::vector<Slot>> day_lists_;  // day → its slot list, for the day picker's "full" marks
    std::string day_lists_for_;                           // the department day_lists_ belongs to
    bool slots_live_ = false;
    int64_t slots_fetched_ms_ = 0;
    Slot slot_;
    TextField name_{kMaxGuestNameChars};
    TextField phone_{15};
    TextField code_{64};
    TextField last4_{4};
    std::string message_;  // a string key
    int64_t message_seconds_ = 0;  // the {n} of "status.please_wait"

    std::optional<Viewed> viewed_;
    std::vector<Viewed> member_visits_;
    bool moving_ = false;
    std::optional<std::string> rebook_code_, rebook_person_, rebook_last4_;
    std::string qr_code_text_;
    std::optional<QrCode> qr_;
    std::string print_message_;  // what the last print came to (this guest's only)
    std::string printed_code_;   // the booking whose slip came out of the printer in this visit
};

}  // namespace

std::unique_ptr<Scene> make_booking_scene(KioskContext& ctx) { return std::make_unique<BookingScene>(ctx, false); }
std::unique_ptr<Scene> make_booking_manage_scene(KioskContext& ctx) {
    return std::make_unique<BookingScene>(ctx, true);
}

}  // namespace kiosk
