#include "ui/fonts.h"

#include <fontconfig/fontconfig.h>
#include <imgui.h>

#include <fstream>
#include <iterator>

namespace kiosk {

std::string find_cjk_font(int* face_index) {
    *face_index = 0;
    FcConfig* config = FcInitLoadConfigAndFonts();
    if (!config) return "";
    FcPattern* pattern = FcNameParse(reinterpret_cast<const FcChar8*>("sans-serif:lang=zh-cn"));
    FcConfigSubstitute(config, pattern, FcMatchPattern);
    FcDefaultSubstitute(pattern);
    FcResult result = FcResultNoMatch;
    FcPattern* match = FcFontMatch(config, pattern, &result);
    std::string path;
    if (match) {
        FcChar8* file = nullptr;
        FcLangSet* langs = nullptr;
        // fontconfig always returns its best match; only accept one that covers Chinese.
        bool covers_chinese = FcPatternGetLangSet(match, FC_LANG, 0, &langs) == FcResultMatch &&
                              FcLangSetHasLang(langs, reinterpret_cast<const FcChar8*>("zh-cn")) != FcLangDifferentLang;
        if (covers_chinese && FcPatternGetString(match, FC_FILE, 0, &file) == FcResultMatch) {
            path = reinterpret_cast<const char*>(file);
            int index = 0;
            if (FcPatternGetInteger(match, FC_INDEX, 0, &index) == FcResultMatch) *face_index = index;
        }
        FcPatternDestroy(match);
    }
    FcPatternDestroy(pattern);
    FcConfigDestroy(config);
    return path;
}

void for_each_code_point(const std::string& s, const std::function<void(uint32_t)>& fn) {
    const unsigned char* p = reinterpret_cast<const unsigned char*>(s.data());
    const unsigned char* end = p + s.size();
    while (p < end) {
        uint32_t cp = 0xFFFD;
        int len = 1;
        if (*p < 0x80) cp = *p;
        else if ((*p >> 5) == 0x6 && end - p >= 2 && (p[1] & 0xC0) == 0x80) cp = ((p[0] & 0x1Fu) << 6) | (p[1] & 0x3Fu), len = 2;
        else if ((*p >> 4) == 0xE && end - p >= 3 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80)
            cp = ((p[0] & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu), len = 3;
        else if ((*p >> 3) == 0x1E && end - p >= 4 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80 && (p[3] & 0xC0) == 0x80)
            cp = ((p[0] & 0x07u) << 18) | ((p[1] & 0x3Fu) << 12) | ((p[2] & 0x3Fu) << 6) | (p[3] & 0x3Fu), len = 4;
        fn(cp);
        p += len;
    }
}

bool FontSet::load_file(const std::string& path, int face_index, std::string* error) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        *error = "font " + path + ": cannot be read";
        return false;
    }
    file_bytes_.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (file_bytes_.size() < 12) {
        *error = "font " + path + ": not a font file";
        return false;
    }
    path_ = path;
    face_index_ = face_index;
    return true;
}

bool FontSet::build(const std::string& text, float scale, std::string* error) {
    ImFontAtlas* atlas = ImGui::GetIO().Fonts;
    atlas->Clear();

    // Glyph ranges from the text itself, plus printable ASCII and the few
    // symbols the chrome draws.
    ImFontGlyphRangesBuilder builder;
    builder.AddRanges(atlas->GetGlyphRangesDefault());
    builder.AddText(text.c_str(), text.c_str() + text.size());
    builder.AddText("•←→↓✓…·×");
    ImVector<ImWchar> ranges;
    builder.BuildRanges(&ranges);
    ranges_.assign(ranges.begin(), ranges.end());

    ImFontConfig config;
    config.FontDataOwnedByAtlas = false;  // the bytes live in file_bytes_ across rebuilds
    config.FontNo = face_index_;
    config.OversampleH = 1;  // CJK glyphs gain little from horizontal oversampling and it triples the atlas
    config.OversampleV = 1;
    config.PixelSnapH = true;
    auto add = [&](float pixels) {
        return atlas->AddFontFromMemoryTTF(file_bytes_.data(), int(file_bytes_.size()), pixels * scale, &config,
                                           ranges_.data());
    };
    body_ = add(30);
    heading_ = add(36);
    title_ = add(46);
    huge_ = add(72);
    body_large_ = add(40);
    heading_large_ = add(48);
    title_large_ = add(58);
    huge_large_ = add(92);
    if (!body_ || !atlas->Build()) {
        *error = "font " + path_ + ": the glyph atlas could not be built";
        return false;
    }
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    atlas->GetTexDataAsRGBA32(&pixels, &w, &h);
    atlas_bytes_ = size_t(w) * size_t(h) * 4;
    glyph_count_ = size_t(body_->Glyphs.Size);
    return true;
}

bool FontSet::has_glyph(uint32_t code_point) const {
    if (code_point < 0x20) return true;  // control characters are never drawn
    return body_ && code_point <= 0xFFFF && body_->FindGlyphNoFallback(ImWchar(code_point)) != nullptr;
}

}  // namespace kiosk
