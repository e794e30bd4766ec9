// Complaint status (投诉查询): the guest types the ticket number on the code
// keyboard (K-7KQ4-M2XD, in any case, dashes optional; a ticket's QR code can
// be scanned; an old ticket's digits alone still mean this kiosk's) and its
// guard: the last four digits of the contact phone, or the 6-digit look-up
// code shown with a ticket filed without one. The kiosk's own outbox is asked
// first ("waiting to be sent"), then the CRM (CrmClient::complaint_status):
// a timeline of the stages with the day each was reached and the promised day
// for the next. Offline it says so plainly. Once resolved, it asks whether the
// guest is satisfied with the resolution and sends that
// (`complaint_satisfaction`).
#include "app/kiosk_context.h"
#include "domain/complaint_rules.h"
#include "domain/guest_codes.h"
#include "scenes/feedback_screens.h"
#include "scenes/scenes.h"
#include "ui/chrome.h"

#include <nlohmann/json.hpp>

namespace kiosk {

namespace {

// What a ticket looks like, in the hint (a fixed one: the hint must not change every frame).
constexpr const char* kExampleTicket = "K-7KQ4-M2XD";

class ComplaintStatusScene final : public Scene {
public:
    explicit ComplaintStatusScene(KioskContext& ctx) : ctx_(ctx) {}

    void on_enter() override {
        clear();
        // Opened from the ticket just given: the ticket is filled in (taken once).
        if (!ctx_.session.ticket_to_check.empty()) {
            ticket_field_.insert(ctx_.session.ticket_to_check);
            ctx_.session.ticket_to_check.clear();
        }
    }
    void on_leave() override { clear(); }

    bool on_event(const SceneEvent& event) override {
        if (event.kind != SceneEvent::Kind::card_scanned || view_ != View::entry) return false;
        // A ticket's QR code held to the scanner fills the field.
        std::string ticket = normalize_ticket_input(event.text);
        if (ticket.empty()) return false;
        ticket_field_.clear();
        if (ticket_field_.insert(ticket) != TextField::Edit::ok) return false;
        notice_.clear();
        return true;
    }

    void on_frame() override {
        ScreenArea area = begin_screen(ctx_, Bars::top_and_bottom);
        switch (view_) {
            case View::entry: draw_entry(area); break;
            case View::status: draw_status(area); break;
            case View::waiting: draw_waiting(area); break;
        }
        end_screen(ctx_, Bars::top_and_bottom);
    }

private:
    enum class View { entry, status, waiting };

    void clear() {
        drop_keyboard_from(ctx_, ticket_field_);
        drop_keyboard_from(ctx_, last4_field_);
        view_ = View::entry;
        ticket_field_.clear();
        last4_field_.clear();
        ticket_.clear();
        status_.reset();
        notice_.clear();
        satisfaction_sent_ = false;
    }

    void look_up() {
        notice_.clear();
        ticket_ = expand_ticket_input(ticket_field_.text(), ctx_.config.kiosk_id);
        if (ticket_.empty()) {
            notice_ = ctx_.tr("status.bad_ticket");
            return;
        }
        std::optional<LookUpGuard> guard = look_up_guard(last4_field_.text());
        if (!guard || guard->empty()) {
            notice_ = ctx_.tr("status.bad_last4");
            return;
        }
        // This kiosk's outbox first: a complaint still waiting here is not at the CRM yet.
        if (ctx_.store) {
            if (auto local = ctx_.store->outbox().find_latest("complaint", "ticket", ticket_)) {
                auto payload = nlohmann::json::parse(local->payload, nullptr, false);
                auto text = [&](const char* field) {
                    return payload.is_object() && payload.contains(field) && payload[field].is_string()
                               ? payload[field].get<std::string>()
                               : std::string();
                };
                std::string phone = text("contact_phone"), code = text("lookup_code");
                // The same guard as at the CRM: the phone's digits, or the look-up code.
                bool guarded_ok = (!phone.empty() && phone_last4(phone) == guard->phone_last4) ||
                                  (!code.empty() && code == guard->lookup_code);
                // A wrong guess is not answered here: the CRM counts it and slows
                // the guesser (429), so this kiosk's own records are no free oracle.
                if (guarded_ok && (local->state == offline_cache::RecordState::pending ||
                                   local->state == offline_cache::RecordState::in_flight)) {
                    view_ = View::waiting;
                    return;
                }
                if (guarded_ok && local->state == offline_cache::RecordState::rejected) {
                    notice_ = ctx_.tr("status.rejected");
                    return;
                }
            }
        }
        ctx_.crm->complaint_status(ticket_, *guard, [this](const TextReply& answer) { on_answer(answer); });
    }

