// Complaint (投诉): first how a complaint is handled (the stages and their
// promised times, with the full complaint flow a tap away), then the form —
// what happened, where, when, and an optional phone for the call-back with the
// consent it needs — then the ticket number at once, large, with a QR code.
//
// The ticket is made here, offline too: "K-7KQ4-M2XD", 40 random bits claimed
// in the same transaction that saves the complaint to the outbox
// (kiosk/domain/complaint_rules.h, Outbox::enqueue_with_code), so it cannot be
// guessed and is never handed out twice, not even by a rebuilt store. Contact
// details are optional: a guest may stay anonymous, and then a 6-digit look-up
// code, shown once with the ticket, guards the look-up instead of the phone.
#include "app/kiosk_context.h"
#include "domain/complaint_rules.h"
#include "domain/guest_codes.h"
#include "domain/feedback_rules.h"
#include "domain/paper_slips.h"
#include "domain/privacy.h"
#include "scenes/feedback_screens.h"
#include "scenes/scenes.h"
#include "scenes/takeaway.h"
#include "ui/chrome.h"

namespace kiosk {

namespace {

const char* const kWhenKeys[] = {"complaint.when.today", "complaint.when.yesterday", "complaint.when.this_week",
                                 "complaint.when.earlier"};

// The stages and their promised times, compact: one row of boxes from the
// complaint flow content (the same text as the complaint_flow screen).
float draw_stage_strip(KioskContext& ctx, ImVec2 pos, float width) {
    if (!ctx.flows || ctx.flows->complaint.lanes.empty()) return 0;
    const Palette& p = palette(ctx.session.high_contrast);
    float s = ui_scale();
    const auto& steps = ctx.flows->complaint.lanes.front().steps;
    float gap = 40 * s, bw = (width - gap * float(steps.size() - 1)) / float(steps.size()), bh = 150 * s;
    ImDrawList* draw = ImGui::GetWindowDrawList();
    for (size_t i = 0; i < steps.size(); ++i) {
        ImVec2 a(pos.x + float(i) * (bw + gap), pos.y), b(a.x + bw, a.y + bh);
        draw->AddRectFilled(a, b, p.surface, 16 * s);
        draw->AddRect(a, b, p.primary, 16 * s, 0, 3 * s);
        draw_text_centered(ctx.fonts.body(ctx.session.large_text), steps[i].title.in(ctx.session.lang),
                           ImVec2((a.x + b.x) / 2, a.y + 45 * s), p.text, bw - 16 * s);
        const std::string& within = steps[i].within.in(ctx.session.lang);
        if (!within.empty())
            draw_text_centered(ctx.fonts.body(false), within, ImVec2((a.x + b.x) / 2, a.y + 105 * s), p.text_muted,
                               bw - 16 * s);
        if (i + 1 < steps.size()) {  // an arrow to the next stage
            float ax = b.x + 8 * s, ay = (a.y + b.y) / 2;
            draw->AddTriangleFilled(ImVec2(ax, ay - 12 * s), ImVec2(ax, ay + 12 * s), ImVec2(ax + gap - 16 * s, ay),
                                    p.primary);
        }
    }
    return bh;
}

class ComplaintScene final : public Scene {
public:
    explicit ComplaintScene(KioskContext& ctx) : ctx_(ctx) {}

    void on_enter() override { reload_departments(); }
    bool on_event(const SceneEvent& event) override {
        if (event.kind == SceneEvent::Kind::content_changed) reload_departments();
        return false;
    }
    // A form not submitted is dropped with the session: a complaint is filed
    // only by the guest's own tap on "Submit" (unlike anonymous feedback, it
    // may carry a phone number and starts a process with staff).
    void on_leave() override { clear(); }

    void on_frame() override {
        ScreenArea area = begin_screen(ctx_, Bars::top_and_bottom);
        switch (stage_) {
            case Stage::intro: draw_intro(area); break;
            case Stage::form: draw_form(area); break;
            case Stage::ticket: draw_ticket(area); break;
        }
        end_screen(ctx_, Bars::top_and_bottom);
    }

private:
    enum class Stage { intro, form, ticket };

    void clear() {
        drop_keyboard_from(ctx_, text_);
        drop_keyboard_from(ctx_, phone_);
        stage_ = Stage::intro;
        text_.clear();
        phone_.clear();
        department_.clear();
        when_ = ComplaintWhen::today;
        consent_ = false;
        notice_.clear();
        ticket_.clear();
        takeaway_.reset();
        gave_phone_ = false;
        lookup_code_.clear();
    }

    void reload_departments() {
        if (seen_generation_ == ctx_.content_generation) return;
        seen_generation_ = ctx_.content_generation;
        if (auto d = load_feedback_content(ctx_, "departments", "feedback_departments.json", parse_departments))
            departments_ = std::move(*d);
    }

