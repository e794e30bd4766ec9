// Members at the lobby kiosk (docs/members.md): sign in with the card or the
// phone's QR code and a PIN; "My points" (balance hidden until tapped, tier and
// what the next one gives, expiring points, a year of points by month, the
// history); redeem a reward (points only or points + cash with a voucher QR
// code) or give points to another member. Online every question goes to the
// CRM; offline the member cache answers within the rules of
// domain/member_rules.h. Every screen's on_leave drops what it showed; the
// member itself leaves with the session (the navigator's wipe).
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "app/kiosk_context.h"
#include "domain/guest_codes.h"
#include "domain/member_rules.h"
#include "domain/paper_slips.h"
#include "domain/privacy.h"
#include "offline_cache/content_cache.h"
#include "offline_cache/member_cache.h"
#include "offline_cache/outbox.h"
#include "platform/log.h"
#include "scenes/scenes.h"
#include "scenes/takeaway.h"
#include "ui/chrome.h"
#include "ui/touch_keyboard.h"
#include "ui/touch_scroll.h"

namespace kiosk {

namespace {

using nlohmann::json;
constexpr int64_t kDayMs = 86'400'000;

// ---- the member cache, keyed by a keyed hash of the card ---------------------------

std::optional<OfflineMember> load_cached(KioskContext& ctx, const std::string& card) {
    if (!ctx.store) return std::nullopt;
    auto data = ctx.store->members().get(member_cache_key(ctx.config.kiosk_secret, card));
    if (!data) return std::nullopt;
    return offline_member_from_json(*data);
}

// Kept for kMemberCacheDays after the last online sign-in, never longer: an
// offline sign-in does not make a stale balance live longer.
bool save_cached(KioskContext& ctx, const std::string& card, const OfflineMember& m) {
    if (!ctx.store) return false;
    return ctx.store->members().put(member_cache_key(ctx.config.kiosk_secret, card), m.to_json(),
                                    m.balance_as_of_ms + kMemberCacheDays * kDayMs);
}

bool record_still_queued(KioskContext& ctx, const std::string& key) {
    if (!ctx.store) return false;
    auto r = ctx.store->outbox().find(key);
    return r && (r->state == offline_cache::RecordState::pending || r->state == offline_cache::RecordState::in_flight);
}

// How long a record saved before its online request waits before the sync
// worker may send it: longer than the online request can take, so the two
// never race, and short enough that a lost reply is settled within a minute.
constexpr int64_t kAskHoldBackMs = offline_cache::kInteractiveTotalTimeoutMs + 24'000;

std::string format(KioskContext& ctx, const std::string& key, std::initializer_list<std::pair<const char*, std::string>> values) {
    std::string text = ctx.tr(key);
    for (const auto& [name, value] : values) {
        std::string token = std::string("{") + name + "}";
        for (size_t at = text.find(token); at != std::string::npos; at = text.find(token, at + value.size()))
            text.replace(at, token.size(), value);
    }
    return text;
}

std::string yuan_text(int64_t fen) {
    std::string out = "¥" + std::to_string(fen / 100);
    if (fen % 100) {
        char cents[8];
        std::snprintf(cents, sizeof cents, ".%02d", int(fen % 100));
        out += cents;
    }
    return out;
}

// ---- the rewards catalogue: the CRM's "rewards" content, or the shipped default -----

struct Reward {
    std::string id;
    int64_t points = 0;
    int64_t cash_fen = 0;
    json names;  // {lang: text}
};

std::vector<Reward> parse_rewards(const std::string& body) {
    std::vector<Reward> out;
    json doc = json::parse(body, nullptr, false);
    if (!doc.is_object() || !doc.contains("rewards") || !doc["rewards"].is_array()) return out;
    for (const json& r : doc["rewards"]) {
        if (!r.is_object()) continue;
        Reward reward;
        reward.id = r.value("id", "");
        reward.points = r.value("points", int64_t(0));
        reward.cash_fen = r.value("cash_fen", int64_t(0));
        reward.names = r.value("name", json::object());
        // A reward that could not be redeemed as described is left out, never shown wrong.
        if (reward.id.empty() || reward.id.size() > 64 || reward.points <= 0 || reward.cash_fen < 0 ||
            !reward.names.is_object())
            continue;
        out.push_back(std::move(reward));
    }
    return out;
}

std::vector<Reward> load_rewards(KioskContext& ctx) {
    if (ctx.store)
        if (auto cached = ctx.store->content().get("rewards")) {
            auto rewards = parse_rewards(cached->body);
            if (!rewards.empty()) return rewards;
        }
    std::string assets = ctx.config.assets_dir.empty() ? std::string(KIOSK_ASSETS_DIR) : ctx.config.assets_dir;
    std::ifstream in(assets + "/content/rewards.json");
    std::stringstream text;
    text << in.rdbuf();
    return parse_rewards(text.str());
}

std::string reward_name(KioskContext& ctx, const Reward& r) {
    const char* lang = lang_code(ctx.session.lang);
    if (r.names.contains(lang) && r.names[lang].is_string()) return r.names[lang].get<std::string>();
    if (r.names.contains("en") && r.names["en"].is_string()) return r.names["en"].get<std::string>();
    return r.id;
}

// ---- shared drawing ---------------------------------------------------------------

struct Layout {
    ScreenArea area;
    const Palette* p;
    bool large;
    float s;
};

Layout layout(KioskContext& ctx, ScreenArea area) {
    return {area, &palette(ctx.session.high_contrast), ctx.session.large_text, ui_scale()};
}

bool button(KioskContext& ctx, const char* id, const std::string& label, ImVec2 pos, ImVec2 size,
            ButtonStyle style = ButtonStyle::primary) {
    return touch_button(ctx.widgets, id, label, pos, size, style, ctx.fonts.heading(ctx.session.large_text),
                        ctx.session.high_contrast);
}

// Text that scripts and the privacy test can find by id: member data on screen.
float recorded_text(KioskContext& ctx, const char* id, ImFont* font, const std::string& text, ImVec2 pos, ImU32 colour,
                    float wrap) {
    float h = draw_text_wrapped(font, text, pos, colour, wrap);
    ctx.widgets.record(id, text, pos, ImVec2(pos.x + wrap, pos.y + h));
    return h;
}

void please_wait(KioskContext& ctx, const Layout& l, ImVec2 pos, float wrap) {
    draw_text_wrapped(ctx.fonts.heading(l.large), ctx.tr("members.please_wait"), pos, l.p->text_muted, wrap);
    ctx.widgets.record("member.please_wait", ctx.tr("members.please_wait"), pos, ImVec2(pos.x + wrap, pos.y + 40 * l.s));
}

// ==== Sign in: card (scan or type), then PIN ==========================================

class MembersScene final : public Scene {
public:
    explicit MembersScene(KioskContext& ctx) : ctx_(ctx) { card_field_.show_last(4); }

    void on_enter() override {
        clear();
        focus_card_ = true;  // on the first frame: the navigator hides the keyboard when a screen changes
    }
    void on_leave() override {
        clear();
        ctx_.keyboard.focus(nullptr, KeyboardKind::number_pad, 0);
    }