    void on_answer(const TextReply& answer) {
        if (answer.status == 0) {
            notice_ = ctx_.tr("status.offline");
            return;
        }
        if (answer.refused() && answer.code == "no_such_ticket") {
            ctx_.note_failed_attempt();
            notice_ = ctx_.tr("status.not_found");
            return;
        }
        if (answer.status == 429) {  // too many wrong guesses, at this ticket or this kiosk
            ctx_.note_failed_attempt();
            notice_ = ctx_.format_seconds("status.please_wait", int(guess_wait_seconds(answer.retry_after_s)));
            return;
        }
        if (!answer.ok()) {
            log_warn("complaint status: the CRM answered HTTP %ld %s", answer.status, answer.code.c_str());
            notice_ = ctx_.tr("status.try_later");
            return;
        }
        status_ = parse_complaint_status(answer.body);
        if (!status_) {
            log_warn("complaint status: the CRM's answer is not a complaint status");
            notice_ = ctx_.tr("status.try_later");
            return;
        }
        view_ = View::status;
    }

    void draw_entry(const ScreenArea& area) {
        const Palette& p = palette(ctx_.session.high_contrast);
        bool large = ctx_.session.large_text;
        float s = ui_scale();
        float x = area.min.x + 80 * s, width = area.width() - 160 * s;
        float y = area.min.y + 30 * s;
        bool typing = ctx_.keyboard.focused() != nullptr;
        if (!typing) {
            y += draw_text_wrapped(ctx_.fonts.title(large), ctx_.tr("status.title"), ImVec2(x, y), p.text, width) + 12 * s;
            y += draw_text_wrapped(ctx_.fonts.body(large),
                                   ctx_.strings.format(ctx_.session.lang, "status.how", "example",
                                                       kExampleTicket),
                                   ImVec2(x, y), p.text_muted, width) + 24 * s;
        }
        float fw = std::min(760 * s, width * 0.5f);
        text_field_widget(ctx_, "status.ticket", ctx_.tr("status.ticket"), ticket_field_, ImVec2(x, y), fw,
                          KeyboardKind::code);
        text_field_widget(ctx_, "status.last4", ctx_.tr("status.last4"), last4_field_, ImVec2(x + fw + 60 * s, y),
                          std::min(520 * s, width - fw - 60 * s), KeyboardKind::number_pad);
        y += 170 * s;
        if (ctx_.crm->busy()) draw_notice(ctx_, ctx_.tr("status.asking"), ImVec2(x, y), width, false);
        else draw_notice(ctx_, notice_, ImVec2(x, y), width, true);
        if (typing) return;
        float bw = 480 * s, bh = 100 * s;
        if (touch_button(ctx_.widgets, "status.look_up", ctx_.tr("status.look_up"), ImVec2(x + width - bw, area.max.y - bh - 20 * s),
                         ImVec2(bw, bh), ButtonStyle::primary, ctx_.fonts.heading(large), ctx_.session.high_contrast) &&
            !ctx_.crm->busy())
            look_up();
    }

    void draw_waiting(const ScreenArea& area) {
        const Palette& p = palette(ctx_.session.high_contrast);
        bool large = ctx_.session.large_text;
        float s = ui_scale();
        float x = area.min.x + 80 * s, width = area.width() - 160 * s, y = area.min.y + 40 * s;
        y += draw_text_wrapped(ctx_.fonts.huge(large), ticket_, ImVec2(x, y), p.primary, width) + 30 * s;
        const std::string& text = ctx_.tr("status.waiting");
        float h = draw_text_wrapped(ctx_.fonts.title(large), text, ImVec2(x, y), p.text, width);
        ctx_.widgets.record("status.waiting", text, ImVec2(x, y), ImVec2(x + width, y + h));
        y += h + 20 * s;
        draw_text_wrapped(ctx_.fonts.body(large), ctx_.tr("status.waiting_hint"), ImVec2(x, y), p.text_muted, width);
        another_button(area);
    }

    void another_button(const ScreenArea& area) {
        float s = ui_scale(), bw = 480 * s, bh = 96 * s;
        if (touch_button(ctx_.widgets, "status.another", ctx_.tr("status.another"),
                         ImVec2(area.max.x - 80 * s - bw, area.max.y - bh - 20 * s), ImVec2(bw, bh),
                         ButtonStyle::secondary, ctx_.fonts.body(ctx_.session.large_text), ctx_.session.high_contrast))
            clear();
    }

    // A stage's name: the complaint flow's own words when it has that stage.
    std::string stage_name(const std::string& stage) const {
        if (ctx_.flows && !ctx_.flows->complaint.lanes.empty())
            for (const FlowStep& step : ctx_.flows->complaint.lanes.front().steps)
                if (step.id == stage && !step.title.in(ctx_.session.lang).empty()) return step.title.in(ctx_.session.lang);
        return stage;
    }