    void draw_intro(const ScreenArea& area) {
        const Palette& p = palette(ctx_.session.high_contrast);
        bool large = ctx_.session.large_text;
        float s = ui_scale();
        float x = area.min.x + 80 * s, width = area.width() - 160 * s, cx = (area.min.x + area.max.x) / 2;
        float y = area.min.y + 30 * s;
        y += draw_text_wrapped(ctx_.fonts.title(large), ctx_.tr("complaint.title"), ImVec2(x, y), p.text, width) + 16 * s;
        y += draw_text_wrapped(ctx_.fonts.body(large), ctx_.tr("complaint.intro"), ImVec2(x, y), p.text_muted, width) +
             30 * s;
        y += draw_stage_strip(ctx_, ImVec2(x, y), width) + 30 * s;
        if (touch_button(ctx_.widgets, "complaint.see_flow", ctx_.tr("complaint.see_flow"), ImVec2(x, y),
                         ImVec2(560 * s, 84 * s), ButtonStyle::secondary, ctx_.fonts.body(large),
                         ctx_.session.high_contrast))
            ctx_.nav().push(SceneId::complaint_flow);

        float bw = 620 * s, bh = 110 * s, by = area.max.y - bh - 30 * s;
        if (touch_button(ctx_.widgets, "complaint.check_status", ctx_.tr("complaint.check_status"),
                         ImVec2(cx - bw - 20 * s, by), ImVec2(bw, bh), ButtonStyle::secondary, ctx_.fonts.heading(large),
                         ctx_.session.high_contrast))
            ctx_.nav().push(SceneId::complaint_status);
        if (touch_button(ctx_.widgets, "complaint.start", ctx_.tr("complaint.start"), ImVec2(cx + 20 * s, by),
                         ImVec2(bw, bh), ButtonStyle::primary, ctx_.fonts.heading(large), ctx_.session.high_contrast))
            stage_ = Stage::form;
    }

    // A row of choice chips; returns its height.
    template <typename OnTap>
    float chips(const std::vector<std::pair<std::string, std::string>>& items, const std::string& selected, float x,
                float y, float width, int columns, OnTap on_tap) {
        float s = ui_scale(), gap = 16 * s, bw = (width - gap * float(columns - 1)) / float(columns), bh = 76 * s;
        for (size_t i = 0; i < items.size(); ++i) {
            bool on = items[i].first == selected;
            std::string id = items[i].first;
            if (touch_button(ctx_.widgets, id.c_str(), items[i].second,
                             ImVec2(x + float(i % size_t(columns)) * (bw + gap), y + float(i / size_t(columns)) * (bh + gap)),
                             ImVec2(bw, bh), on ? ButtonStyle::selected : ButtonStyle::secondary,
                             ctx_.fonts.body(ctx_.session.large_text), ctx_.session.high_contrast))
                on_tap(i);
        }
        return float((items.size() + size_t(columns) - 1) / size_t(columns)) * (bh + gap);
    }