    bool on_event(const SceneEvent& event) override {
        // A keyboard's Enter is the step's main button: Next after the card, Sign in after the PIN.
        if (event.kind == SceneEvent::Kind::enter_pressed && step_ == Step::card) {
            if (is_card_number(card_field_.text())) take_card(card_field_.text());
            else message_ = ctx_.tr("members.card_invalid");
            return true;
        }
        if (event.kind == SceneEvent::Kind::enter_pressed && step_ == Step::pin) {
            sign_in();
            return true;
        }
        if (event.kind != SceneEvent::Kind::card_scanned || step_ == Step::waiting) return false;
        auto card = card_from_scan(event.text);
        if (!card) {
            message_ = ctx_.tr("members.scan_not_card");
            return true;
        }
        take_card(*card);
        return true;
    }

    void on_frame() override {
        if (focus_card_) {
            focus_card_ = false;
            ctx_.keyboard.focus(&card_field_, KeyboardKind::number_pad, ctx_.clock.monotonic_ms());
        }
        Layout l = layout(ctx_, begin_screen(ctx_, Bars::top_and_bottom));
        float x = l.area.min.x + 80 * l.s, y = l.area.min.y + 30 * l.s;
        float column = std::min(900 * l.s, l.area.width() * 0.55f);
        y += draw_text_wrapped(ctx_.fonts.title(l.large), ctx_.tr("members.sign_in_title"), ImVec2(x, y), l.p->text,
                               l.area.width() - 160 * l.s) + 20 * l.s;
        float rx = x + column + 60 * l.s;  // the action beside the field: never under the keyboard
        if (step_ == Step::card) {
            y += draw_text_wrapped(ctx_.fonts.body(l.large), ctx_.tr("members.scan_or_type"), ImVec2(x, y), l.p->text_muted,
                                   l.area.width() - 160 * l.s) + 20 * l.s;
            text_field_widget(ctx_, "member.card", ctx_.tr("members.card_label"), card_field_, ImVec2(x, y), column,
                              KeyboardKind::number_pad);
            if (button(ctx_, "member.card_next", ctx_.tr("members.next"), ImVec2(rx, y + 30 * l.s), ImVec2(280 * l.s, 90 * l.s))) {
                if (is_card_number(card_field_.text())) take_card(card_field_.text());
                else message_ = ctx_.tr("members.card_invalid");
            }
        } else {
            y += draw_text_wrapped(ctx_.fonts.heading(l.large), format(ctx_, "members.pin_for_card", {{"card", mask_card(card_)}}),
                                   ImVec2(x, y), l.p->text, l.area.width() - 160 * l.s) + 20 * l.s;
            text_field_widget(ctx_, "member.pin", ctx_.tr("members.pin_label"), pin_field_, ImVec2(x, y), column * 0.6f,
                              KeyboardKind::number_pad);
            if (step_ == Step::waiting) {
                please_wait(ctx_, l, ImVec2(rx - column * 0.4f, y + 50 * l.s), 500 * l.s);
            } else {
                float bx = x + column * 0.6f + 40 * l.s;
                if (button(ctx_, "member.sign_in", ctx_.tr("members.sign_in"), ImVec2(bx, y + 30 * l.s), ImVec2(300 * l.s, 90 * l.s)))
                    sign_in();
                if (button(ctx_, "member.other_card", ctx_.tr("members.other_card"), ImVec2(bx + 330 * l.s, y + 30 * l.s),
                           ImVec2(300 * l.s, 90 * l.s), ButtonStyle::secondary)) {
                    clear();
                    focus_card_ = true;
                }
            }
        }
        y += 200 * l.s;
        if (!message_.empty()) recorded_text(ctx_, "member.message", ctx_.fonts.heading(l.large), message_, ImVec2(x, y), l.p->vip,
                                             l.area.width() - 160 * l.s);
        end_screen(ctx_, Bars::top_and_bottom);
    }

private:
    enum class Step { card, pin, waiting };

    void clear() {
        step_ = Step::card;
        card_.clear();
        card_field_.clear();
        pin_field_.clear();
        message_.clear();
    }

    void take_card(const std::string& card) {
        card_ = card;
        card_field_.clear();
        pin_field_.clear();
        message_.clear();
        step_ = Step::pin;
        ctx_.keyboard.focus(&pin_field_, KeyboardKind::number_pad, ctx_.clock.monotonic_ms());
    }

    void sign_in() {
        std::string pin = pin_field_.text();
        pin_field_.clear();  // the PIN leaves the screen's memory at once; only this request carries it
        if (pin.size() < 4) {
            message_ = ctx_.tr("members.pin_too_short");
            return;
        }
        step_ = Step::waiting;
        message_.clear();
        ctx_.crm->sign_in(card_, pin, [this, pin](const SignInReply& a) {
            step_ = Step::pin;
            if (a.unreachable()) return sign_in_offline(pin);
            if (a.ok()) return signed_in_online(a, pin);
            const std::string& code = a.code;
            if (a.status == 429) {
                // The CRM slows guessing (per card and per kiosk): say how long, from Retry-After.
                int64_t seconds = guess_wait_seconds(a.retry_after_s);
                // The kiosk keeps the wait too, so pulling the cable does not buy a free guess.
                if (auto cached = load_cached(ctx_, card_)) {
                    cached->locked_until_ms = std::max(cached->locked_until_ms, ctx_.clock.wall_ms() + seconds * 1000);
                    save_cached(ctx_, card_, *cached);
                }
                ctx_.note_failed_attempt();
                message_ = format(ctx_, "members.please_wait", {{"n", std::to_string(seconds)}});
            } else if (code == "wrong_card_or_pin") {
                ctx_.note_failed_attempt();
                message_ = ctx_.tr("members.wrong_card_or_pin");
            } else {
                log_warn("members: sign-in answered %ld %s", a.status, code.c_str());
                message_ = ctx_.tr("members.try_again");
            }
        });
    }

    void signed_in_online(const SignInReply& a, const std::string& pin) {
        int64_t now = ctx_.clock.wall_ms();
        auto member = a.member;
        member->balance_as_of_wall_ms = now;
        // What offline sign-in and redemption need next time; holds for records
        // still in this kiosk's outbox stay, so those points are not spent twice.
        OfflineMember cached = load_cached(ctx_, card_).value_or(OfflineMember{});
        cached.card_last4 = member->card_last4;
        cached.masked_name = member->masked_name;
        cached.tier = member->tier;
        cached.pin = make_pin_verifier(pin, random_salt_hex());
        refresh_from_crm(cached, member->balance, now, [this](const std::string& key) { return record_still_queued(ctx_, key); },
                         a.grant);
        if (!save_cached(ctx_, card_, cached)) log_warn("members: could not update the member cache");
        member->balance = available_points(cached);
        ctx_.session.member = std::move(*member);
        log_info("members: signed in card %s online", mask_card(card_).c_str());
        ctx_.nav().replace(SceneId::member_points);
    }

