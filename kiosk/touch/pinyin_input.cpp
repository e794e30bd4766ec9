#include "touch/pinyin_input.h"

#include <googlepinyin/pinyinime.h>
#include <opencc/opencc.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cassert>

#include "platform/utf8.h"

namespace kiosk {

namespace {


constexpr const char* kSystemDictionary = "/usr/lib/x86_64-linux-gnu/googlepinyin/data/dict_pinyin.dat";
constexpr const char* kTraditionalConfig = "s2hk.json";  // from /usr/share/opencc/ (libopencc-data)
// Below /dev/null (a file, not a directory): this can never be created, so
// googlepinyin runs without a user dictionary and learns nothing (see the header).
constexpr const char* kNoUserDictionary = "/dev/null/kiosk-pinyin-learns-nothing";
constexpr size_t kMaxSpelling = 40;
std::atomic<bool> engine_in_use{false};

std::string utf16_to_utf8(const ime_pinyin::char16* s, size_t n) {
    std::string out;
    for (size_t i = 0; i < n && s[i]; ++i) {
        uint32_t cp = s[i];
        if (cp >= 0xD800 && cp < 0xDC00 && i + 1 < n && s[i + 1] >= 0xDC00 && s[i + 1] < 0xE000) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (s[i + 1] - 0xDC00);
            ++i;
        }
        platform::append_utf8(out, cp);
    }
    return out;
}

std::string candidate(size_t index) {
    ime_pinyin::char16 buffer[64] = {};
    if (!ime_pinyin::im_get_candidate(index, buffer, 63)) return "";
    return utf16_to_utf8(buffer, 63);
}

}  // namespace

std::unique_ptr<PinyinInput> PinyinInput::open(bool traditional, std::string* error) {
    if (engine_in_use.exchange(true)) {
        *error = "the pinyin engine is already open (it is process-global)";
        return nullptr;
    }
    std::unique_ptr<PinyinInput> input(new PinyinInput());
    input->traditional_ = traditional;
    if (!input->open_decoder(error)) return nullptr;  // the destructor releases engine_in_use
    opencc_t converter = opencc_open(kTraditionalConfig);
    if (converter == reinterpret_cast<opencc_t>(-1)) {
        *error = std::string("OpenCC ") + kTraditionalConfig + " could not be opened (libopencc-data)";
        return nullptr;
    }
    input->opencc_ = converter;
    return input;
}

PinyinInput::~PinyinInput() {
    assert_owner_thread();
    close_decoder();
    if (opencc_) opencc_close(static_cast<opencc_t>(opencc_));
    engine_in_use = false;
}

void PinyinInput::assert_owner_thread() const {
    assert(std::this_thread::get_id() == owner_ && "googlepinyin's decoder is global: UI thread only");
}

bool PinyinInput::open_decoder(std::string* error) {
    if (!ime_pinyin::im_open_decoder(kSystemDictionary, kNoUserDictionary)) {
        *error = std::string("the pinyin dictionary ") + kSystemDictionary + " could not be opened";
        return false;
    }
    ime_pinyin::im_set_max_lens(kMaxSpelling, kMaxSpelling / 2);
    decoder_open_ = true;
    return true;
}

void PinyinInput::close_decoder() {
    if (!decoder_open_) return;
    ime_pinyin::im_reset_search();
    ime_pinyin::im_close_decoder();
    decoder_open_ = false;
}

void PinyinInput::search() {
    if (!decoder_open_) {
        candidate_count_ = 0;
        return;
    }
    candidate_count_ = spelling_.empty() ? 0 : ime_pinyin::im_search(spelling_.c_str(), spelling_.size());
    if (spelling_.empty()) ime_pinyin::im_reset_search();
}

bool PinyinInput::add_letter(char letter) {
    assert_owner_thread();
    if (!decoder_open_ || letter < 'a' || letter > 'z' || spelling_.size() >= kMaxSpelling) return false;
    spelling_ += letter;
    search();
    return true;
}

bool PinyinInput::backspace() {
    assert_owner_thread();
    if (spelling_.empty()) return false;
    // googlepinyin keeps the characters already chosen while the letters they
    // came from are still there, so "医生hush" stays 医生 + hush.
    spelling_.pop_back();
    search();
    return true;
}

std::string PinyinInput::composition() {
    assert_owner_thread();
    if (!decoder_open_ || spelling_.empty()) return spelling_;
    size_t fixed = ime_pinyin::im_get_fixed_len();
    if (fixed == 0) return spelling_;
    const ime_pinyin::uint16* starts = nullptr;
    size_t syllables = ime_pinyin::im_get_spl_start_pos(starts);
    if (!starts || fixed > syllables) return spelling_;
    // Candidate 0 begins with the fixed characters (one UTF-16 unit each: the
    // dictionary is BMP-only).
    ime_pinyin::char16 buffer[64] = {};
    if (!ime_pinyin::im_get_candidate(0, buffer, 63)) return spelling_;
    std::string chosen = convert(utf16_to_utf8(buffer, std::min<size_t>(fixed, 63)));
    size_t rest = std::min<size_t>(starts[fixed], spelling_.size());
    return chosen + spelling_.substr(rest);
}

std::vector<std::string> PinyinInput::candidates(size_t first, size_t count) {
    assert_owner_thread();
    std::vector<std::string> out;
    for (size_t i = first; i < candidate_count_ && out.size() < count; ++i) out.push_back(convert(candidate(i)));
    return out;
}

size_t PinyinInput::page_count(size_t page_size) const {
    if (page_size == 0) return 0;
    return (candidate_count_ + page_size - 1) / page_size;
}

std::vector<std::string> PinyinInput::page(size_t page_index, size_t page_size) {
    if (page_size == 0 || page_index >= page_count(page_size)) return {};
    return candidates(page_index * page_size, page_size);
}

std::string PinyinInput::choose(size_t index) {
    assert_owner_thread();
    if (!decoder_open_ || index >= candidate_count_) return "";
    candidate_count_ = ime_pinyin::im_choose(index);
    const ime_pinyin::uint16* starts = nullptr;
    size_t syllables = ime_pinyin::im_get_spl_start_pos(starts);
    // Every syllable fixed: candidate 0 is the whole converted phrase.
    if (ime_pinyin::im_get_fixed_len() >= syllables) {
        std::string text = convert(candidate(0));
        spelling_.clear();
        ime_pinyin::im_reset_search();
        candidate_count_ = 0;
        return text;
    }
    return "";
}

void PinyinInput::reset_for_new_guest() {
    assert_owner_thread();
    // Nothing was learned (no user dictionary), so there is nothing to forget
    // but the spelling: no reopen, no per-guest leak.
    spelling_.clear();
    candidate_count_ = 0;
    if (decoder_open_) ime_pinyin::im_reset_search();
}

std::string PinyinInput::convert(const std::string& simplified) const {
    if (!traditional_ || !opencc_ || simplified.empty()) return simplified;
    char* converted = opencc_convert_utf8(static_cast<opencc_t>(opencc_), simplified.c_str(), simplified.size());
    if (!converted) return simplified;
    std::string out(converted);
    opencc_convert_utf8_free(converted);
    return out;
}

}  // namespace kiosk