    void draw_form(const ScreenArea& area) {
        const Palette& p = palette(ctx_.session.high_contrast);
        bool large = ctx_.session.large_text;
        float s = ui_scale();
        float x = area.min.x + 80 * s, width = area.width() - 160 * s;
        float y = area.min.y + 20 * s;
        ImFont* heading = ctx_.fonts.heading(large);

        // While typing, only the field being typed into: the keyboard covers the rest.
        if (ctx_.keyboard.focused() == &text_ || ctx_.keyboard.focused() == &phone_) {
            bool text = ctx_.keyboard.focused() == &text_;
            text_field_widget(ctx_, text ? "complaint.what" : "complaint.phone",
                              ctx_.tr(text ? "complaint.what" : "complaint.phone"), text ? text_ : phone_, ImVec2(x, y),
                              text ? width : width * 0.5f, text ? KeyboardKind::text : KeyboardKind::number_pad);
            draw_notice(ctx_, ctx_.strings.format(ctx_.session.lang, "feedback.typing_hint", "ok", ctx_.tr("pinpad.ok")),
                        ImVec2(x, y + 150 * s), width, false);
            return;
        }

        float column = width * 0.55f;
        text_field_widget(ctx_, "complaint.what", ctx_.tr("complaint.what"), text_, ImVec2(x, y), width,
                          KeyboardKind::text);
        y += 150 * s;

        y += draw_text_wrapped(heading, ctx_.tr("complaint.where"), ImVec2(x, y), p.text, column) + 10 * s;
        std::vector<std::pair<std::string, std::string>> places;
        for (const NamedItem& d : departments_) places.push_back({"complaint.where." + d.id, d.name.in(ctx_.session.lang)});
        places.push_back({"complaint.not_sure", ctx_.tr("complaint.not_sure")});
        std::string selected_place = department_.empty() ? "complaint.not_sure" : "complaint.where." + department_;
        y += chips(places, selected_place, x, y, column, 3, [&](size_t i) {
                 department_ = i < departments_.size() ? departments_[i].id : "";
             }) + 10 * s;

        // Right column: when, and the optional call-back.
        float rx = x + column + 60 * s, rw = width - column - 60 * s, ry = area.min.y + 170 * s;
        ry += draw_text_wrapped(heading, ctx_.tr("complaint.when"), ImVec2(rx, ry), p.text, rw) + 10 * s;
        std::vector<std::pair<std::string, std::string>> whens;
        for (int i = 0; i < 4; ++i)
            whens.push_back({std::string("complaint.when.") + complaint_when_code(ComplaintWhen(i)), ctx_.tr(kWhenKeys[i])});
        ry += chips(whens, std::string("complaint.when.") + complaint_when_code(when_), rx, ry, rw, 2,
                    [&](size_t i) { when_ = ComplaintWhen(i); }) + 16 * s;
        text_field_widget(ctx_, "complaint.phone", ctx_.tr("complaint.phone"), phone_, ImVec2(rx, ry), rw,
                          KeyboardKind::number_pad);
        ry += 150 * s;
        std::string consent = (consent_ ? "✓ " : "") + ctx_.tr("complaint.consent");
        if (touch_button(ctx_.widgets, "complaint.consent", consent, ImVec2(rx, ry), ImVec2(rw, 90 * s),
                         consent_ ? ButtonStyle::selected : ButtonStyle::secondary, ctx_.fonts.body(large),
                         ctx_.session.high_contrast))
            consent_ = !consent_;
        ry += 100 * s;
        float bw = 480 * s, bh = 100 * s, by = area.max.y - bh - 20 * s;
        // Under the call-back when it fits above the submit button; else (large
        // text: taller bars leave less room) under the left column, never under the button.
        const std::string& hint = ctx_.tr("complaint.anonymous_hint");
        if (ry + wrapped_height(ctx_.fonts.body(false), hint, rw) <= by - 10 * s)
            draw_text_wrapped(ctx_.fonts.body(false), hint, ImVec2(rx, ry), p.text_muted, rw);
        else
            draw_text_wrapped(ctx_.fonts.body(false), hint, ImVec2(x, y + 10 * s), p.text_muted, column);

        draw_notice(ctx_, notice_, ImVec2(x, by + 20 * s), width - bw - 40 * s, true);
        if (touch_button(ctx_.widgets, "complaint.submit", ctx_.tr("complaint.submit"), ImVec2(x + width - bw, by),
                         ImVec2(bw, bh), ButtonStyle::primary, ctx_.fonts.heading(large), ctx_.session.high_contrast))
            submit();
    }

    void submit() {
        ComplaintForm form{text_.text(), department_, when_, phone_.text(), consent_, "", ""};
        if (ComplaintFormProblem problem = check_complaint_form(form); problem != ComplaintFormProblem::none) {
            notice_ = ctx_.tr(complaint_form_problem_key(problem));  // the guest's input stays for them to fix
            return;
        }
        if (!ctx_.store) {
            notice_ = ctx_.tr("feedback.save_failed");
            return;
        }
        // Without a phone, a random look-up code guards the look-up; the guest
        // reads it here once, and the CRM keeps only its hash.
        if (normalize_phone(form.phone).empty()) form.lookup_code = random_lookup_code();
        // The phone page's own guard (issue 14): random, in the QR code only, never the phone.
        form.page_guard = random_page_guard();
        auto saved = ctx_.store->outbox().enqueue_with_code(
            "complaint", [] { return new_ticket(); },
            [&](const std::string& ticket) { return complaint_payload(form, ticket); });
        const std::string& ticket = saved.code;
        if (!saved.ok()) {
            log_error("complaint: not saved: %s", saved.message.c_str());
            notice_ = ctx_.tr(save_failure_key(saved));
            return;
        }
        log_info("complaint %s saved to the outbox", ticket.c_str());
        ticket_ = ticket;
        gave_phone_ = !form.phone.empty();
        lookup_code_ = form.lookup_code;
        // Paper where there is a printer, and always the QR code of the complaint's phone page.
        std::string url = page_url(ctx_.config.record_page_base(), crm_contract::RecordPageKind::complaint, ticket_,
                                   form.page_guard, ctx_.session.lang);
        takeaway_.issue(ctx_, complaint_ticket_slip({ticket_, lookup_code_, url}, ctx_.strings, ctx_.session.lang),
                        url.empty() ? ticket_ : url);
        // The form's text and phone leave memory now: the ticket is all that is shown.
        text_.clear();
        phone_.clear();
        notice_.clear();
        stage_ = Stage::ticket;
        // Read out character by character when the guest's voice is on (kiosk/voice/voice_guide.h).
        ctx_.say("voice.complaint.ticket",
                 ctx_.strings.format(ctx_.session.lang, "voice.complaint.ticket", "code", read_characters(ticket_)));
    }

