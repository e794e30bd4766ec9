#include "touch/pinyin_input.h"

#include <googlepinyin/pinyinime.h>
#include <opencc/opencc.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>

#include "platform/utf8.h"

namespace kiosk {

namespace {

constexpr const char* kSystemDictionary = "/usr/lib/x86_64-linux-gnu/googlepinyin/data/dict_pinyin.dat";
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
    opencc_t converter = opencc_open("s2hk.json");
    if (converter == reinterpret_cast<opencc_t>(-1)) {
        *error = "OpenCC s2hk.json could not be opened (install libopencc-dev's data)";
        return nullptr;
    }
    input->opencc_ = converter;
    return input;
}

PinyinInput::~PinyinInput() {
    close_decoder();
    if (opencc_) opencc_close(static_cast<opencc_t>(opencc_));
    engine_in_use = false;
}

bool PinyinInput::open_decoder(std::string* error) {
    // A fresh user dictionary for every guest, in a private temporary file.
    std::string pattern = (std::filesystem::temp_directory_path() / "kiosk-pinyin-XXXXXX").string();
    std::vector<char> name(pattern.begin(), pattern.end());
    name.push_back('\0');
    int fd = mkstemp(name.data());
    if (fd < 0) {
        *error = "cannot create the pinyin user dictionary";
        return false;
    }
    close(fd);
    unlink(name.data());  // googlepinyin creates it itself; an empty file is not a dictionary
    user_dict_path_ = name.data();
    if (!ime_pinyin::im_open_decoder(kSystemDictionary, user_dict_path_.c_str())) {
        *error = std::string("the pinyin dictionary ") + kSystemDictionary + " could not be opened";
        return false;
    }
    ime_pinyin::im_set_max_lens(kMaxSpelling, kMaxSpelling / 2);
    decoder_open_ = true;
    return true;
}

void PinyinInput::close_decoder() {
    if (decoder_open_) {
        ime_pinyin::im_reset_search();
        ime_pinyin::im_close_decoder();
        decoder_open_ = false;
    }
    if (!user_dict_path_.empty()) {
        std::error_code ec;
        std::filesystem::remove(user_dict_path_, ec);
        user_dict_path_.clear();
    }
}

void PinyinInput::search() {
    candidate_count_ = spelling_.empty() ? 0 : ime_pinyin::im_search(spelling_.c_str(), spelling_.size());
    if (spelling_.empty()) ime_pinyin::im_reset_search();
}

bool PinyinInput::add_letter(char letter) {
    if (letter < 'a' || letter > 'z' || spelling_.size() >= kMaxSpelling) return false;
    spelling_ += letter;
    search();
    return true;
}

bool PinyinInput::backspace() {
    if (spelling_.empty()) return false;
    spelling_.pop_back();
    search();
    return true;
}

std::vector<std::string> PinyinInput::candidates(size_t first, size_t count) {
    std::vector<std::string> out;
    for (size_t i = first; i < candidate_count_ && out.size() < count; ++i) out.push_back(convert(candidate(i)));
    return out;
}

std::string PinyinInput::choose(size_t index) {
    if (index >= candidate_count_) return "";
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

bool PinyinInput::reset_for_new_guest() {
    spelling_.clear();
    candidate_count_ = 0;
    close_decoder();
    std::string error;
    return open_decoder(&error);
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
