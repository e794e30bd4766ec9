// Satisfaction survey (满意度调查): the CRM's short survey, one question a
// page — faces, "would you recommend us" 0–10, or a choice — then a thank-you
// with a receipt code. The answer names the survey id and the version
// answered (versions are frozen at the CRM). Skipping a question is fine; the
// answers given so far are saved even when the guest walks away mid-survey.
#include <map>

#include "app/kiosk_context.h"
#include "domain/feedback_rules.h"
#include "scenes/feedback_screens.h"
#include "scenes/scenes.h"
#include "ui/chrome.h"
#include "ui/faces.h"

namespace kiosk {

namespace {

const char* const kFaceLabelKeys[kFaceCount] = {"feedback.face.very_unhappy", "feedback.face.unhappy",
                                                "feedback.face.happy", "feedback.face.very_happy"};

class SurveyScene final : public Scene {
public:
    explicit SurveyScene(KioskContext& ctx) : ctx_(ctx) {}

    void on_enter() override {
        clear();
        reload();
    }

    bool on_event(const SceneEvent& event) override {
        // A new survey version mid-answer would change the questions under the
        // guest: the one they started stays until they finish.
        if (event.kind == SceneEvent::Kind::content_changed && answers_.empty() && !finished_) reload();
        return false;
    }

    void on_leave() override {
        if (!finished_ && !answers_.empty()) save();
        clear();
    }

    void on_frame() override {
        ScreenArea area = begin_screen(ctx_, Bars::top_and_bottom);
        if (!survey_) draw_notice(ctx_, ctx_.tr("survey.unavailable"), ImVec2(area.min.x + 80 * ui_scale(), area.min.y + 80 * ui_scale()),
                                  area.width() - 160 * ui_scale(), true);
        else if (finished_) draw_thanks(area);
        else draw_question(area);
        end_screen(ctx_, Bars::top_and_bottom);
    }

private:
    void clear() {
        page_ = 0;
        answers_.clear();
        finished_ = false;
        receipt_.clear();
        notice_.clear();
    }

    void reload() {
        auto surveys = load_feedback_content(ctx_, "surveys", "surveys.json", parse_surveys);
        const Survey* chosen = surveys ? pick_kiosk_survey(*surveys) : nullptr;
        if (chosen) survey_ = *chosen;
        else survey_.reset();
    }

    bool save() {
        if (!ctx_.store) {
            notice_ = ctx_.tr("feedback.save_failed");
            return false;
        }
        std::string receipt = receipt_code_from_key(offline_cache::make_idempotency_key());
        auto saved = ctx_.store->outbox().enqueue_anonymous(
            "survey_answer",
            survey_answer_payload(survey_->id, survey_->version, answers_, receipt, ctx_.clock.wall_ms()));
        if (!saved.ok()) {
            log_error("survey answer: not saved: %s", saved.message.c_str());
            notice_ = ctx_.tr(save_failure_key(saved));
            return false;
        }
        receipt_ = receipt;
        return true;
    }

    void answer(const std::string& question, SurveyAnswerValue value) {
        answers_[question] = std::move(value);
        next();
    }

    void next() {
        notice_.clear();
        if (page_ + 1 < survey_->questions.size()) {
            ++page_;
            return;
        }
        if (answers_.empty()) {  // nothing answered: nothing to save, nothing to thank for
            ctx_.nav().back();
            return;
        }
        if (save()) finished_ = true;
    }

