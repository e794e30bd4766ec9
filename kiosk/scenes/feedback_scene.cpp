// Quick feedback (意见反馈): four big faces; one tap is a whole answer, saved
// to the outbox at once. Then optional follow-ups — what it was about, a few
// words, and (only if the guest switches it on) their membership — saved as a
// second record naming the first one's receipt code. A warm thank-you shows
// the receipt code, so every answer, unhappy first of all, visibly counts.
//
// Nothing is lost: the face is saved before the follow-up screen appears, and
// a follow-up the guest started but never sent is saved when the session ends
// (idle timeout) or the guest leaves with Back/Home. Nothing names anyone: the
// records hold the face, topics, comment, the hour and a random receipt code
// (kiosk/domain/feedback_rules.h).
#include <set>

#include "app/kiosk_context.h"
#include "domain/feedback_rules.h"
#include "domain/privacy.h"
#include "scenes/feedback_screens.h"
#include "scenes/scenes.h"
#include "ui/chrome.h"
#include "ui/faces.h"

namespace kiosk {

namespace {

const char* const kFaceLabelKeys[kFaceCount] = {"feedback.face.very_unhappy", "feedback.face.unhappy",
                                                "feedback.face.happy", "feedback.face.very_happy"};
constexpr int64_t kThanksShownMs = 20'000;  // then back to the start on its own

class FeedbackScene final : public Scene {
public:
    explicit FeedbackScene(KioskContext& ctx)
        : ctx_(ctx), throttle_(int64_t(ctx.config.feedback_min_interval_s) * 1000) {}

    void on_enter() override {
        if (stage_ == Stage::thanks_done) clear();  // coming back from the survey: start afresh
        reload_topics();
    }

    bool on_event(const SceneEvent& event) override {
        if (event.kind == SceneEvent::Kind::content_changed) reload_topics();
        return false;
    }

    // The guest leaves (Back, Home, idle timeout): a follow-up they began is
    // saved, then everything they chose or typed is dropped.
    void on_leave() override {
        if (stage_ == Stage::follow_up && (!follow_up_.empty() || !comment_.text().empty())) send_follow_up();
        clear();
    }

    int64_t ms_until_redraw() const override { return stage_ == Stage::thanks ? 1000 : -1; }

    void on_frame() override {
        ScreenArea area = begin_screen(ctx_, Bars::top_and_bottom);
        switch (stage_) {
            case Stage::faces: draw_faces(area); break;
            case Stage::follow_up: draw_follow_up(area); break;
            case Stage::thanks:
            case Stage::thanks_done: draw_thanks(area); break;
        }
        end_screen(ctx_, Bars::top_and_bottom);
    }

private:
    enum class Stage { faces, follow_up, thanks, thanks_done };

    void clear() {
        drop_keyboard_from(ctx_, comment_);
        stage_ = Stage::faces;
        face_ = -1;
        receipt_.clear();
        follow_up_ = {};
        comment_.clear();
        notice_.clear();
        notice_is_warning_ = false;
    }

    void reload_topics() {
        if (seen_generation_ == ctx_.content_generation && !topics_.empty()) return;
        seen_generation_ = ctx_.content_generation;
        if (auto topics = load_feedback_content(ctx_, "feedback_topics", "feedback_topics.json", parse_feedback_topics))
            topics_ = std::move(*topics);
    }

    void tap_face(int face) {
        notice_.clear();
        int64_t now = ctx_.clock.monotonic_ms();
        if (int64_t wait = throttle_.wait_ms(now); wait > 0) {
            // One person tapping again and again is one answer: the last one counted.
            notice_ = ctx_.format_seconds("feedback.throttled", int((wait + 999) / 1000));
            notice_is_warning_ = true;
            return;
        }
        if (!ctx_.store) {
            notice_ = ctx_.tr("feedback.save_failed");
            notice_is_warning_ = true;
            return;
        }
        std::string receipt = receipt_code_from_key(offline_cache::make_idempotency_key());
        auto saved = ctx_.store->outbox().enqueue_anonymous(
            "feedback", quick_feedback_payload(face, receipt, ctx_.clock.wall_ms()));
        if (!saved.ok()) {
            log_error("feedback: not saved: %s", saved.message.c_str());
            notice_ = ctx_.tr(save_failure_key(saved));
            notice_is_warning_ = true;
            return;
        }
        throttle_.try_accept(now);
        face_ = face;
        receipt_ = receipt;
        stage_ = Stage::follow_up;
    }

