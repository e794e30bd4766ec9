// Home: one large tile for each function that exists.
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
                           ImVec2((area.min.x + area.max.x) / 2, area.min.y + 80 * s), p.text, area.width());

        const int count = int(std::size(kTiles));
        const int columns = count <= 2 ? count : 3;
        const int rows = (count + columns - 1) / columns;
        float gap = 40 * s;
        float top = area.min.y + 150 * s;
        float tile_w = std::min(720 * s, (area.width() - 160 * s - gap * float(columns - 1)) / float(columns));
        float tile_h = std::min(520 * s, (area.max.y - top - 40 * s - gap * float(rows - 1)) / float(rows));
        float left = (area.min.x + area.max.x) / 2 - (tile_w * float(columns) + gap * float(columns - 1)) / 2;
        for (int i = 0; i < count; ++i) {
            const Tile& tile = kTiles[i];
            ImVec2 pos(left + float(i % columns) * (tile_w + gap), top + float(i / columns) * (tile_h + gap));
            ImVec2 max(pos.x + tile_w, pos.y + tile_h);
            ImGui::SetCursorScreenPos(pos);
            bool tapped = ImGui::InvisibleButton(tile.id, ImVec2(tile_w, tile_h));
            bool pressed = ImGui::IsItemActive();
            ctx_.widgets.record(tile.id, ctx_.tr(tile.title_key), pos, max);
            draw->AddRectFilled(pos, max, pressed ? p.secondary_pressed : p.surface, 28 * s);
            draw->AddRect(pos, max, ctx_.session.high_contrast ? p.border : p.secondary, 28 * s, 0, 4 * s);
            draw->AddRectFilled(pos, ImVec2(max.x, pos.y + 16 * s), p.primary, 28 * s, ImDrawFlags_RoundCornersTop);
            if (tile.target == SceneId::feedback) {
                // The most used function wears its four faces: recognisable before it is read.
                draw->AddRect(pos, max, p.primary, 28 * s, 0, 8 * s);
                float r = std::min(tile_w / 11, tile_h * 0.11f);
                for (int face = 0; face < 4; ++face)
                    draw_face(draw, ImVec2((pos.x + max.x) / 2 + (float(face) - 1.5f) * r * 2.5f, pos.y + tile_h * 0.2f),
                              r, face, ctx_.session.high_contrast);
            }
            draw_text_centered(ctx_.fonts.huge(large), ctx_.tr(tile.title_key),
                               ImVec2((pos.x + max.x) / 2, pos.y + tile_h * (tile.target == SceneId::feedback ? 0.48f : 0.38f)),
                               p.primary, tile_w - 60 * s);
            draw_text_centered(ctx_.fonts.body(large), ctx_.tr(tile.desc_key),
                               ImVec2((pos.x + max.x) / 2, pos.y + tile_h * 0.72f), p.text_muted, tile_w - 80 * s);
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