    void sign_in_offline(const std::string& pin) {
        auto cached = load_cached(ctx_, card_);
        if (!cached) {
            message_ = ctx_.tr("members.offline_unknown");
            return;
        }
        PinCheck check = check_offline_pin(*cached, pin, ctx_.clock.wall_ms());
        save_cached(ctx_, card_, *cached);  // the wrong-PIN count outlives a restart
        if (check.outcome == PinCheck::Outcome::wait || (check.outcome == PinCheck::Outcome::wrong && check.wait_ms > 0)) {
            message_ = format(ctx_, "members.please_wait", {{"n", std::to_string((check.wait_ms + 999) / 1000)}});
            return;
        }
        if (check.outcome == PinCheck::Outcome::wrong) {
            message_ = ctx_.tr("members.wrong_card_or_pin");
            return;
        }
        SignedInMember m;
        m.card = card_;
        m.card_last4 = cached->card_last4;
        m.masked_name = cached->masked_name;
        m.tier = cached->tier;
        m.balance = available_points(*cached);
        m.balance_as_of_wall_ms = cached->balance_as_of_ms;
        m.offline = true;
        ctx_.session.member = std::move(m);
        log_info("members: signed in card %s offline", mask_card(card_).c_str());
        ctx_.nav().replace(SceneId::member_points);
    }

    KioskContext& ctx_;
    Step step_ = Step::card;
    bool focus_card_ = false;
    std::string card_;
    TextField card_field_{19, true};  // masked but its last 4 digits (constructor): people stand behind the guest
    TextField pin_field_{6, true};
    std::string message_;
};

// ==== My points ======================================================================

class MemberPointsScene final : public Scene {
public:
    explicit MemberPointsScene(KioskContext& ctx) : ctx_(ctx) {}

    void on_enter() override {
        show_balance_ = false;
        queued_here_ = spent_here_and_waiting();
    }
    void on_leave() override {
        show_balance_ = false;
        queued_here_ = {};
    }

