// kiosk/ui/promotion_board.h — the CRM's promotions as the screens use them, and their pictures.
//
// One board per kiosk (in KioskContext), shared by the attract screen, the
// promotions list and detail pages, and the staff screen. The offers are parsed
// from the content cache again only when ctx.content_generation moves. Pictures
// are decoded lazily, on the UI thread, the first time a screen draws them,
// and kept as textures within a byte budget (least recently drawn go first); a
// picture that is broken, of the wrong type or too large is logged once and
// then drawn as nothing — the card shows without it.
//
// Index
//   PromotionBoard::attach(upload, release)     how to make and free textures (the App's Display); detach() before it closes
//   PromotionBoard::offers(ctx)                 the parsed promotions (reparsed when the content changed)
//   PromotionBoard::picture(ctx, image_id)      the picture as a texture, or nullptr (none, broken, not cached yet)
//   PromotionBoard::draw_picture(ctx, id, min, max)  a picture scaled to fit the box, centred; false if none
//   PromotionBoard::stats()                     textures held and their bytes, pictures refused (for staff)
//   PromotionBoard::selected                    the offer the detail page shows (guest data: cleared at session end)
#pragma once

#include <imgui.h>

#include <cstdint>
#include <functional>
#include <list>
#include <optional>
#include <string>

#include "domain/promotion_rules.h"
#include "platform/image_decode.h"

namespace kiosk {

struct KioskContext;

struct PromotionPicture {
    void* texture = nullptr;  // ImTextureID
    int width = 0, height = 0;
};

struct PromotionBoardStats {
    size_t textures = 0;
    size_t texture_bytes = 0;
    size_t refused = 0;
};

class PromotionBoard {
public:
    using Upload = std::function<void*(int width, int height, const unsigned char* rgba)>;
    using Release = std::function<void(void*)>;

    ~PromotionBoard() { detach(); }
    void attach(Upload upload, Release release) {
        upload_ = std::move(upload);
        release_ = std::move(release);
    }
    // Frees every texture; called before the display that made them closes.
    void detach() {
        drop_textures();
        upload_ = nullptr;
        release_ = nullptr;
    }

    const PromotionSet& offers(KioskContext& ctx);
    const PromotionPicture* picture(KioskContext& ctx, const std::string& image_id);
    bool draw_picture(KioskContext& ctx, const std::string& image_id, ImVec2 min, ImVec2 max, float rounding = 0);
    PromotionBoardStats stats() const;

    std::string selected;  // the offer id the detail page shows

    // Textures together stay under this (a 1280×720 picture is 3.5 MB).
    static constexpr size_t kTextureBudgetBytes = 24u << 20;
    platform::ImageLimits limits;

private:
    struct Entry {
        std::string id;
        PromotionPicture picture;
        size_t bytes = 0;
    };
    void refresh(KioskContext& ctx);
    void drop_textures();

    Upload upload_;
    Release release_;
    PromotionSet set_;
    bool loaded_ = false;
    uint64_t generation_ = 0;
    std::list<Entry> textures_;           // most recently drawn first
    std::vector<std::string> refused_;    // image ids that could not be shown (until the content changes)
};

}  // namespace kiosk
