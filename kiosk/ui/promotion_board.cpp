#include "ui/promotion_board.h"

#include <algorithm>

#include "app/kiosk_context.h"
#include "offline_cache/content_cache.h"
#include "platform/log.h"

namespace kiosk {

void PromotionBoard::refresh(KioskContext& ctx) {
    if (loaded_ && generation_ == ctx.content_generation) return;
    loaded_ = true;
    generation_ = ctx.content_generation;
    // New content may bring new pictures under old ids: decode again when next drawn.
    drop_textures();
    refused_.clear();
    set_ = PromotionSet{};
    if (!ctx.store) return;
    auto cached = ctx.store->content().get("promotions");
    if (!cached) return;
    set_ = parse_promotions(cached->body);
    if (!set_.error.empty()) log_error("promotions from the CRM: %s; none shown", set_.error.c_str());
    else if (set_.skipped) log_warn("promotions from the CRM: %d malformed offers skipped", set_.skipped);
}

const PromotionSet& PromotionBoard::offers(KioskContext& ctx) {
    refresh(ctx);
    return set_;
}

const PromotionPicture* PromotionBoard::picture(KioskContext& ctx, const std::string& image_id) {
    refresh(ctx);
    if (image_id.empty() || !upload_) return nullptr;
    for (auto it = textures_.begin(); it != textures_.end(); ++it)
        if (it->id == image_id) {
            textures_.splice(textures_.begin(), textures_, it);  // most recently drawn first
            return &textures_.front().picture;
        }
    if (std::find(refused_.begin(), refused_.end(), image_id) != refused_.end()) return nullptr;
    if (!ctx.store) return nullptr;
    // Not cached yet (the sync worker fetches it in the background): try again next frame, silently.
    auto cached = ctx.store->content().get("image/" + image_id);
    if (!cached) return nullptr;
    std::string why;
    auto decoded = platform::decode_image(cached->body, limits, &why);
    if (!decoded) {
        log_warn("promotion image %s not shown: %s", image_id.c_str(), why.c_str());
        refused_.push_back(image_id);
        return nullptr;
    }
    Entry entry;
    entry.id = image_id;
    entry.bytes = decoded->rgba.size();
    entry.picture.texture = upload_(decoded->width, decoded->height, decoded->rgba.data());
    entry.picture.width = decoded->width;
    entry.picture.height = decoded->height;
    if (!entry.picture.texture) {
        log_warn("promotion image %s not shown: no texture for %dx%d", image_id.c_str(), decoded->width, decoded->height);
        refused_.push_back(image_id);
        return nullptr;
    }
    textures_.push_front(std::move(entry));
    // Over budget: the pictures drawn longest ago go (never the one just made).
    size_t total = 0;
    for (const Entry& e : textures_) total += e.bytes;
    while (total > kTextureBudgetBytes && textures_.size() > 1) {
        total -= textures_.back().bytes;
        if (release_) release_(textures_.back().picture.texture);
        textures_.pop_back();
    }
    return &textures_.front().picture;
}

bool PromotionBoard::draw_picture(KioskContext& ctx, const std::string& image_id, ImVec2 min, ImVec2 max, float rounding) {
    const PromotionPicture* pic = picture(ctx, image_id);
    if (!pic) return false;
    float box_w = max.x - min.x, box_h = max.y - min.y;
    float scale = std::min(box_w / float(pic->width), box_h / float(pic->height));
    float w = float(pic->width) * scale, h = float(pic->height) * scale;
    ImVec2 a(min.x + (box_w - w) / 2, min.y + (box_h - h) / 2);
    ImGui::GetWindowDrawList()->AddImageRounded(pic->texture, a, ImVec2(a.x + w, a.y + h), ImVec2(0, 0), ImVec2(1, 1),
                                                IM_COL32_WHITE, rounding);
    return true;
}

PromotionBoardStats PromotionBoard::stats() const {
    PromotionBoardStats s;
    s.textures = textures_.size();
    for (const Entry& e : textures_) s.texture_bytes += e.bytes;
    s.refused = refused_.size();
    return s;
}

void PromotionBoard::drop_textures() {
    if (release_)
        for (Entry& e : textures_) release_(e.picture.texture);
    textures_.clear();
}

}  // namespace kiosk