    void draw_status(const ScreenArea& area) {
        const Palette& p = palette(ctx_.session.high_contrast);
        bool large = ctx_.session.large_text;
        float s = ui_scale();
        float x = area.min.x + 80 * s, width = area.width() - 160 * s, y = area.min.y + 24 * s;
        std::string heading = ctx_.tr("status.ticket") + "  " + status_->ticket;
        float hh = draw_text_wrapped(ctx_.fonts.heading(large), heading, ImVec2(x, y), p.text_muted, width);
        // Scripts and staff read the stage by its code; guests read the timeline.
        ctx_.widgets.record("status.current." + status_->stage, heading, ImVec2(x, y), ImVec2(x + width, y + hh));
        y += hh + 20 * s;

        // The timeline: a dot per stage on a vertical line, reached stages filled.
        ImDrawList* draw = ImGui::GetWindowDrawList();
        int current = stage_index(status_->stage);
        float row = std::min(100 * s, (area.max.y - y - 260 * s) / float(kComplaintStages.size()));
        float line_x = x + 30 * s;
        draw->AddLine(ImVec2(line_x, y + row / 2), ImVec2(line_x, y + row * (float(kComplaintStages.size()) - 0.5f)),
                      p.border, 4 * s);
        for (size_t i = 0; i < kComplaintStages.size(); ++i) {
            std::string stage(kComplaintStages[i]);
            std::optional<int64_t> reached;
            for (const auto& st : status_->stages)
                if (st.stage == stage) reached = st.reached_ms;
            bool is_current = int(i) == current;
            ImVec2 dot(line_x, y + row * (float(i) + 0.5f));
            if (reached) draw->AddCircleFilled(dot, (is_current ? 22 : 16) * s, p.primary, 24);
            else {
                draw->AddCircleFilled(dot, 16 * s, p.surface, 24);
                draw->AddCircle(dot, 16 * s, p.border, 24, 3 * s);
            }
            std::string line = stage_name(stage);
            std::string when;
            if (reached) when = ctx_.strings.format(ctx_.session.lang, "status.reached", "day", local_day(ctx_, *reached));
            else if (stage == status_->next_stage && status_->next_due_ms)
                when = ctx_.strings.format(ctx_.session.lang, "status.promised", "day", local_day(ctx_, *status_->next_due_ms));
            ImFont* font = is_current ? ctx_.fonts.heading(large) : ctx_.fonts.body(large);
            float tx = line_x + 50 * s;
            draw_text_wrapped(font, line, ImVec2(tx, dot.y - font->FontSize / 2), reached ? p.text : p.text_muted,
                              width * 0.45f);
            draw_text_wrapped(ctx_.fonts.body(large), when, ImVec2(tx + width * 0.45f, dot.y - font->FontSize / 2),
                              reached ? p.text : p.primary, width * 0.5f);
            ctx_.widgets.record("status.stage." + stage, line + " " + when, ImVec2(tx, dot.y - 10), ImVec2(tx + width * 0.9f, dot.y + 10));
        }
        y += row * float(kComplaintStages.size()) + 20 * s;

        if (status_->resolved()) {
            if (satisfaction_sent_) {
                draw_notice(ctx_, ctx_.tr("status.satisfaction_thanks"), ImVec2(x, y), width, false);
            } else {
                y += draw_text_wrapped(ctx_.fonts.heading(large), ctx_.tr("status.satisfied_question"), ImVec2(x, y), p.text,
                                       width) + 12 * s;
                float bw = 360 * s, bh = 90 * s;
                if (touch_button(ctx_.widgets, "status.satisfied", ctx_.tr("status.satisfied"), ImVec2(x, y), ImVec2(bw, bh),
                                 ButtonStyle::primary, ctx_.fonts.heading(large), ctx_.session.high_contrast))
                    send_satisfaction(true);
                if (touch_button(ctx_.widgets, "status.not_satisfied", ctx_.tr("status.not_satisfied"),
                                 ImVec2(x + bw + 30 * s, y), ImVec2(bw, bh), ButtonStyle::secondary,
                                 ctx_.fonts.heading(large), ctx_.session.high_contrast))
                    send_satisfaction(false);
                draw_notice(ctx_, notice_, ImVec2(x + 2 * bw + 60 * s, y + 20 * s), width - 2 * bw - 60 * s, true);
            }
        }
        another_button(area);
    }

    void send_satisfaction(bool satisfied) {
        if (!ctx_.store) {
            notice_ = ctx_.tr("feedback.save_failed");
            return;
        }
        auto saved = ctx_.store->outbox().enqueue("complaint_satisfaction",
                                                  complaint_satisfaction_payload(status_->ticket, satisfied));
        if (!saved.ok()) {
            log_error("complaint satisfaction: not saved: %s", saved.message.c_str());
            notice_ = ctx_.tr(save_failure_key(saved));
            return;
        }
        satisfaction_sent_ = true;
    }

    KioskContext& ctx_;
    View view_ = View::entry;
    TextField ticket_field_{64};
    TextField last4_field_{kLookupCodeDigits};  // the phone's 4 digits or the 6-digit look-up code
    std::string ticket_;
    std::optional<ComplaintStatus> status_;
    std::string notice_;
    bool satisfaction_sent_ = false;
};

}  // namespace

std::unique_ptr<Scene> make_complaint_status_scene(KioskContext& ctx) {
    return std::make_unique<ComplaintStatusScene>(ctx);
}

}  // namespace kiosk