    void on_frame() override {
        Layout l = layout(ctx_, begin_screen(ctx_, Bars::top_and_bottom));
        if (!ctx_.session.member) {  // nobody signed in (a restarted screen, a script): sign in first
            ctx_.nav().replace(SceneId::members);
            end_screen(ctx_, Bars::top_and_bottom);
            return;
        }
        const SignedInMember& m = *ctx_.session.member;
        float x = l.area.min.x + 60 * l.s, y = l.area.min.y + 24 * l.s;
        float left_w = l.area.width() * 0.46f;
        float rx = x + left_w + 50 * l.s, right_w = l.area.max.x - 60 * l.s - rx;

        // Greeting: birthday first, then VIP, else the guest greeting; the name masked, the card shortened.
        const char* greeting = m.birthday_today ? "greeting.birthday" : m.tier == MemberTier::vip ? "greeting.vip" : "greeting.guest";
        recorded_text(ctx_, "member.greeting", ctx_.fonts.title(l.large), ctx_.tr(greeting), ImVec2(x, y),
                      m.tier == MemberTier::vip || m.birthday_today ? l.p->vip : l.p->text, left_w);
        y += 70 * l.s;
        recorded_text(ctx_, "member.name", ctx_.fonts.heading(l.large), m.masked_name + "   •••• " + m.card_last4, ImVec2(x, y), l.p->text, left_w);
        if (button(ctx_, "member.sign_out", ctx_.tr("members.sign_out"), ImVec2(l.area.max.x - 340 * l.s, l.area.min.y + 20 * l.s),
                   ImVec2(280 * l.s, 80 * l.s), ButtonStyle::secondary)) {
            ctx_.sign_out_member();  // the member is gone now: nothing below may read it
            end_screen(ctx_, Bars::top_and_bottom);
            return;
        }
        y += 60 * l.s;

        // Balance: hidden until the member taps (people stand behind them).
        ImDrawList* draw = ImGui::GetWindowDrawList();
        ImVec2 box(x, y), box_max(x + left_w, y + 190 * l.s);
        draw->AddRectFilled(box, box_max, l.p->surface, 18 * l.s);
        draw_text_wrapped(ctx_.fonts.body(l.large), ctx_.tr("members.balance"), ImVec2(x + 24 * l.s, y + 16 * l.s), l.p->text_muted, left_w);
        if (show_balance_) {
            recorded_text(ctx_, "member.balance", ctx_.fonts.huge(l.large), format(ctx_, "members.points", {{"n", std::to_string(never_negative(m.balance))}}),
                          ImVec2(x + 24 * l.s, y + 60 * l.s), l.p->primary, left_w - 300 * l.s);
        } else {
            draw_text_wrapped(ctx_.fonts.huge(l.large), "• • • • •", ImVec2(x + 24 * l.s, y + 60 * l.s), l.p->text_muted, left_w);
        }
        if (button(ctx_, "member.show_balance", ctx_.tr(show_balance_ ? "members.hide_balance" : "members.show_balance"),
                   ImVec2(box_max.x - 270 * l.s, y + 60 * l.s), ImVec2(250 * l.s, 90 * l.s), ButtonStyle::secondary))
            show_balance_ = !show_balance_;
        y = box_max.y + 14 * l.s;
        if (m.offline) {
            int64_t age_min = std::max<int64_t>(0, (ctx_.clock.wall_ms() - m.balance_as_of_wall_ms) / 60'000);
            std::string age = age_min < 120 ? format(ctx_, "members.age_minutes", {{"n", std::to_string(age_min)}})
                                            : format(ctx_, "members.age_hours", {{"n", std::to_string(age_min / 60)}});
            y += recorded_text(ctx_, "member.offline_note", ctx_.fonts.body(l.large), format(ctx_, "members.offline_balance", {{"age", age}}),
                               ImVec2(x, y), l.p->vip, left_w) + 10 * l.s;
        }
        const MemberStatement* st = m.statement ? &*m.statement : nullptr;
        if (st && st->expiring_points > 0)
            y += recorded_text(ctx_, "member.expiring", ctx_.fonts.body(l.large),
                               format(ctx_, "members.expiring", {{"n", std::to_string(st->expiring_points)}, {"date", st->expiring_on}}),
                               ImVec2(x, y), l.p->text, left_w) + 10 * l.s;

        // Tier, its benefits, the next tier.
        y += recorded_text(ctx_, "member.tier", ctx_.fonts.heading(l.large), ctx_.tr(tier_name_key(m.tier)), ImVec2(x, y),
                           m.tier == MemberTier::vip ? l.p->vip : l.p->primary, left_w) + 6 * l.s;
        y += draw_text_wrapped(ctx_.fonts.body(l.large), ctx_.tr(tier_benefit_key(m.tier)), ImVec2(x, y), l.p->text, left_w) + 10 * l.s;
        if (st && st->next_tier) {
            std::string next = ctx_.tr(tier_name_key(*st->next_tier));
            std::string text = st->spend_yuan_to_next_tier >= 0
                                   ? format(ctx_, "members.next_tier", {{"yuan", std::to_string(st->spend_yuan_to_next_tier)}, {"tier", next}})
                                   : format(ctx_, "members.next_tier_spend", {{"yuan", std::to_string(st->year_spend_yuan)}, {"tier", next}});
            y += recorded_text(ctx_, "member.next_tier", ctx_.fonts.body(l.large), text + " " + ctx_.tr(tier_benefit_key(*st->next_tier)),
                               ImVec2(x, y), l.p->text_muted, left_w) + 10 * l.s;
        } else if (st) {
            y += draw_text_wrapped(ctx_.fonts.body(l.large), ctx_.tr("members.top_tier"), ImVec2(x, y), l.p->text_muted, left_w) + 10 * l.s;
        }
        // Vouchers the CRM refused since the last sign-in.
        if (st)
            for (size_t i = 0; i < st->void_vouchers.size(); ++i) {
                const auto& v = st->void_vouchers[i];
                std::string id = "member.void." + std::to_string(i);
                y += recorded_text(ctx_, id.c_str(), ctx_.fonts.body(l.large),
                                   format(ctx_, "members.void_voucher", {{"voucher", v.voucher}, {"n", std::to_string(v.points)}}),
                                   ImVec2(x, y), l.p->vip, left_w) + 8 * l.s;
            }
        float by = std::max(y + 10 * l.s, l.area.max.y - 120 * l.s);
        if (button(ctx_, "member.redeem", ctx_.tr("members.redeem"), ImVec2(x, by), ImVec2(left_w * 0.48f, 96 * l.s)))
            ctx_.nav().push(SceneId::member_redeem);

        // Right: points earned per month, then the history.
        float ry = l.area.min.y + 130 * l.s;
        if (!st) {
            ry += draw_text_wrapped(ctx_.fonts.body(l.large), ctx_.tr("members.offline_history"), ImVec2(rx, ry),
                                    l.p->text_muted, right_w) + 20 * l.s;
            // Offline, what was spent here and still waits to be sent is known: shown with the balance, hidden with it.
            if (show_balance_ && !queued_here_.history.empty()) {
                ry += recorded_text(ctx_, "member.waiting_history", ctx_.fonts.heading(l.large),
                                    ctx_.tr("members.waiting_history"), ImVec2(rx, ry), l.p->text, right_w) + 10 * l.s;
                draw_history(l, queued_here_, ImVec2(rx, ry), ImVec2(right_w, std::max(160 * l.s, l.area.max.y - ry - 20 * l.s)));
            }
        } else if (!show_balance_) {
            // The month chart and the history add up to the balance: hidden with it, shown with it.
            recorded_text(ctx_, "member.statement_hidden", ctx_.fonts.body(l.large), ctx_.tr("members.statement_hidden"),
                          ImVec2(rx, ry), l.p->text_muted, right_w);
        } else {
            ry += draw_text_wrapped(ctx_.fonts.heading(l.large), ctx_.tr("members.chart_title"), ImVec2(rx, ry), l.p->text, right_w) + 10 * l.s;
            ry = draw_chart(l, *st, ImVec2(rx, ry), right_w, 220 * l.s) + 20 * l.s;
            ry += draw_text_wrapped(ctx_.fonts.heading(l.large), ctx_.tr("members.history"), ImVec2(rx, ry), l.p->text, right_w) + 10 * l.s;
            draw_history(l, *st, ImVec2(rx, ry), ImVec2(right_w, std::max(160 * l.s, l.area.max.y - ry - 20 * l.s)));
        }
        end_screen(ctx_, Bars::top_and_bottom);
    }

private:
    float draw_chart(const Layout& l, const MemberStatement& st, ImVec2 pos, float width, float height) {
        ImDrawList* draw = ImGui::GetWindowDrawList();
        int64_t top = 1;
        for (const auto& mo : st.earned_by_month) top = std::max(top, mo.points);
        size_t n = std::max<size_t>(1, st.earned_by_month.size());
        float slot = width / float(n), bar_w = slot * 0.6f, label_h = 34 * l.s;
        ImFont* small = ctx_.fonts.body(false);
        for (size_t i = 0; i < st.earned_by_month.size(); ++i) {
            const auto& mo = st.earned_by_month[i];
            float h = (height - label_h - 30 * l.s) * float(mo.points) / float(top);
            float bx = pos.x + slot * float(i) + (slot - bar_w) / 2;
            float base = pos.y + height - label_h;
            if (mo.points > 0) draw->AddRectFilled(ImVec2(bx, base - std::max(h, 3 * l.s)), ImVec2(bx + bar_w, base), l.p->primary, 4 * l.s);
            draw->AddLine(ImVec2(bx - 4 * l.s, base), ImVec2(bx + bar_w + 4 * l.s, base), l.p->border, 2 * l.s);
            std::string month = mo.month.size() >= 7 ? std::to_string(std::atoi(mo.month.c_str() + 5)) : mo.month;
            draw_text_centered(small, month, ImVec2(bx + bar_w / 2, base + label_h / 2), l.p->text_muted, slot);
            if (mo.points > 0 && mo.points == top)
                draw_text_centered(small, std::to_string(mo.points), ImVec2(bx + bar_w / 2, base - h - 16 * l.s), l.p->text, slot * 2);
        }
        ctx_.widgets.record("member.chart", ctx_.tr("members.chart_title"), pos, ImVec2(pos.x + width, pos.y + height));
        return pos.y + height;
    }

    void draw_history(const Layout& l, const MemberStatement& st, ImVec2 pos, ImVec2 size) {
        ImGui::SetCursorScreenPos(pos);
        ImGui::BeginChild("##member-history", size, true, ImGuiWindowFlags_NoBackground);
        touch_scroll_region(ctx_.scroll, "member.history");
        ImFont* body = ctx_.fonts.body(l.large);
        if (st.history.empty()) draw_text_wrapped(body, ctx_.tr("members.no_history"), ImGui::GetCursorScreenPos(), l.p->text_muted, size.x);
        for (size_t i = 0; i < st.history.size(); ++i) {
            const auto& e = st.history[i];
            ImVec2 row = ImGui::GetCursorScreenPos();
            std::string kind = e.kind == "earned" ? ctx_.tr("members.kind.earned")
                             : e.kind == "redeemed" ? ctx_.tr("members.kind.redeemed")
                             : e.kind == "gifted" ? ctx_.tr("members.kind.gifted")
                                                  : ctx_.tr("members.kind.received");
            // Built by appending: GCC 12 warns falsely (-Wrestrict) on "literal" + std::string.
            std::string delta;
            if (e.delta > 0) delta.push_back('+');
            delta += std::to_string(e.delta);
            std::string line = ctx_.calendar().day(e.at_ms) + "   " + kind;
            draw_text_wrapped(body, line, ImVec2(row.x + 12 * l.s, row.y + 10 * l.s), l.p->text, size.x * 0.6f);
            ImFont* head = ctx_.fonts.heading(l.large);
            float dw = head->CalcTextSizeA(head->FontSize, FLT_MAX, 0, delta.c_str()).x;
            draw_text_wrapped(head, delta, ImVec2(row.x + size.x - dw - 40 * l.s, row.y + 8 * l.s),
                              e.delta > 0 ? l.p->primary : l.p->text, 0);
            std::string id = "member.history." + std::to_string(i);
            ctx_.widgets.record(id, line + " " + delta, row, ImVec2(row.x + size.x, row.y + 64 * l.s));
            // What happened and how much, without the day: what a guest (and a script) reads first.
            ctx_.widgets.record(id + ".change", kind + " " + delta, row, ImVec2(row.x + size.x, row.y + 64 * l.s));
            ImGui::SetCursorScreenPos(ImVec2(row.x, row.y + 70 * l.s));
        }
        ImGui::Dummy(ImVec2(1, 1));
        ImGui::EndChild();
    }

    // Offline there is no statement from the CRM; what this member spent at
    // this kiosk and is still in the outbox is known from the cache's holds
    // (one per queued redemption, named by its record) — across a sign-out too.
    MemberStatement spent_here_and_waiting() {
        MemberStatement out;
        if (!ctx_.session.member || ctx_.session.member->statement || !ctx_.store) return out;
        auto cached = load_cached(ctx_, ctx_.session.member->card);
        if (!cached) return out;
        for (const OfflineHold& hold : cached->holds) {
            auto record = ctx_.store->outbox().find(hold.key);
            if (!record || record->state == offline_cache::RecordState::rejected) continue;
            out.history.push_back({-hold.points, "redeemed", "", record->created_wall_ms});
        }
        std::sort(out.history.begin(), out.history.end(),
                  [](const MemberStatement::Entry& a, const MemberStatement::Entry& b) { return a.at_ms > b.at_ms; });
        return out;
    }

    KioskContext& ctx_;
    bool show_balance_ = false;
    MemberStatement queued_here_;  // offline: this kiosk's queued redemptions for the member
};

// ==== Redeem: rewards (points, points + cash), or a gift to another member ============

class MemberRedeemScene final : public Scene {
public:
    explicit MemberRedeemScene(KioskContext& ctx) : ctx_(ctx) { gift_card_field_.show_last(4); }