    // Returns false (and says why) when the comment cannot be kept whole.
    bool send_follow_up() {
        follow_up_.comment = comment_.text();
        GuestTextProblem problem = check_guest_text(follow_up_.comment, kMaxCommentChars);
        if (problem != GuestTextProblem::none) {
            notice_ = ctx_.tr(guest_text_problem_key(problem));
            notice_is_warning_ = true;
            return false;
        }
        if (follow_up_.empty()) return true;
        if (!ctx_.store) return false;
        auto saved = ctx_.store->outbox().enqueue_anonymous(
            "feedback_follow_up", follow_up_payload(follow_up_, receipt_, ctx_.clock.wall_ms(), ctx_.session.member));
        if (!saved.ok()) {
            log_error("feedback follow-up: not saved: %s", saved.message.c_str());
            notice_ = ctx_.tr(save_failure_key(saved));
            notice_is_warning_ = true;
            return false;
        }
        return true;
    }

    void draw_faces(const ScreenArea& area) {
        const Palette& p = palette(ctx_.session.high_contrast);
        bool large = ctx_.session.large_text;
        float s = ui_scale();
        float cx = (area.min.x + area.max.x) / 2;
        float y = area.min.y + 30 * s;
        y += draw_text_wrapped(ctx_.fonts.title(large), ctx_.tr("feedback.question"),
                               ImVec2(area.min.x + 80 * s, y), p.text, area.width() - 160 * s) + 10 * s;
        y += draw_text_wrapped(ctx_.fonts.body(large), ctx_.tr("feedback.one_tap"), ImVec2(area.min.x + 80 * s, y),
                               p.text_muted, area.width() - 160 * s) + 30 * s;

        float gap = 36 * s;
        float card_w = std::min(400 * s, (area.width() - 160 * s - 3 * gap) / 4);
        float card_h = std::min(460 * s, area.max.y - y - 200 * s);
        float left = cx - (4 * card_w + 3 * gap) / 2;
        for (int face = 0; face < kFaceCount; ++face) {
            std::string id = "feedback.face." + std::to_string(face);
            if (face_button(ctx_, id.c_str(), face, ctx_.tr(kFaceLabelKeys[face]),
                            ImVec2(left + float(face) * (card_w + gap), y), ImVec2(card_w, card_h), false))
                tap_face(face);
        }
        y += card_h + 24 * s;
        draw_notice(ctx_, notice_, ImVec2(left, y), 4 * card_w + 3 * gap, notice_is_warning_);

        // The longer survey and the complaint form are one tap away.
        float bw = 520 * s, bh = 90 * s, by = area.max.y - bh - 20 * s;
        if (touch_button(ctx_.widgets, "feedback.to_survey", ctx_.tr("feedback.to_survey"), ImVec2(cx - bw - 20 * s, by),
                         ImVec2(bw, bh), ButtonStyle::secondary, ctx_.fonts.body(large), ctx_.session.high_contrast))
            ctx_.nav().push(SceneId::survey);
        if (touch_button(ctx_.widgets, "feedback.to_complaint", ctx_.tr("feedback.to_complaint"),
                         ImVec2(cx + 20 * s, by), ImVec2(bw, bh), ButtonStyle::secondary, ctx_.fonts.body(large),
                         ctx_.session.high_contrast))
            ctx_.nav().push(SceneId::complaint);
    }

