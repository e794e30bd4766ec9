// Home: one large tile for each function that exists; feedback, the most used, first and tallest.
#include <algorithm>
#include <vector>

#include "app/kiosk_context.h"
#include "scenes/scenes.h"
#include "ui/chrome.h"
#include "ui/faces.h"

namespace kiosk {

namespace {

struct Tile {
    const char* id;
    const char* title_key;
    const char* desc_key;
    SceneId target;
};

// Each new function adds its tile here.
const Tile kTiles[] = {
    {"home.feedback", "tile.feedback", "tile.feedback.desc", SceneId::feedback},
    {"home.visit_flow", "tile.visit_flow", "tile.visit_flow.desc", SceneId::visit_flow},
    {"home.complaint_flow", "tile.complaint_flow", "tile.complaint_flow.desc", SceneId::complaint_flow},
    {"home.members", "tile.members", "tile.members.desc", SceneId::members},
    {"home.complaint", "tile.complaint", "tile.complaint.desc", SceneId::complaint},
    {"home.complaint_status", "tile.complaint_status", "tile.complaint_status.desc", SceneId::complaint_status},
    {"home.survey", "tile.survey", "tile.survey.desc", SceneId::survey},
    {"home.promotions", "tile.promotions", "tile.promotions.desc", SceneId::promotions},
    {"home.booking", "tile.booking", "tile.booking.desc", SceneId::booking},
    {"home.booking_manage", "tile.booking_manage", "tile.booking_manage.desc", SceneId::booking_manage},
};

// Elder mode's home: the few most-used functions, in a calm two-column grid.
const char* const kElderTiles[] = {"home.feedback", "home.visit_flow", "home.booking", "home.complaint"};

class HomeScene final : public Scene {
public:
    explicit HomeScene(KioskContext& ctx) : ctx_(ctx) {}