    void on_enter() override {
        clear();
        rewards_ = load_rewards(ctx_);
        generation_ = ctx_.content_generation;
    }
    void on_leave() override {
        clear();
        ctx_.keyboard.focus(nullptr, KeyboardKind::number_pad, 0);
    }
    bool on_event(const SceneEvent& event) override {
        if (event.kind == SceneEvent::Kind::content_changed && step_ == Step::catalogue) rewards_ = load_rewards(ctx_);
        if (event.kind == SceneEvent::Kind::card_scanned && step_ == Step::gift_card) {
            if (auto card = card_from_scan(event.text)) {
                gift_card_field_.clear();
                gift_card_field_.insert(*card);
                find_recipient();
            }
            return true;
        }
        return false;
    }

    void on_frame() override {
        Layout l = layout(ctx_, begin_screen(ctx_, Bars::top_and_bottom));
        if (!ctx_.session.member) {
            ctx_.nav().replace(SceneId::members);
            end_screen(ctx_, Bars::top_and_bottom);
            return;
        }
        float x = l.area.min.x + 80 * l.s, y = l.area.min.y + 30 * l.s, w = l.area.width() - 160 * l.s;
        switch (step_) {
            case Step::catalogue: catalogue(l, x, y, w); break;
            case Step::confirm: confirm(l, x, y, w); break;
            case Step::gift_card: gift_card(l, x, y, w); break;
            case Step::gift_confirm: gift_confirm(l, x, y, w); break;
            case Step::result: result(l, x, y, w); break;
        }
        end_screen(ctx_, Bars::top_and_bottom);
    }

private:
    enum class Step { catalogue, confirm, gift_card, gift_confirm, result };

    void clear() {
        step_ = Step::catalogue;
        chosen_.reset();
        message_.clear();
        gift_card_field_.clear();
        gift_points_field_.clear();
        recipient_card_.clear();
        recipient_name_.clear();
        done_ = {};
        takeaway_.reset();
    }

    SignedInMember& member() { return *ctx_.session.member; }

    // What the CRM's grant (and the kiosk's own limit) still allows offline here.
    int64_t offline_allowance_left() {
        auto cached = load_cached(ctx_, member().card);
        if (!cached) return 0;
        return check_offline_redemption(*cached, 1, ctx_.config.offline_redeem_limit_points, ctx_.clock.wall_ms()).left;
    }

    void title(const Layout& l, float x, float& y, float w, const std::string& key) {
        y += draw_text_wrapped(ctx_.fonts.title(l.large), ctx_.tr(key), ImVec2(x, y), l.p->text, w) + 16 * l.s;
    }

    void message(const Layout& l, float x, float y, float w) {
        if (!message_.empty()) recorded_text(ctx_, "redeem.message", ctx_.fonts.heading(l.large), message_, ImVec2(x, y), l.p->vip, w);
    }

    void catalogue(const Layout& l, float x, float y, float w) {
        if (ctx_.content_generation != generation_) {
            rewards_ = load_rewards(ctx_);
            generation_ = ctx_.content_generation;
        }
        title(l, x, y, w, "members.redeem_title");
        if (member().offline)
            y += recorded_text(ctx_, "redeem.offline_note", ctx_.fonts.body(l.large),
                               format(ctx_, "members.offline_limit", {{"n", std::to_string(offline_allowance_left())}}),
                               ImVec2(x, y), l.p->vip, w) + 12 * l.s;
        float row_w = std::min(w * 0.62f, 1100 * l.s);
        for (const Reward& r : rewards_) {
            std::string label = reward_name(ctx_, r) + "  ·  " + format(ctx_, "members.points", {{"n", std::to_string(r.points)}});
            if (r.cash_fen > 0) label += " + " + yuan_text(r.cash_fen);
            std::string id = "reward." + r.id;
            if (button(ctx_, id.c_str(), label, ImVec2(x, y), ImVec2(row_w, 88 * l.s), ButtonStyle::secondary)) {
                chosen_ = r;
                message_.clear();
                step_ = Step::confirm;
            }
            y += 104 * l.s;
        }
        if (rewards_.empty()) y += draw_text_wrapped(ctx_.fonts.body(l.large), ctx_.tr("members.no_rewards"), ImVec2(x, y), l.p->text_muted, w) + 20 * l.s;
        float gx = x + row_w + 60 * l.s;
        float gy = l.area.min.y + 30 * l.s + 90 * l.s;
        draw_text_wrapped(ctx_.fonts.body(l.large), ctx_.tr("members.gift_explain"), ImVec2(gx, gy), l.p->text_muted, l.area.max.x - gx - 60 * l.s);
        if (button(ctx_, "redeem.gift", ctx_.tr("members.gift"), ImVec2(gx, gy + 110 * l.s), ImVec2(std::min(420 * l.s, l.area.max.x - gx - 60 * l.s), 96 * l.s))) {
            // Gifts move points between two members at once: only with the CRM there to check both.
            if (member().offline) message_ = ctx_.tr("members.gift_offline");
            else {
                message_.clear();
                step_ = Step::gift_card;
                ctx_.keyboard.focus(&gift_card_field_, KeyboardKind::number_pad, ctx_.clock.monotonic_ms());
            }
        }
        message(l, x, y + 10 * l.s, w);
    }