    void draw_follow_up(const ScreenArea& area) {
        const Palette& p = palette(ctx_.session.high_contrast);
        bool large = ctx_.session.large_text;
        float s = ui_scale();
        float x = area.min.x + 80 * s, width = area.width() - 160 * s;
        float y = area.min.y + 24 * s;

        // The answer already counts: say so before asking for more.
        float r = 48 * s;
        draw_face(ImGui::GetWindowDrawList(), ImVec2(x + r, y + r), r, face_, ctx_.session.high_contrast);
        std::string saved = ctx_.strings.format(ctx_.session.lang, "feedback.saved", "code", receipt_);
        draw_text_wrapped(ctx_.fonts.heading(large), saved, ImVec2(x + 2 * r + 24 * s, y + r - 40 * s), p.text,
                          width - 2 * r - 24 * s);
        ctx_.widgets.record("feedback.saved", saved, ImVec2(x, y), ImVec2(x + width, y + 2 * r));
        y += 2 * r + 30 * s;

        bool typing = ctx_.keyboard.focused() == &comment_;
        if (!typing) {
            y += draw_text_wrapped(ctx_.fonts.heading(large), ctx_.tr("feedback.about"), ImVec2(x, y), p.text, width) +
                 16 * s;
            const int columns = 4;
            float gap = 20 * s;
            float bw = (width - gap * (columns - 1)) / columns, bh = 84 * s;
            for (size_t i = 0; i < topics_.size(); ++i) {
                const NamedItem& topic = topics_[i];
                bool chosen = std::find(follow_up_.topics.begin(), follow_up_.topics.end(), topic.id) !=
                              follow_up_.topics.end();
                std::string id = "feedback.topic." + topic.id;
                ImVec2 pos(x + float(i % columns) * (bw + gap), y + float(i / columns) * (bh + gap));
                if (touch_button(ctx_.widgets, id.c_str(), (chosen ? "✓ " : "") + topic.name.in(ctx_.session.lang), pos,
                                 ImVec2(bw, bh), chosen ? ButtonStyle::selected : ButtonStyle::secondary,
                                 ctx_.fonts.body(large), ctx_.session.high_contrast)) {
                    if (chosen) std::erase(follow_up_.topics, topic.id);
                    else follow_up_.topics.push_back(topic.id);
                }
            }
            y += float((topics_.size() + columns - 1) / columns) * (bh + gap) + 16 * s;
        }
        text_field_widget(ctx_, "feedback.comment", ctx_.tr("feedback.comment"), comment_, ImVec2(x, y), width,
                          KeyboardKind::text);
        y += 150 * s;
        if (typing) {
            end_typing_hint(x, y, width);
            return;
        }

        // Membership: offered only to a signed-in member, off until they switch it on.
        if (ctx_.session.member) {
            std::string label = (follow_up_.attach_membership ? "✓ " : "") +
                                ctx_.strings.format(ctx_.session.lang, "feedback.attach_membership", "card",
                                                    mask_card(ctx_.session.member->card));
            if (touch_button(ctx_.widgets, "feedback.attach_membership", label, ImVec2(x, y), ImVec2(width, 80 * s),
                             follow_up_.attach_membership ? ButtonStyle::selected : ButtonStyle::secondary,
                             ctx_.fonts.body(large), ctx_.session.high_contrast))
                follow_up_.attach_membership = !follow_up_.attach_membership;
            y += 96 * s;
        }
        draw_notice(ctx_, notice_, ImVec2(x, y), width, notice_is_warning_);

        float bw = 420 * s, bh = 96 * s, by = area.max.y - bh - 20 * s;
        if (touch_button(ctx_.widgets, "feedback.skip", ctx_.tr("feedback.skip"), ImVec2(x + width - 2 * bw - 30 * s, by),
                         ImVec2(bw, bh), ButtonStyle::secondary, ctx_.fonts.heading(large), ctx_.session.high_contrast)) {
            follow_up_ = {};
            comment_.clear();
            show_thanks();
        }
        if (touch_button(ctx_.widgets, "feedback.send", ctx_.tr("feedback.send"), ImVec2(x + width - bw, by),
                         ImVec2(bw, bh), ButtonStyle::primary, ctx_.fonts.heading(large), ctx_.session.high_contrast) &&
            send_follow_up())
            show_thanks();
    }

    void end_typing_hint(float x, float y, float width) {
        // Names the key by the label it wears in this language (确定 / OK / Aceptar).
        draw_notice(ctx_, ctx_.strings.format(ctx_.session.lang, "feedback.typing_hint", "ok", ctx_.tr("pinpad.ok")),
                    ImVec2(x, y), width, false);
    }

