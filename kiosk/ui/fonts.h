// kiosk/ui/fonts.h — the CJK font, and a glyph atlas holding only what is shown.
//
// A full Chinese atlas is 64–256 MB. The kiosk's atlas starts from the text it
// has (all string tables and content, plus ASCII) for its everyday faces, and
// grows on demand: every draw call notes the characters it needs, and when a
// face lacks one the App discards that frame, rebuilds the atlas between
// frames and draws again — so no missing-glyph box is ever presented, a pinyin
// candidate or a CRM text in a new character just works, and the big display
// faces hold only the few characters drawn in them.
//
// Index
//   find_cjk_font(&face_index)          the font file fontconfig picks for Chinese (and the face in a .ttc); "" if none
//   FontSet::load_file(path, face, &e)  read the font file once (kept for rebuilds)
//   FontSet::build(base_text, scale)    (re)build the atlas; call between frames, then upload the texture
//   FontSet::body/heading/title/huge(large)   faces for normal or large-text mode (30/36/46/72 px at 1080p, ×4/3 large)
//   note_glyphs(font, begin, end)       the draw helpers call this for every text they draw
//   FontSet::needs_rebuild()            some face was asked for a character it lacks (rebuild before presenting)
//   FontSet::rebuild(&error)            build again with everything noted so far
//   FontSet::forget_extras()            at the end of a session: drop what was added on demand (next build is minimal again)
//   FontSet::has_glyph(cp)              whether the body face can draw code point cp
//   FontSet::atlas_bytes() / glyph_count()   the atlas texture's size (RGBA) and the body face's glyphs
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <vector>

struct ImFont;
struct ImFontAtlas;

namespace kiosk {

std::string find_cjk_font(int* face_index);
void note_glyphs(ImFont* font, const char* begin, const char* end);

class FontSet {
public:
    FontSet();
    ~FontSet();
    FontSet(const FontSet&) = delete;
    FontSet& operator=(const FontSet&) = delete;

    bool load_file(const std::string& path, int face_index, std::string* error);
    bool build(const std::string& base_text, float scale, std::string* error);
    bool needs_rebuild() const { return !pending_.empty(); }
    bool rebuild(std::string* error);
    void forget_extras();

    ImFont* body(bool large) const { return face(kBody, large); }
    ImFont* heading(bool large) const { return face(kHeading, large); }
    ImFont* title(bool large) const { return face(kTitle, large); }
    ImFont* huge(bool large) const { return face(kHuge, large); }
    bool has_glyph(uint32_t code_point) const;
    size_t atlas_bytes() const { return atlas_bytes_; }
    size_t glyph_count() const;
    const std::string& path() const { return path_; }

private:
    friend void note_glyphs(ImFont* font, const char* begin, const char* end);
    enum Face { kBody, kHeading, kTitle, kHuge, kFaceCount };
    static constexpr int kSlots = kFaceCount * 2;  // normal and large of each face
    ImFont* face(Face f, bool large) const { return fonts_[size_t(f + (large ? kFaceCount : 0))]; }
    void note(ImFont* font, const char* begin, const char* end);
    void detach_font_data(ImFontAtlas* atlas);
    void unmap_file();

    std::string path_;
    int face_index_ = 0;
    float scale_ = 1.0f;
    std::string base_text_;
    unsigned char* file_data_ = nullptr;  // the font file, mapped read-only; outlives every build
    size_t file_size_ = 0;
    std::array<std::vector<uint16_t>, kSlots> ranges_;  // the atlas points into these until the next build
    std::array<std::set<uint32_t>, kSlots> extra_;      // characters added on demand, per face
    std::set<std::pair<int, uint32_t>> pending_;        // (slot, character) noted but not yet in the atlas
    std::array<ImFont*, kSlots> fonts_{};
    size_t atlas_bytes_ = 0;
};

}  // namespace kiosk