    void confirm(const Layout& l, float x, float y, float w) {
        title(l, x, y, w, "members.confirm_title");
        const Reward& r = *chosen_;
        std::string text = r.cash_fen > 0
                               ? format(ctx_, "members.confirm_cash", {{"reward", reward_name(ctx_, r)}, {"n", std::to_string(r.points)}, {"cash", yuan_text(r.cash_fen)}})
                               : format(ctx_, "members.confirm_points", {{"reward", reward_name(ctx_, r)}, {"n", std::to_string(r.points)}});
        y += recorded_text(ctx_, "redeem.question", ctx_.fonts.heading(l.large), text, ImVec2(x, y), l.p->text, w) + 16 * l.s;
        // Before the guest confirms: the balance now and what it will be (issue 14, fault 6).
        y += recorded_text(ctx_, "redeem.balance_preview", ctx_.fonts.body(l.large),
                           format(ctx_, "members.balance_change",
                                  {{"before", std::to_string(never_negative(member().balance))},
                                   {"after", std::to_string(never_negative(member().balance - r.points))}}),
                           ImVec2(x, y), l.p->text_muted, w) + 30 * l.s;
        if (ctx_.crm->busy()) {
            please_wait(ctx_, l, ImVec2(x, y), w);
        } else {
            if (button(ctx_, "redeem.confirm", ctx_.tr("members.confirm"), ImVec2(x, y), ImVec2(380 * l.s, 100 * l.s)))
                redeem(r);
            if (button(ctx_, "redeem.cancel", ctx_.tr("members.cancel"), ImVec2(x + 420 * l.s, y), ImVec2(380 * l.s, 100 * l.s), ButtonStyle::secondary)) {
                step_ = Step::catalogue;
                message_.clear();
            }
        }
        message(l, x, y + 140 * l.s, w);
    }

    // One key per guest action (docs/members.md): the outbox record and the
    // hold on its points are saved FIRST, held back from the sync worker; the
    // online request carries the same key. Whatever happens to the reply, the
    // CRM applies the redemption once.
    void redeem(const Reward& r) {
        message_.clear();
        if (r.points > member().balance) {  // the kiosk's own check first: never ask to go below zero
            message_ = ctx_.tr("members.not_enough_points");
            return;
        }
        balance_before_ = member().balance;  // before any hold: the result shows what this action spent
        if (member().offline) return redeem_offline(r);
        if (!ctx_.store) {
            message_ = ctx_.tr("members.not_saved");
            return;
        }
        auto cached = load_cached(ctx_, member().card);
        std::string key = offline_cache::make_idempotency_key();
        std::string voucher = voucher_from_key(key);
        std::string payload = with_page_guard(redemption_payload(member().card, r.id, r.points, r.cash_fen, voucher,
                                                                 cached ? cached->grant : std::nullopt));
        if (!save_with_hold(key, "redemption", payload, r.points, cached, false)) return;
        ctx_.crm->spend({key, "redemption", payload, ctx_.clock.wall_ms()}, [this, r, key, voucher](const SpendReply& a) {
            if (a.unreachable()) return answer_lost(r, key, voucher);
            bool applied = a.applied();
            ctx_.store->outbox().settle_answered_online(key, applied);
            release_hold(key);
            if (a.balance) set_balance(*a.balance);
            if (applied) return show_result(r, voucher, false);
            if (a.reason == "price_changed" && a.price && chosen_ && a.price->reward == r.id) {
                // The CRM prices: show the price it holds now and ask again.
                chosen_->points = a.price->points;
                chosen_->cash_fen = a.price->cash_fen;
                for (Reward& listed : rewards_)
                    if (listed.id == r.id) listed = *chosen_;
                message_ = format(ctx_, "members.price_changed", {{"reward", reward_name(ctx_, *chosen_)}});
                return;
            }
            message_ = refusal_text(a);
        });
    }

    std::string refusal_text(const SpendReply& a) {
        if (a.reason == "insufficient_points") return ctx_.tr("members.not_enough_points");
        if (a.reason == "unknown_recipient") return ctx_.tr("members.gift_unknown");
        if (a.code == "member_session_required") return ctx_.tr("members.session_ended");
        if (!a.ok()) log_warn("members: a redemption was answered %ld %s", a.status, a.code.c_str());
        return a.ok() ? ctx_.tr("members.refused") : ctx_.tr("members.try_again");
    }

    // The record (and the hold on its points) in one transaction: both or neither.
    // offline: it counts against the CRM's grant now; online it counts only if the answer is lost.
    bool save_with_hold(const std::string& key, const char* type, const std::string& payload, int64_t points,
                        const std::optional<OfflineMember>& cached, bool offline) {
        std::string key_secret = member_cache_key(ctx_.config.kiosk_secret, member().card);
        std::optional<OfflineMember> after = cached;
        auto hold = [&](sqlite3* db, const std::string& record_key) {
            if (!after) return true;  // no cache entry: nothing to hold (the CRM's balance rules)
            if (offline) hold_offline_redemption(*after, record_key, points);
            else after->holds.push_back({record_key, points});
            return offline_cache::MemberCache::put_in_transaction(db, key_secret, after->to_json(),
                                                                  after->balance_as_of_ms + kMemberCacheDays * kDayMs);
        };
        // Offline the record is due at once; online it waits while the CRM is asked under the same key.
        offline_cache::SaveResult saved =
            ctx_.store->outbox().enqueue_before_asking(key, type, payload, offline ? 0 : kAskHoldBackMs, hold);
        if (!saved.ok()) {
            log_warn("members: %s not saved: %s", type, saved.message.c_str());
            message_ = ctx_.tr("members.not_saved");
            return false;
        }
        if (after) member().balance = available_points(*after);
        return true;
    }

    // The answer settled the record: its points are no longer held here.
    void release_hold(const std::string& key) {
        auto cached = load_cached(ctx_, member().card);
        if (!cached) return;
        std::erase_if(cached->holds, [&](const OfflineHold& h) { return h.key == key; });
        save_cached(ctx_, member().card, *cached);
        member().balance = available_points(*cached);
    }

    // No answer (the CRM down, or the reply lost after it applied it): the record
    // saved before asking goes by the outbox under the same key — applied once,
    // or refused and told at the next sign-in as a void voucher.
    void answer_lost(const Reward& r, const std::string& key, const std::string& voucher) {
        if (auto cached = load_cached(ctx_, member().card); cached && cached->grant) {
            cached->grant->spent += r.points;  // it may be an offline spending now: the grant counts it
            save_cached(ctx_, member().card, *cached);
        }
        (void)key;
        show_result(r, voucher, true);
    }

    // The CRM's balance after an online redemption: the session and the cache follow it.
    void set_balance(int64_t balance) {
        auto cached = load_cached(ctx_, member().card);
        if (cached) {
            refresh_from_crm(*cached, balance, ctx_.clock.wall_ms(),
                             [this](const std::string& k) { return record_still_queued(ctx_, k); }, cached->grant);
            save_cached(ctx_, member().card, *cached);
            member().balance = available_points(*cached);
        } else {
            member().balance = never_negative(balance);
        }
        member().balance_as_of_wall_ms = ctx_.clock.wall_ms();
    }