    void draw_question(const ScreenArea& area) {
        const Palette& p = palette(ctx_.session.high_contrast);
        bool large = ctx_.session.large_text;
        float s = ui_scale();
        float x = area.min.x + 80 * s, width = area.width() - 160 * s, cx = (area.min.x + area.max.x) / 2;
        float y = area.min.y + 24 * s;
        const SurveyQuestion& q = survey_->questions[page_];

        std::string progress = ctx_.strings.format(
            ctx_.session.lang, "survey.progress", "n",
            std::to_string(page_ + 1) + " / " + std::to_string(survey_->questions.size()));
        y += draw_text_wrapped(ctx_.fonts.body(large), progress, ImVec2(x, y), p.text_muted, width) + 8 * s;
        // Progress as a bar too: a guest sees at once how short it is.
        ImDrawList* draw = ImGui::GetWindowDrawList();
        draw->AddRectFilled(ImVec2(x, y), ImVec2(x + width, y + 12 * s), p.surface, 6 * s);
        draw->AddRectFilled(ImVec2(x, y), ImVec2(x + width * float(page_ + 1) / float(survey_->questions.size()), y + 12 * s),
                            p.primary, 6 * s);
        y += 40 * s;
        if (q.type == SurveyQuestion::Type::faces)
            y += draw_text_wrapped(ctx_.fonts.body(large), ctx_.tr("survey.faces_prompt"), ImVec2(x, y), p.text_muted,
                                   width) + 6 * s;
        const std::string& text = q.text.in(ctx_.session.lang);
        float th = draw_text_wrapped(ctx_.fonts.title(large), text, ImVec2(x, y), p.text, width);
        ctx_.widgets.record("question.text", text, ImVec2(x, y), ImVec2(x + width, y + th));
        y += th + 40 * s;

        auto chosen = answers_.find(q.id);
        switch (q.type) {
            case SurveyQuestion::Type::faces: {
                float gap = 36 * s, card_w = std::min(360 * s, (width - 3 * gap) / 4);
                float card_h = std::min(400 * s, area.max.y - y - 170 * s);
                float left = cx - (4 * card_w + 3 * gap) / 2;
                for (int face = 0; face < kFaceCount; ++face) {
                    std::string id = "survey.face." + std::to_string(face);
                    bool was = chosen != answers_.end() && chosen->second == SurveyAnswerValue(face);
                    if (face_button(ctx_, id.c_str(), face, ctx_.tr(kFaceLabelKeys[face]),
                                    ImVec2(left + float(face) * (card_w + gap), y), ImVec2(card_w, card_h), was)) {
                        answer(q.id, face);
                        return;
                    }
                }
                break;
            }
            case SurveyQuestion::Type::nps: {
                float gap = 14 * s, bw = std::min(140 * s, (width - 10 * gap) / 11), bh = 130 * s;
                float left = cx - (11 * bw + 10 * gap) / 2;
                for (int n = 0; n <= 10; ++n) {
                    std::string id = "survey.score." + std::to_string(n);
                    bool was = chosen != answers_.end() && chosen->second == SurveyAnswerValue(n);
                    if (touch_button(ctx_.widgets, id.c_str(), std::to_string(n), ImVec2(left + float(n) * (bw + gap), y),
                                     ImVec2(bw, bh), was ? ButtonStyle::selected : ButtonStyle::secondary,
                                     ctx_.fonts.title(large), ctx_.session.high_contrast)) {
                        answer(q.id, n);
                        return;
                    }
                }
                y += bh + 16 * s;
                draw_text_wrapped(ctx_.fonts.body(large), ctx_.tr("survey.nps.low"), ImVec2(left, y), p.text_muted, 500 * s);
                const std::string& high = ctx_.tr("survey.nps.high");
                ImFont* body = ctx_.fonts.body(large);
                float hw = std::min(500 * s, body->CalcTextSizeA(body->FontSize, FLT_MAX, 0, high.c_str()).x);
                draw_text_wrapped(body, high, ImVec2(left + 11 * bw + 10 * gap - hw, y), p.text_muted, 500 * s);
                break;
            }
            case SurveyQuestion::Type::choice: {
                float gap = 20 * s, bw = (width - gap) / 2, bh = 96 * s;
                for (size_t i = 0; i < q.options.size(); ++i) {
                    const NamedItem& option = q.options[i];
                    std::string id = "survey.option." + option.id;
                    bool was = chosen != answers_.end() && chosen->second == SurveyAnswerValue(option.id);
                    if (touch_button(ctx_.widgets, id.c_str(), option.name.in(ctx_.session.lang),
                                     ImVec2(x + float(i % 2) * (bw + gap), y + float(i / 2) * (bh + gap)), ImVec2(bw, bh),
                                     was ? ButtonStyle::selected : ButtonStyle::secondary, ctx_.fonts.heading(large),
                                     ctx_.session.high_contrast)) {
                        answer(q.id, option.id);
                        return;
                    }
                }
                break;
            }
        }

        float bw = 360 * s, bh = 90 * s, by = area.max.y - bh - 20 * s;
        draw_notice(ctx_, notice_, ImVec2(x, by - 60 * s), width, true);
        if (page_ > 0 && touch_button(ctx_.widgets, "survey.previous", ctx_.tr("survey.previous"), ImVec2(x, by),
                                      ImVec2(bw, bh), ButtonStyle::secondary, ctx_.fonts.body(large),
                                      ctx_.session.high_contrast)) {
            --page_;
            return;
        }
        if (touch_button(ctx_.widgets, "survey.skip", ctx_.tr("survey.skip"), ImVec2(x + width - bw, by), ImVec2(bw, bh),
                         ButtonStyle::secondary, ctx_.fonts.body(large), ctx_.session.high_contrast))
            next();
    }

