#include "ui/fonts.h"

#include "platform/utf8.h"

#include <fontconfig/fontconfig.h>
#include <imgui.h>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace kiosk {

namespace {
// The one FontSet whose faces are in ImGui's atlas. The UI thread alone draws,
// so a plain pointer is enough.
FontSet* active_font_set = nullptr;

constexpr float kFaceSizes[] = {30, 36, 46, 72};
constexpr float kLargeFactor = 4.0f / 3.0f;
}  // namespace

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

void note_glyphs(ImFont* font, const char* begin, const char* end) {
    if (active_font_set) active_font_set->note(font, begin, end);
}

// The only place ImGui's font configs lose their data: our bytes are never
// ImGui's to free. The built glyphs stay usable; the next build adds the
// faces again from the mapping.
void FontSet::detach_font_data(ImFontAtlas* atlas) {
    for (ImFontConfig& config : atlas->ConfigData) {
        if (file_data_ && config.FontData == file_data_) {
            config.FontData = nullptr;
            config.FontDataOwnedByAtlas = false;
        }
    }
    atlas->ClearInputData();
}

FontSet::FontSet() = default;
FontSet::~FontSet() {
    if (active_font_set == this) active_font_set = nullptr;
    if (ImGui::GetCurrentContext()) detach_font_data(ImGui::GetIO().Fonts);
    unmap_file();
}

bool FontSet::load_file(const std::string& path, int face_index, std::string* error) {
    // Mapped, not read: a CJK font is megabytes, and only the tables and the
    // glyphs actually rasterised are ever touched (and resident).
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        *error = "font " + path + ": cannot be read";
        return false;
    }
    struct stat st {};
    void* mapped = MAP_FAILED;
    if (fstat(fd, &st) == 0 && st.st_size >= 12)
        mapped = mmap(nullptr, size_t(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
    ::close(fd);
    if (mapped == MAP_FAILED) {
        *error = "font " + path + ": not a font file";
        return false;
    }
    unmap_file();
    file_data_ = static_cast<unsigned char*>(mapped);
    file_size_ = size_t(st.st_size);
    path_ = path;
    face_index_ = face_index;
    return true;
}

void FontSet::unmap_file() {
    if (file_data_) munmap(file_data_, file_size_);
    file_data_ = nullptr;
    file_size_ = 0;
}

bool FontSet::build(const std::string& base_text, float scale, std::string* error) {
    base_text_ = base_text;
    scale_ = scale;
    return rebuild(error);
}

bool FontSet::rebuild(std::string* error) {
    for (auto& [slot, cp] : pending_) extra_[size_t(slot)].insert(cp);
    pending_.clear();

    ImFontAtlas* atlas = ImGui::GetIO().Fonts;
    atlas->Clear();
    atlas->Flags |= ImFontAtlasFlags_NoPowerOfTwoHeight;  // no half-empty texture rounded up to a power of two
    fonts_.fill(nullptr);
    for (int slot = 0; slot < kSlots; ++slot) {
        bool large = slot >= kFaceCount;
        Face face = Face(slot % kFaceCount);
        float pixels = kFaceSizes[face] * (large ? kLargeFactor : 1.0f) * scale_;

        // The body face starts from all the text the kiosk has, so the most
        // used face never needs a rebuild; the others start from ASCII and
        // grow on demand with what is actually drawn in them.
        ImFontGlyphRangesBuilder builder;
        builder.AddRanges(atlas->GetGlyphRangesDefault());
        builder.AddText("•←→↓✓…·×");
        if (!large && face == kBody) builder.AddText(base_text_.c_str(), base_text_.c_str() + base_text_.size());
        for (uint32_t cp : extra_[size_t(slot)])
            if (cp <= 0xFFFF) builder.AddChar(ImWchar(cp));
        ImVector<ImWchar> ranges;
        builder.BuildRanges(&ranges);
        ranges_[size_t(slot)].assign(ranges.begin(), ranges.end());

        if (!file_data_) {
            // No CJK font could be loaded (logged at start): ImGui's built-in
            // font keeps Latin text readable instead of a blank kiosk.
            ImFontConfig fallback;
            fallback.SizePixels = pixels;
            fonts_[size_t(slot)] = atlas->AddFontDefault(&fallback);
            continue;
        }
        ImFontConfig config;
        // ImGui 1.86 copies font data it does not own — eight faces would be
        // eight copies of a 5 MB file (41 MB). Marked "owned", it keeps our
        // pointer instead; detach_font_data() hands it back before ImGui could
        // free it. The mapping lives across rebuilds.
        config.FontDataOwnedByAtlas = true;
        config.FontNo = face_index_;
        config.OversampleH = 1;  // CJK glyphs gain little from horizontal oversampling and it triples the atlas
        config.OversampleV = 1;
        config.PixelSnapH = true;
        fonts_[size_t(slot)] = atlas->AddFontFromMemoryTTF(file_data_, int(file_size_), pixels, &config,
                                                            ranges_[size_t(slot)].data());
    }
    bool built = fonts_[0] && atlas->Build();
    detach_font_data(atlas);
    if (!built) {
        *error = "font " + path_ + ": the glyph atlas could not be built";
        return false;
    }
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    atlas->GetTexDataAsRGBA32(&pixels, &w, &h);
    atlas_bytes_ = size_t(w) * size_t(h) * 4;
    active_font_set = this;
    return true;
}

void FontSet::note(ImFont* font, const char* begin, const char* end) {
    int slot = -1;
    for (int i = 0; i < kSlots; ++i)
        if (fonts_[size_t(i)] == font) slot = i;
    if (slot < 0 || !file_data_) return;
    platform::for_each_code_point(std::string_view(begin, size_t(end - begin)), [&](uint32_t cp) {
        if (cp < 0x20 || cp > 0xFFFF || cp == 0xFFFD) return;
        if (!font->FindGlyphNoFallback(ImWchar(cp))) pending_.insert({slot, cp});
    });
}

void FontSet::forget_extras() {
    for (auto& extra : extra_) extra.clear();
    pending_.clear();
}

bool FontSet::has_glyph(uint32_t code_point) const {
    if (code_point < 0x20) return true;  // control characters are never drawn
    ImFont* font = fonts_[kBody];
    return font && code_point <= 0xFFFF && font->FindGlyphNoFallback(ImWchar(code_point)) != nullptr;
}

size_t FontSet::glyph_count() const { return fonts_[kBody] ? size_t(fonts_[kBody]->Glyphs.Size) : 0; }

}  // namespace kiosk