    void show_thanks() {
        drop_keyboard_from(ctx_, comment_);
        follow_up_ = {};
        comment_.clear();
        notice_.clear();
        stage_ = Stage::thanks;
        thanks_until_ms_ = ctx_.clock.monotonic_ms() + kThanksShownMs;
    }

    void draw_thanks(const ScreenArea& area) {
        const Palette& p = palette(ctx_.session.high_contrast);
        bool large = ctx_.session.large_text;
        float s = ui_scale();
        float cx = (area.min.x + area.max.x) / 2;
        float y = area.min.y + 40 * s;
        float r = 90 * s;
        draw_face(ImGui::GetWindowDrawList(), ImVec2(cx, y + r), r, face_ < 0 ? 3 : face_, ctx_.session.high_contrast);
        y += 2 * r + 30 * s;
        const std::string& thanks = ctx_.tr(face_ <= 1 ? "feedback.thanks.unhappy" : "feedback.thanks.happy");
        ImFont* title = ctx_.fonts.title(large);
        float th = wrapped_height(title, thanks, area.width() - 200 * s);
        draw_text_centered(title, thanks, ImVec2(cx, y + th / 2), p.text, area.width() - 200 * s);
        ctx_.widgets.record("receipt.thanks", thanks, ImVec2(cx - 10, y), ImVec2(cx + 10, y + th));
        y += th + 40 * s;

        draw_text_centered(ctx_.fonts.body(large), ctx_.tr("feedback.receipt_label"), ImVec2(cx, y), p.text_muted,
                           area.width());
        y += 40 * s;
        // The code in two groups of three: easy to read out and copy.
        std::string shown = receipt_.substr(0, 3) + " " + receipt_.substr(3);
        ImFont* huge = ctx_.fonts.huge(true);
        float box_w = 560 * s, box_h = huge->FontSize + 50 * s;
        ImVec2 box_min(cx - box_w / 2, y), box_max(cx + box_w / 2, y + box_h);
        ImGui::GetWindowDrawList()->AddRectFilled(box_min, box_max, p.surface, 20 * s);
        ImGui::GetWindowDrawList()->AddRect(box_min, box_max, p.primary, 20 * s, 0, 4 * s);
        draw_text_centered(huge, shown, ImVec2(cx, y + box_h / 2), p.primary, box_w);
        ctx_.widgets.record("receipt.code", receipt_, box_min, box_max);
        y += box_h + 24 * s;
        draw_text_centered(ctx_.fonts.body(large), ctx_.tr("feedback.receipt_hint"), ImVec2(cx, y + 20 * s),
                           p.text_muted, area.width() - 300 * s);

        float bw = 520 * s, bh = 96 * s, by = area.max.y - bh - 20 * s;
        if (touch_button(ctx_.widgets, "feedback.to_survey", ctx_.tr("feedback.to_survey"), ImVec2(cx - bw - 20 * s, by),
                         ImVec2(bw, bh), ButtonStyle::secondary, ctx_.fonts.body(large), ctx_.session.high_contrast)) {
            stage_ = Stage::thanks_done;
            ctx_.nav().push(SceneId::survey);
        }
        if (touch_button(ctx_.widgets, "feedback.done", ctx_.tr("feedback.done"), ImVec2(cx + 20 * s, by), ImVec2(bw, bh),
                         ButtonStyle::primary, ctx_.fonts.heading(large), ctx_.session.high_contrast) ||
            (stage_ == Stage::thanks && ctx_.clock.monotonic_ms() >= thanks_until_ms_))
            ctx_.nav().home();
    }

    KioskContext& ctx_;
    AnswerThrottle throttle_;  // the kiosk's, not the guest's: survives sessions, holds only a time
    std::vector<NamedItem> topics_;
    uint64_t seen_generation_ = ~uint64_t(0);
    Stage stage_ = Stage::faces;
    int face_ = -1;
    std::string receipt_;
    FeedbackFollowUp follow_up_;
    TextField comment_{kMaxCommentChars};
    std::string notice_;
    bool notice_is_warning_ = false;
    int64_t thanks_until_ms_ = 0;
};

}  // namespace

std::unique_ptr<Scene> make_feedback_scene(KioskContext& ctx) { return std::make_unique<FeedbackScene>(ctx); }

}  // namespace kiosk