    void draw_thanks(const ScreenArea& area) {
        const Palette& p = palette(ctx_.session.high_contrast);
        bool large = ctx_.session.large_text;
        float s = ui_scale();
        float cx = (area.min.x + area.max.x) / 2, y = area.min.y + 60 * s, r = 80 * s;
        draw_face(ImGui::GetWindowDrawList(), ImVec2(cx, y + r), r, 3, ctx_.session.high_contrast);
        y += 2 * r + 40 * s;
        const std::string& thanks = ctx_.tr("survey.thanks");
        draw_text_centered(ctx_.fonts.title(large), thanks, ImVec2(cx, y), p.text, area.width() - 200 * s);
        ctx_.widgets.record("survey.thanks", thanks, ImVec2(cx - 10, y), ImVec2(cx + 10, y + 10));
        y += 80 * s;
        draw_text_centered(ctx_.fonts.body(large), ctx_.tr("feedback.receipt_label"), ImVec2(cx, y), p.text_muted,
                           area.width());
        y += 40 * s;
        ImFont* huge = ctx_.fonts.huge(true);
        float box_w = 560 * s, box_h = huge->FontSize + 50 * s;
        ImVec2 box_min(cx - box_w / 2, y), box_max(cx + box_w / 2, y + box_h);
        ImGui::GetWindowDrawList()->AddRectFilled(box_min, box_max, p.surface, 20 * s);
        ImGui::GetWindowDrawList()->AddRect(box_min, box_max, p.primary, 20 * s, 0, 4 * s);
        draw_text_centered(huge, receipt_.substr(0, 3) + " " + receipt_.substr(3), ImVec2(cx, y + box_h / 2), p.primary,
                           box_w);
        ctx_.widgets.record("receipt.code", receipt_, box_min, box_max);
        float bw = 520 * s, bh = 96 * s;
        if (touch_button(ctx_.widgets, "receipt.done", ctx_.tr("feedback.done"), ImVec2(cx - bw / 2, area.max.y - bh - 20 * s),
                         ImVec2(bw, bh), ButtonStyle::primary, ctx_.fonts.heading(large), ctx_.session.high_contrast))
            ctx_.nav().home();
    }

    KioskContext& ctx_;
    std::optional<Survey> survey_;
    size_t page_ = 0;
    std::map<std::string, SurveyAnswerValue> answers_;
    bool finished_ = false;
    std::string receipt_;
    std::string notice_;
};

}  // namespace

std::unique_ptr<Scene> make_survey_scene(KioskContext& ctx) { return std::make_unique<SurveyScene>(ctx); }

}  // namespace kiosk
