#include "ui/touch_keyboard.h"

#include <algorithm>
#include <cmath>
#include <random>

#include "app/kiosk_context.h"
#include "platform/log.h"

namespace kiosk {

namespace {
constexpr int64_t kSlideMs = 180;
constexpr size_t kCandidatesPerPage = 8;
constexpr float kKeyHeight = 96.0f;       // px at 1080p
constexpr float kElderKeyHeight = 124.0f; // elder mode
bool chinese(Lang lang) { return lang == Lang::zh_Hans || lang == Lang::zh_Hant; }
}  // namespace

void TouchKeyboard::focus(TextField* field, KeyboardKind kind, int64_t now_ms) {
    if (field == field_ && kind == kind_) return;
    bool was_hidden = field_ == nullptr;
    field_ = field;
    kind_ = kind;
    refusal_.clear();
    layer_ = LatinLayer::lower;
    if (pinyin_) {
        while (pinyin_->backspace()) {
        }
    }
    if (field && was_hidden) {
        shown_ms_ = now_ms;
        visible_ = 0;
        animating_ = true;
    }
    if (!field) {
        visible_ = 0;
        animating_ = false;
    }
    // A fresh digit order each time a PIN pad appears.
    shuffle_seed_ = (field && field->masked()) ? std::random_device{}() | 1u : 0;
}

void TouchKeyboard::reset() {
    field_ = nullptr;
    visible_ = 0;
    animating_ = false;
    refusal_.clear();
    latin_in_chinese_ = false;
    if (pinyin_) pinyin_->reset_for_new_guest();
}

float TouchKeyboard::keyboard_top() const {
    return ImGui::GetIO().DisplaySize.y - full_height_ * visible_;
}

void TouchKeyboard::insert(std::string_view text) {
    if (!field_) return;
    switch (field_->insert(text)) {
        case TextField::Edit::ok: refusal_.clear(); break;
        case TextField::Edit::too_long: refusal_ = "input.too_long"; break;
        case TextField::Edit::invalid: refusal_ = "input.invalid"; break;
    }
}

void TouchKeyboard::type_text(std::string_view utf8) {
    if (!field_) return;
    if (kind_ == KeyboardKind::number_pad && utf8.find_first_not_of("0123456789") != std::string_view::npos) {
        refusal_ = "input.digits_only";
        return;
    }
    insert(utf8);
}

std::vector<KeyRow> TouchKeyboard::rows(KioskContext& ctx) {
    if (kind_ == KeyboardKind::number_pad) {
        uint32_t seed = ctx.config.shuffle_pin_pad ? shuffle_seed_ : 0;
        return number_pad(seed);
    }
    if (kind_ == KeyboardKind::code) return code_keyboard();
    if (chinese(ctx.session.lang) && !latin_in_chinese_ && !pinyin_failed_) {
        auto keys = pinyin_keyboard();
        keys.back().insert(keys.back().begin(), Key{"ABC", "", KeyAction::accents, 1.5f});
        return keys;
    }
    auto keys = latin_keyboard(layer_);
    if (chinese(ctx.session.lang)) keys.back().insert(keys.back().begin(), Key{"拼音", "", KeyAction::accents, 1.5f});
    return keys;
}

void TouchKeyboard::press(KioskContext& ctx, const Key& key) {
    bool pinyin_mode = kind_ == KeyboardKind::text && chinese(ctx.session.lang) && !latin_in_chinese_ && pinyin_;
    switch (key.action) {
        case KeyAction::insert:
            if (pinyin_mode && key.text.size() == 1 && key.text[0] >= 'a' && key.text[0] <= 'z') {
                pinyin_->add_letter(key.text[0]);
                candidate_page_ = 0;
            } else {
                insert(key.text);
                if (layer_ == LatinLayer::upper) layer_ = LatinLayer::lower;  // one capital, as phones do
            }
            break;
        case KeyAction::space:
            // In pinyin, space takes the best candidate; otherwise it is a space.
            if (pinyin_mode && !pinyin_->spelling().empty()) {
                std::string text = pinyin_->choose(0);
                if (!text.empty()) insert(text);
            } else {
                insert(" ");
            }
            break;
        case KeyAction::backspace:
            if (pinyin_mode && pinyin_->backspace()) candidate_page_ = 0;
            else if (field_) field_->backspace(), refusal_.clear();
            break;
        case KeyAction::shift: layer_ = layer_ == LatinLayer::upper ? LatinLayer::lower : LatinLayer::upper; break;
        case KeyAction::accents:
            if (key.label == "ABC") latin_in_chinese_ = true;
            else if (key.label == "拼音") latin_in_chinese_ = false;
            else layer_ = layer_ == LatinLayer::accents ? LatinLayer::lower : LatinLayer::accents;
            break;
        case KeyAction::done: focus(nullptr, kind_, 0); break;
    }
}

void TouchKeyboard::frame(KioskContext& ctx) {
    if (!field_) return;
    const Palette& p = palette(ctx.session.high_contrast);
    float s = ui_scale();
    ImVec2 display = ImGui::GetIO().DisplaySize;
    if (kind_ == KeyboardKind::text && chinese(ctx.session.lang) && !pinyin_ && !pinyin_failed_) {
        std::string error;
        pinyin_ = PinyinInput::open(ctx.session.lang == Lang::zh_Hant, &error);
        if (!pinyin_) {
            pinyin_failed_ = true;  // Latin letters still work
            log_error("pinyin: %s", error.c_str());
        }
    }
    if (pinyin_) pinyin_->set_traditional(ctx.session.lang == Lang::zh_Hant);

    // Slide up with an ease-out over kSlideMs.
    if (animating_) {
        float t = std::clamp(float(ctx.clock.monotonic_ms() - shown_ms_) / float(kSlideMs), 0.0f, 1.0f);
        visible_ = 1.0f - (1.0f - t) * (1.0f - t);
        animating_ = t < 1.0f;
    }

    auto layout = rows(ctx);
    // Elder mode: taller keys with larger letters (the width is what the
    // screen has right of Back and Home, so it cannot grow).
    const bool elder = ctx.session.elder;
    const float key_h = (elder ? kElderKeyHeight : kKeyHeight) * s, gap = 12 * s, pad = 20 * s;
    bool pinyin_mode = kind_ == KeyboardKind::text && pinyin_ && chinese(ctx.session.lang) && !latin_in_chinese_;
    float bar_h = pinyin_mode ? key_h : 0;
    full_height_ = pad * 2 + bar_h + float(layout.size()) * (key_h + gap);
    float top = display.y - full_height_ * visible_;
    // The keys' window (and so their touch area) starts right of Back and
    // Home: they stay visible and tappable while a guest types. The pinyin
    // candidate bar, above the bottom bar's height, keeps the full width.
    const float left = std::min(left_, display.x * 0.4f);
    const float keys_top = top + pad + bar_h;
    auto begin_window = [&](const char* name, ImVec2 min, ImVec2 max) {
        ImGui::SetNextWindowPos(min);
        ImGui::SetNextWindowSize(ImVec2(max.x - min.x, max.y - min.y));
        ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
        ImGui::Begin(name, nullptr,
                     ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                         ImGuiWindowFlags_NoBackground | ImGuiWindowFlags_NoFocusOnAppearing);
        ImGui::PopStyleVar();
        ImDrawList* draw = ImGui::GetWindowDrawList();
        draw->AddRectFilled(min, max, p.surface);
        draw->AddLine(min, ImVec2(max.x, min.y), p.border, 3 * s);
    };

    float y = top + pad;
    ImFont* font = ctx.fonts.title(elder);
    if (pinyin_mode) {
        begin_window("##keyboard-candidates", ImVec2(0, top), ImVec2(display.x, keys_top));
        // The spelling, then a page of candidates, then ‹ › to page.
        // What is typed so far: characters already chosen, then the pinyin still to convert.
        draw_text_wrapped(ctx.fonts.body(elder), pinyin_->composition(), ImVec2(pad, y), p.text_muted, 0);
        auto candidates = pinyin_->page(candidate_page_, kCandidatesPerPage);
        float x = 220 * s;
        for (size_t i = 0; i < candidates.size(); ++i) {
            std::string id = "candidate." + std::to_string(i);
            float w = std::max(96 * s, font->CalcTextSizeA(font->FontSize, FLT_MAX, 0, candidates[i].c_str()).x + 40 * s);
            if (touch_button(ctx.widgets, id.c_str(), candidates[i], ImVec2(x, y), ImVec2(w, key_h - gap),
                             i == 0 ? ButtonStyle::primary : ButtonStyle::secondary, font, ctx.session.high_contrast)) {
                std::string text = pinyin_->choose(candidate_page_ * kCandidatesPerPage + i);
                candidate_page_ = 0;
                if (!text.empty()) insert(text);
            }
            x += w + gap;
        }
        bool more = candidate_page_ + 1 < pinyin_->page_count(kCandidatesPerPage);
        if (candidate_page_ > 0 && touch_button(ctx.widgets, "candidate.prev", "‹", ImVec2(display.x - 2 * (110 * s), y),
                                                ImVec2(96 * s, key_h - gap), ButtonStyle::secondary, font,
                                                ctx.session.high_contrast))
            --candidate_page_;
        if (more && touch_button(ctx.widgets, "candidate.next", "›", ImVec2(display.x - 110 * s, y),
                                 ImVec2(96 * s, key_h - gap), ButtonStyle::secondary, font, ctx.session.high_contrast))
            ++candidate_page_;
        y += bar_h;
        ImGui::End();
    }
    begin_window("##keyboard", ImVec2(left, pinyin_mode ? keys_top : top), ImVec2(display.x, top + full_height_));
    if (left > 0)
        ImGui::GetWindowDrawList()->AddLine(ImVec2(left, top), ImVec2(left, top + full_height_), p.border, 3 * s);
    // Rows centred; every key at least 64 px at 1080p (touch_button enforces it).
    float unit = std::min(150 * s, (display.x - left - 2 * pad) / 12.0f);
    for (const KeyRow& row : layout) {
        float row_w = -gap;
        for (const Key& key : row) row_w += key.width * unit + gap;
        float x = left + (display.x - left - row_w) / 2;
        for (const Key& key : row) {
            float w = key.width * unit;
            std::string id = "key." + (key.action == KeyAction::insert ? key.text : key.label);
            ButtonStyle style = key.action == KeyAction::done ? ButtonStyle::primary : ButtonStyle::secondary;
            std::string label = key.action == KeyAction::done    ? ctx.tr("pinpad.ok")
                              : key.action == KeyAction::space ? ctx.tr("key.space")
                                                               : key.label;
            if (touch_button(ctx.widgets, id.c_str(), label, ImVec2(x, y), ImVec2(w, key_h), style, font,
                             ctx.session.high_contrast))
                press(ctx, key);
            x += w + gap;
        }
        y += key_h + gap;
    }
    ImGui::End();
}

bool text_field_widget(KioskContext& ctx, const char* id, const std::string& label, TextField& field, ImVec2 pos,
                       float width, KeyboardKind kind) {
    const Palette& p = palette(ctx.session.high_contrast);
    float s = ui_scale();
    bool large = ctx.session.large_text;
    ImFont* body = ctx.fonts.body(large);
    bool focused = ctx.keyboard.focused() == &field;
    float y = pos.y;
    y += draw_text_wrapped(body, label, ImVec2(pos.x, y), p.text_muted, width) + 6 * s;
    float box_h = std::max(72 * s, body->FontSize + 32 * s);
    ImVec2 min(pos.x, y), max(pos.x + width, y + box_h);
    ImGui::SetCursorScreenPos(min);
    bool tapped = ImGui::InvisibleButton(id, ImVec2(width, box_h));
    ctx.widgets.record(id, label, min, max);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->AddRectFilled(min, max, p.surface, 10 * s);
    draw->AddRect(min, max, focused ? p.primary : p.border, 10 * s, 0, (focused ? 4 : 2) * s);
    std::string shown = field.display();
    // What the field shows (masked where it masks: a PIN's dots, a card's last 4) — never the text behind it.
    ctx.widgets.record(std::string(id) + ".shown", shown, min, max, body->FontSize);
    if (focused) shown += "|";
    ImGui::PushClipRect(min, max, true);
    draw_text_wrapped(body, shown, ImVec2(min.x + 16 * s, min.y + (box_h - body->FontSize) / 2), p.text, 0);
    ImGui::PopClipRect();
    // The limit is visible, and a refusal says why (never a silent cut).
    std::string count = std::to_string(field.length()) + " / " + std::to_string(field.max_length());
    ImFont* small = ctx.fonts.body(false);
    float cw = small->CalcTextSizeA(small->FontSize, FLT_MAX, 0, count.c_str()).x;
    draw_text_wrapped(small, count, ImVec2(max.x - cw, max.y + 6 * s), p.text_muted, 0);
    if (focused && !ctx.keyboard.refusal().empty())
        draw_text_wrapped(small, ctx.tr(ctx.keyboard.refusal()), ImVec2(min.x, max.y + 6 * s), p.vip, width - cw - 20 * s);
    if (tapped) ctx.keyboard.focus(&field, kind, ctx.clock.monotonic_ms());
    return tapped;
}

void draw_qr(const QrCode& code, ImVec2 top_left, float side, ImU32 dark, ImU32 light) {
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const int quiet = QrCode::quiet_zone_modules;  // the margin scanners need
    float module = side / float(code.size + 2 * quiet);
    draw->AddRectFilled(top_left, ImVec2(top_left.x + side, top_left.y + side), light);
    for (int y = 0; y < code.size; ++y) {
        // Runs of dark modules as one rectangle each: fewer vertices, no seams.
        for (int x = 0; x < code.size;) {
            if (!code.is_dark(x, y)) {
                ++x;
                continue;
            }
            int run = x;
            while (run < code.size && code.is_dark(run, y)) ++run;
            ImVec2 a(top_left.x + float(x + quiet) * module, top_left.y + float(y + quiet) * module);
            ImVec2 b(top_left.x + float(run + quiet) * module, top_left.y + float(y + quiet + 1) * module);
            draw->AddRectFilled(ImVec2(std::floor(a.x), std::floor(a.y)), ImVec2(std::ceil(b.x), std::ceil(b.y)), dark);
            x = run;
        }
    }
}

}  // namespace kiosk