    void redeem_offline(const Reward& r) {
        auto cached = load_cached(ctx_, member().card);
        if (!cached || !ctx_.store) {
            message_ = ctx_.tr("members.offline_unavailable");
            return;
        }
        OfflineRedeem check = check_offline_redemption(*cached, r.points, ctx_.config.offline_redeem_limit_points,
                                                       ctx_.clock.wall_ms());
        if (check.outcome == OfflineRedeem::Outcome::no_grant) {
            message_ = ctx_.tr("members.offline_no_grant");
            return;
        }
        if (check.outcome == OfflineRedeem::Outcome::over_limit) {
            message_ = format(ctx_, "members.offline_over_limit", {{"n", std::to_string(check.left)}});
            return;
        }
        if (check.outcome != OfflineRedeem::Outcome::ok) {
            message_ = ctx_.tr("members.not_enough_points");
            return;
        }
        std::string key = offline_cache::make_idempotency_key();
        std::string voucher = voucher_from_key(key);
        std::string payload = with_page_guard(redemption_payload(member().card, r.id, r.points, r.cash_fen, voucher, cached->grant));
        if (!save_with_hold(key, "redemption", payload, r.points, cached, true)) return;
        member().offline = true;
        show_result(r, voucher, true);
    }

    void show_result(const Reward& r, const std::string& voucher, bool queued) {
        done_ = {voucher, reward_name(ctx_, r), r.points, r.cash_fen, queued, "", false, 0, 0};
        done_.balance_before = balance_before_;
        done_.balance_after = member().balance;
        note_in_history("redeemed", r.points, r.id);
        issue_takeaway(r.cash_fen > 0 ? voucher_qr_text(voucher, r.cash_fen) : voucher);
        log_info("members: voucher %s issued%s", voucher.c_str(), queued ? " offline" : "");
        step_ = Step::result;
    }

    void gift_card(const Layout& l, float x, float y, float w) {
        title(l, x, y, w, "members.gift_title");
        float column = std::min(700 * l.s, w * 0.45f);
        text_field_widget(ctx_, "gift.card", ctx_.tr("members.gift_card_label"), gift_card_field_, ImVec2(x, y), column,
                          KeyboardKind::number_pad);
        float bx = x + column + 40 * l.s;
        if (ctx_.crm->busy()) please_wait(ctx_, l, ImVec2(bx, y + 50 * l.s), 500 * l.s);
        else if (button(ctx_, "gift.find", ctx_.tr("members.gift_find"), ImVec2(bx, y + 30 * l.s), ImVec2(300 * l.s, 90 * l.s)))
            find_recipient();
        y += 150 * l.s;  // compact: the points field and Next stay above the number pad, even under the member band
        if (!recipient_name_.empty()) {
            y += recorded_text(ctx_, "gift.recipient", ctx_.fonts.heading(l.large),
                               format(ctx_, "members.gift_recipient", {{"name", recipient_name_}, {"card", mask_card(recipient_card_)}}),
                               ImVec2(x, y), l.p->text, w) + 10 * l.s;
            text_field_widget(ctx_, "gift.points", ctx_.tr("members.gift_points_label"), gift_points_field_, ImVec2(x, y),
                              column * 0.6f, KeyboardKind::number_pad);
            if (button(ctx_, "gift.next", ctx_.tr("members.next"), ImVec2(x + column * 0.6f + 40 * l.s, y + 30 * l.s), ImVec2(300 * l.s, 90 * l.s))) {
                int64_t points = parse_points(gift_points_field_.text());
                if (points <= 0) message_ = ctx_.tr("members.gift_points_invalid");
                else if (points > member().balance) message_ = ctx_.tr("members.not_enough_points");
                else {
                    gift_points_ = points;
                    message_.clear();
                    step_ = Step::gift_confirm;
                    ctx_.keyboard.focus(nullptr, KeyboardKind::number_pad, 0);
                }
            }
            y += 200 * l.s;
        }
        message(l, x, y, w);
    }

    static int64_t parse_points(const std::string& text) {
        if (text.empty() || text.size() > 8) return -1;
        for (char c : text)
            if (c < '0' || c > '9') return -1;
        return std::stoll(text);
    }

    void find_recipient() {
        std::string card = gift_card_field_.text();
        recipient_name_.clear();
        if (!is_card_number(card)) {
            message_ = ctx_.tr("members.card_invalid");
            return;
        }
        if (card == member().card) {
            message_ = ctx_.tr("members.gift_self");
            return;
        }
        message_.clear();
        ctx_.crm->recipient(card, [this, card](const RecipientReply& a) {
            if (a.ok()) {
                recipient_card_ = card;
                recipient_name_ = a.masked_name;  // masked by the CRM: the kiosk never sees the name
                ctx_.keyboard.focus(&gift_points_field_, KeyboardKind::number_pad, ctx_.clock.monotonic_ms());
            } else if (a.unreachable()) {
                message_ = ctx_.tr("members.gift_offline");
            } else if (a.code == "unknown_member") {
                ctx_.note_failed_attempt();
                message_ = ctx_.tr("members.gift_unknown");
            } else if (a.code == "member_session_required") {
                message_ = ctx_.tr("members.session_ended");
            } else if (a.code == "rate_limited") {
                message_ = ctx_.tr("members.gift_slow_down");
            } else {
                message_ = ctx_.tr("members.try_again");
            }
        });
    }

    void gift_confirm(const Layout& l, float x, float y, float w) {
        title(l, x, y, w, "members.confirm_title");
        y += recorded_text(ctx_, "gift.question", ctx_.fonts.heading(l.large),
                           format(ctx_, "members.gift_confirm", {{"n", std::to_string(gift_points_)}, {"name", recipient_name_},
                                                                  {"card", mask_card(recipient_card_)}}),
                           ImVec2(x, y), l.p->text, w) + 40 * l.s;
        if (ctx_.crm->busy()) {
            please_wait(ctx_, l, ImVec2(x, y), w);
        } else {
            if (button(ctx_, "gift.confirm", ctx_.tr("members.confirm"), ImVec2(x, y), ImVec2(380 * l.s, 100 * l.s))) give();
            if (button(ctx_, "gift.cancel", ctx_.tr("members.cancel"), ImVec2(x + 420 * l.s, y), ImVec2(380 * l.s, 100 * l.s), ButtonStyle::secondary)) {
                step_ = Step::catalogue;
                message_.clear();
            }
        }
        message(l, x, y + 140 * l.s, w);
    }