    void draw_ticket(const ScreenArea& area) {
        const Palette& p = palette(ctx_.session.high_contrast);
        bool large = ctx_.session.large_text;
        float s = ui_scale();
        float x = area.min.x + 80 * s, width = area.width() - 160 * s;
        float y = area.min.y + 40 * s;
        float qr_side = 380 * s;
        float tx = x + qr_side + 80 * s, tw = width - qr_side - 80 * s;
        takeaway_.draw_qr(ctx_, "ticket.qr", ImVec2(x, y), qr_side);
        draw_text_wrapped(ctx_.fonts.body(large), ctx_.tr("paper.scan_hint"), ImVec2(x, y + qr_side + 12 * s), p.text_muted,
                          qr_side);

        float ty = y;
        ty += draw_text_wrapped(ctx_.fonts.title(large), ctx_.tr("complaint.ticket_title"), ImVec2(tx, ty), p.text, tw) +
              20 * s;
        ty += draw_text_wrapped(ctx_.fonts.body(large), ctx_.tr("complaint.ticket_label"), ImVec2(tx, ty), p.text_muted,
                                tw) + 10 * s;
        ImFont* huge = ctx_.fonts.huge(true);
        float th = draw_text_wrapped(huge, ticket_, ImVec2(tx, ty), p.primary, tw);
        ctx_.widgets.record("ticket.number", ticket_, ImVec2(tx, ty), ImVec2(tx + tw, ty + th));
        ty += th + 30 * s;
        if (!lookup_code_.empty()) {
            ty += draw_text_wrapped(ctx_.fonts.body(large), ctx_.tr("complaint.lookup_code"), ImVec2(tx, ty), p.text_muted,
                                    tw) + 10 * s;
            float ch = draw_text_wrapped(ctx_.fonts.title(large), lookup_code_, ImVec2(tx, ty), p.primary, tw);
            ctx_.widgets.record("ticket.lookup_code", lookup_code_, ImVec2(tx, ty), ImVec2(tx + tw, ty + ch));
            ty += ch + 30 * s;
        }
        ty += draw_text_wrapped(ctx_.fonts.body(large),
                                ctx_.tr(gave_phone_ ? "complaint.ticket_hint.phone" : "complaint.ticket_hint"),
                                ImVec2(tx, ty), p.text, tw) + 16 * s;
        if (ctx_.sync_status.online == false) {
            float h = draw_text_wrapped(ctx_.fonts.body(large), ctx_.tr("complaint.ticket_offline"), ImVec2(tx, ty),
                                        p.text_muted, tw);
            ctx_.widgets.record("ticket.offline_note", ctx_.tr("complaint.ticket_offline"), ImVec2(tx, ty),
                                ImVec2(tx + tw, ty + h));
            ty += h + 16 * s;
        }
        takeaway_.draw_printing(ctx_, ImVec2(tx, ty), tw);

        float bw = 560 * s, bh = 100 * s, by = area.max.y - bh - 20 * s, cx = (area.min.x + area.max.x) / 2;
        if (touch_button(ctx_.widgets, "ticket.to_status", ctx_.tr("complaint.check_status"),
                         ImVec2(cx - bw - 20 * s, by), ImVec2(bw, bh), ButtonStyle::secondary, ctx_.fonts.heading(large),
                         ctx_.session.high_contrast)) {
            ctx_.session.ticket_to_check = ticket_;  // the guest asked about this ticket: carried over, not retyped
            ctx_.nav().push(SceneId::complaint_status);
        }
        if (touch_button(ctx_.widgets, "ticket.done", ctx_.tr("feedback.done"), ImVec2(cx + 20 * s, by),
                         ImVec2(bw, bh), ButtonStyle::primary, ctx_.fonts.heading(large), ctx_.session.high_contrast))
            ctx_.nav().home();
    }

    KioskContext& ctx_;
    std::vector<NamedItem> departments_;
    uint64_t seen_generation_ = ~uint64_t(0);
    Stage stage_ = Stage::intro;
    TextField text_{kMaxComplaintChars};
    TextField phone_{20};
    std::string department_;
    ComplaintWhen when_ = ComplaintWhen::today;
    bool consent_ = false;
    std::string notice_;
    std::string ticket_;
    bool gave_phone_ = false;
    std::string lookup_code_;  // shown with the ticket when no phone was given
    Takeaway takeaway_;        // the ticket's paper and its phone page's QR code
};

}  // namespace

std::unique_ptr<Scene> make_complaint_scene(KioskContext& ctx) { return std::make_unique<ComplaintScene>(ctx); }

}  // namespace kiosk
