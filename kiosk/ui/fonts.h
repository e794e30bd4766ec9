// kiosk/ui/fonts.h — the CJK font, and a glyph atlas holding only what is shown.
//
// A full Chinese atlas is 64–256 MB; the kiosk builds its atlas from the text
// it actually has (all string tables + content + ASCII), a few hundred glyphs,
// and rebuilds it when content changes.
//
// Index
//   find_cjk_font(&face_index)        the font file fontconfig picks for Chinese (and the face in a .ttc); "" if none
//   FontSet::load_file(path, face, &error)    read the font file once (kept for rebuilds)
//   FontSet::build(text, scale)       (re)build the atlas for text at UI scale; call between frames, then upload the texture
//   FontSet::body/heading/title/huge(large)   the faces for normal or large-text mode (30/36/46/72 px at 1080p)
//   FontSet::has_glyph(cp)            whether the atlas can draw code point cp (no tofu)
//   FontSet::atlas_bytes()            size of the atlas texture (RGBA)
//   FontSet::glyph_count()            how many glyphs the atlas holds
//   for_each_code_point(utf8, fn)     decode UTF-8; invalid bytes are reported as U+FFFD
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

struct ImFont;

namespace kiosk {

std::string find_cjk_font(int* face_index);
void for_each_code_point(const std::string& utf8, const std::function<void(uint32_t)>& fn);

class FontSet {
public:
    bool load_file(const std::string& path, int face_index, std::string* error);
    bool build(const std::string& text, float scale, std::string* error);
    ImFont* body(bool large) const { return large ? body_large_ : body_; }
    ImFont* heading(bool large) const { return large ? heading_large_ : heading_; }
    ImFont* title(bool large) const { return large ? title_large_ : title_; }
    ImFont* huge(bool large) const { return large ? huge_large_ : huge_; }
    bool has_glyph(uint32_t code_point) const;
    size_t atlas_bytes() const { return atlas_bytes_; }
    size_t glyph_count() const { return glyph_count_; }
    const std::string& path() const { return path_; }

private:
    std::string path_;
    int face_index_ = 0;
    std::vector<unsigned char> file_bytes_;  // the atlas reads from these; they outlive every build
    std::vector<uint16_t> ranges_;          // the atlas keeps a pointer to these until the next build
    ImFont* body_ = nullptr;
    ImFont* heading_ = nullptr;
    ImFont* heading_large_ = nullptr;
    ImFont* title_ = nullptr;
    ImFont* huge_ = nullptr;
    ImFont* body_large_ = nullptr;
    ImFont* title_large_ = nullptr;
    ImFont* huge_large_ = nullptr;
    size_t atlas_bytes_ = 0;
    size_t glyph_count_ = 0;
};

}  // namespace kiosk