    // A gift, online only; one key for the action as for a redemption.
    void give() {
        message_.clear();
        if (!ctx_.store) {
            message_ = ctx_.tr("members.not_saved");
            return;
        }
        auto cached = load_cached(ctx_, member().card);
        std::string key = offline_cache::make_idempotency_key();
        std::string voucher = voucher_from_key(key);
        std::string payload = with_page_guard(gift_payload(member().card, recipient_card_, gift_points_, voucher,
                                                           cached ? cached->grant : std::nullopt));
        balance_before_ = member().balance;  // before the hold: the result shows what this gift spent
        if (!save_with_hold(key, "points_gift", payload, gift_points_, cached, false)) return;
        ctx_.crm->spend({key, "points_gift", payload, ctx_.clock.wall_ms()}, [this, key, voucher](const SpendReply& a) {
            std::string what = format(ctx_, "members.gift_done", {{"name", recipient_name_}});
            if (a.unreachable()) {
                // Sent, perhaps applied: it goes by the outbox under the same key, once.
                show_gift_result(voucher, what, true);
                return;
            }
            bool applied = a.applied();
            ctx_.store->outbox().settle_answered_online(key, applied);
            release_hold(key);
            if (a.balance) set_balance(*a.balance);
            if (applied) {
                show_gift_result(voucher, what, false);
                return;
            }
            message_ = refusal_text(a);
        });
    }

    void show_gift_result(const std::string& voucher, const std::string& what, bool queued) {
        done_ = {voucher, what, gift_points_, 0, queued, recipient_name_, true, balance_before_, member().balance};
        note_in_history("gifted", gift_points_, "");
        issue_takeaway(voucher);
        step_ = Step::result;
    }

    // What was just spent shows at once in "My points" history (the CRM's
    // own statement replaces it at the next sign-in).
    void note_in_history(const char* kind, int64_t points, const std::string& note) {
        if (!member().statement) return;
        auto& history = member().statement->history;
        history.insert(history.begin(), MemberStatement::Entry{-points, kind, note, ctx_.clock.wall_ms()});
    }

    void result(const Layout& l, float x, float y, float w) {
        const char* title_key = done_.gift ? "members.gift_result_title"
                                : done_.queued ? "members.result_queued_title"
                                               : "members.result_title";
        title(l, x, y, w, title_key);
        ctx_.widgets.record("redeem.result_title", ctx_.tr(title_key), ImVec2(x, y), ImVec2(x + w, y + 1));
        ImFont* heading = ctx_.fonts.heading(l.large);
        y += draw_text_wrapped(heading, done_.what, ImVec2(x, y), l.p->text, w * 0.6f) + 10 * l.s;
        y += draw_text_wrapped(ctx_.fonts.body(l.large), format(ctx_, "members.points", {{"n", std::to_string(done_.points)}}),
                               ImVec2(x, y), l.p->text_muted, w * 0.6f) + 10 * l.s;
        // The balance before and after: what the guest spent is plain.
        y += recorded_text(ctx_, "redeem.balance_change", heading,
                           format(ctx_, "members.balance_change", {{"before", std::to_string(never_negative(done_.balance_before))},
                                                                   {"after", std::to_string(never_negative(done_.balance_after))}}),
                           ImVec2(x, y), l.p->text, w * 0.6f) + 20 * l.s;
        draw_text_wrapped(ctx_.fonts.body(l.large), ctx_.tr("members.voucher_number"), ImVec2(x, y), l.p->text_muted, w * 0.6f);
        y += 44 * l.s;
        y += recorded_text(ctx_, "redeem.voucher", ctx_.fonts.huge(l.large), done_.voucher, ImVec2(x, y), l.p->primary, w * 0.6f) + 20 * l.s;
        if (done_.cash_fen > 0)
            y += recorded_text(ctx_, "redeem.cash", heading, format(ctx_, "members.pay_at_cashier", {{"cash", yuan_text(done_.cash_fen)}}),
                               ImVec2(x, y), l.p->vip, w * 0.6f) + 16 * l.s;
        if (done_.queued)
            y += recorded_text(ctx_, "redeem.queued", ctx_.fonts.body(l.large), ctx_.tr("members.queued_note"), ImVec2(x, y),
                               l.p->text_muted, w * 0.6f) + 16 * l.s;
        {  // issue 14: every voucher's QR code (points only too) opens its phone page; the printer's word in the text column
            float side = std::min(360 * l.s, l.area.height() - 120 * l.s);
            ImVec2 at(l.area.max.x - side - 100 * l.s, l.area.min.y + 60 * l.s);
            takeaway_.draw_qr(ctx_, "redeem.qr", at, side);
            draw_text_wrapped(ctx_.fonts.body(l.large), ctx_.tr("paper.scan_hint"), ImVec2(at.x, at.y + side + 12 * l.s),
                              l.p->text_muted, side);
            y += takeaway_.draw_printing(ctx_, ImVec2(x, y), w * 0.6f);
        }
        if (button(ctx_, "redeem.done", ctx_.tr("members.done"), ImVec2(x, std::max(y + 20 * l.s, l.area.max.y - 130 * l.s)),
                   ImVec2(380 * l.s, 100 * l.s)))
            ctx_.nav().back();
    }

    struct Done {
        std::string voucher, what;
        int64_t points = 0, cash_fen = 0;
        bool queued = false;
        std::string recipient;
        bool gift = false;  // points given to another member, not a redemption
        int64_t balance_before = 0, balance_after = 0;
    };

    KioskContext& ctx_;
    Step step_ = Step::catalogue;
    std::vector<Reward> rewards_;
    uint64_t generation_ = 0;
    std::optional<Reward> chosen_;
    std::string message_;
    TextField gift_card_field_{19, true};
    TextField gift_points_field_{8};
    std::string recipient_card_, recipient_name_;
    int64_t gift_points_ = 0;
    Done done_;
    int64_t balance_before_ = 0;  // the balance when the redemption or gift was asked for
    // ---- issue 14: paper and phone for the voucher ----
    std::string page_guard_;  // the phone page's guard of the redemption or gift being asked for
    Takeaway takeaway_;       // its slip (printed where there is a printer) and its QR code

    // A spending payload with a fresh phone page guard (the CRM keeps its hash only).
    std::string with_page_guard(const std::string& payload) {
        page_guard_ = random_page_guard();
        json doc = json::parse(payload, nullptr, false);
        if (page_guard_.empty() || !doc.is_object()) return payload;
        doc["page_guard"] = page_guard_;
        return doc.dump();
    }

    // The voucher just issued (done_): printed where there is a printer, its QR
    // code the phone page — or, without a guard, `fallback_qr` as before.
    void issue_takeaway(const std::string& fallback_qr) {
        std::string url = page_url(ctx_.config.record_page_base(), crm_contract::RecordPageKind::voucher, done_.voucher,
                                   page_guard_, ctx_.session.lang);
        VoucherSlipInput in{done_.voucher, done_.what, done_.points, done_.cash_fen > 0 ? yuan_text(done_.cash_fen) : "",
                            done_.gift, done_.queued, url};
        takeaway_.issue(ctx_, voucher_slip(in, ctx_.strings, ctx_.session.lang), url.empty() ? fallback_qr : url);
    }
};

}  // namespace

std::unique_ptr<Scene> make_members_scene(KioskContext& ctx) { return std::make_unique<MembersScene>(ctx); }
std::unique_ptr<Scene> make_member_points_scene(KioskContext& ctx) { return std::make_unique<MemberPointsScene>(ctx); }
std::unique_ptr<Scene> make_member_redeem_scene(KioskContext& ctx) { return std::make_unique<MemberRedeemScene>(ctx); }

}  // namespace kiosk