    void on_frame() override {
        ScreenArea area = begin_screen(ctx_, Bars::top_and_bottom);
        const Palette& p = palette(ctx_.session.high_contrast);
        bool large = ctx_.session.large_text;
        float s = ui_scale();
        ImDrawList* draw = ImGui::GetWindowDrawList();
        draw_text_centered(ctx_.fonts.title(large), ctx_.tr("home.title"),
                           ImVec2((area.min.x + area.max.x) / 2, area.min.y + 80 * s), p.text, area.width() - 900 * s);

        // The most used function (feedback, kTiles[0]) stands tall on the left,
        // wearing its four faces; the others share a grid on the right. Sizes
        // follow from the space, and the title font steps down until the
        // longest title fits — ten functions in four languages, large text too.
        // One tap to elder mode (a11y.elder), beside the title; tapped again it ends.
        ImVec2 elder_size(340 * s, 96 * s);
        if (touch_button(ctx_.widgets, "a11y.elder", ctx_.tr("a11y.elder"),
                         ImVec2(area.max.x - 60 * s - elder_size.x, area.min.y + 32 * s), elder_size,
                         ctx_.session.elder ? ButtonStyle::selected : ButtonStyle::secondary,
                         ctx_.fonts.title(large), ctx_.session.high_contrast))
            ctx_.set_elder(!ctx_.session.elder);
        std::vector<const Tile*> shown;
        for (const Tile& tile : kTiles)
            if (!ctx_.session.elder ||
                std::find_if(std::begin(kElderTiles), std::end(kElderTiles),
                             [&](const char* id) { return std::string(id) == tile.id; }) != std::end(kElderTiles))
                shown.push_back(&tile);
        const int count = int(shown.size());
        const float gap = 32 * s;
        const float top = area.min.y + 140 * s, bottom = area.max.y - 30 * s;
        const float left = area.min.x + 60 * s, right = area.max.x - 60 * s;
        const float hero_w = (right - left) * 0.27f;
        const int others = count - 1;
        const int columns = others <= 4 ? 2 : 3;
        const int rows = (others + columns - 1) / columns;
        const float grid_left = left + hero_w + gap;
        const float tile_w = (right - grid_left - gap * float(columns - 1)) / float(columns);
        const float tile_h = (bottom - top - gap * float(rows - 1)) / float(rows);

        // Large text never makes a title smaller than normal text would: the
        // description gives way first (a title may then take most of its tile).
        auto largest_fitting = [&](std::initializer_list<ImFont*> candidates, float share) {
            ImFont* chosen = nullptr;
            for (ImFont* candidate : candidates) {
                chosen = candidate;
                bool fits = true;
                for (int i = 1; i < count && fits; ++i)
                    fits = wrapped_height(candidate, ctx_.tr(shown[size_t(i)]->title_key), tile_w - 48 * s) <= tile_h * share;
                if (fits) break;
            }
            return chosen;
        };
        ImFont* normal_title =
            largest_fitting({ctx_.fonts.huge(false), ctx_.fonts.title(false), ctx_.fonts.heading(false)}, 0.42f);
        ImFont* title_font = normal_title;
        if (large) {
            ImFont* bigger = largest_fitting({ctx_.fonts.huge(true), ctx_.fonts.title(true), ctx_.fonts.heading(true)}, 0.7f);
            if (bigger->FontSize > normal_title->FontSize) title_font = bigger;
        }
        ImFont* desc_font = ctx_.fonts.body(large);

        for (int i = 0; i < count; ++i) {
            const Tile& tile = *shown[size_t(i)];
            const bool hero = i == 0;
            ImVec2 pos = hero ? ImVec2(left, top)
                              : ImVec2(grid_left + float((i - 1) % columns) * (tile_w + gap),
                                       top + float((i - 1) / columns) * (tile_h + gap));
            ImVec2 size = hero ? ImVec2(hero_w, bottom - top) : ImVec2(tile_w, tile_h);
            ImVec2 max(pos.x + size.x, pos.y + size.y);
            ImGui::SetCursorScreenPos(pos);
            bool tapped = ImGui::InvisibleButton(tile.id, size);
            bool pressed = ImGui::IsItemActive();
            ctx_.widgets.record(tile.id, ctx_.tr(tile.title_key), pos, max, (hero ? ctx_.fonts.huge(large) : title_font)->FontSize);
            draw->AddRectFilled(pos, max, pressed ? p.secondary_pressed : p.surface, 28 * s);
            draw->AddRect(pos, max, ctx_.session.high_contrast ? p.border : p.secondary, 28 * s, 0, 4 * s);
            draw->AddRectFilled(pos, ImVec2(max.x, pos.y + 16 * s), p.primary, 28 * s, ImDrawFlags_RoundCornersTop);

            const float wrap = size.x - 48 * s;
            const std::string& title = ctx_.tr(tile.title_key);
            const std::string& desc = ctx_.tr(tile.desc_key);
            ImFont* font = hero ? ctx_.fonts.huge(large) : title_font;
            float faces_h = 0;
            if (hero) {
                // Recognisable before it is read.
                draw->AddRect(pos, max, p.primary, 28 * s, 0, 8 * s);
                float r = std::min(wrap / 10.5f, 56 * s);
                faces_h = 2 * r + 40 * s;
                float face_y = pos.y + size.y * 0.22f;
                for (int face = 0; face < 4; ++face)
                    draw_face(draw, ImVec2((pos.x + max.x) / 2 + (float(face) - 1.5f) * r * 2.5f, face_y), r, face,
                              ctx_.session.high_contrast);
            }
            float title_h = wrapped_height(font, title, wrap);
            // The description gives way first: a smaller face, then none (the title alone still says it).
            ImFont* dfont = desc_font;
            float desc_h = wrapped_height(dfont, desc, wrap);
            const float room = size.y - 16 * s - 24 * s;
            if (!hero && title_h + 12 * s + desc_h > room) {
                dfont = ctx_.fonts.body(false);
                desc_h = wrapped_height(dfont, desc, wrap);
            }
            const bool show_desc = hero || title_h + 12 * s + desc_h <= room;
            if (!show_desc) desc_h = 0;
            float block = title_h + (show_desc ? 12 * s + desc_h : 0);
            float y = hero ? pos.y + size.y * 0.22f + faces_h / 2 + 20 * s
                           : pos.y + 16 * s + std::max(0.0f, (size.y - 16 * s - block) / 2);
            draw_text_centered(font, title, ImVec2((pos.x + max.x) / 2, y + title_h / 2), p.primary, wrap);
            if (show_desc)
                draw_text_centered(dfont, desc, ImVec2((pos.x + max.x) / 2, y + title_h + 12 * s + desc_h / 2),
                                   p.text_muted, wrap);
            if (tapped) ctx_.nav().push(tile.target);
        }
        end_screen(ctx_, Bars::top_and_bottom);
    }

private:
    KioskContext& ctx_;
};

}  // namespace

std::unique_ptr<Scene> make_home_scene(KioskContext& ctx) { return std::make_unique<HomeScene>(ctx); }

}  // namespace kiosk
