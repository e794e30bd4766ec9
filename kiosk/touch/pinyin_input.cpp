#include "touch/pinyin_input.h"

#include <googlepinyin/pinyinime.h>
#include <opencc/opencc.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cassert>
#include <cerrno>
#include <cstdlib>
#include <filesystem>

#include "platform/utf8.h"

namespace kiosk {

namespace {

namespace fs = std::filesystem;

constexpr const char* kSystemDictionary = "/usr/lib/x86_64-linux-gnu/googlepinyin/data/dict_pinyin.dat";
constexpr const char* kTraditionalConfig = "s2hk.json";  // from /usr/share/opencc/ (libopencc-data)
constexpr const char* kDirectoryPrefix = "kiosk-pinyin-";
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

// tmpfs owned by the session user when there is one (nothing reaches a disk);
// otherwise the system temporary directory.
fs::path dictionary_base() {
    const char* runtime = std::getenv("XDG_RUNTIME_DIR");
    std::error_code ec;
    if (runtime && *runtime && fs::is_directory(runtime, ec) && access(runtime, W_OK | X_OK) == 0) return runtime;
    return fs::temp_directory_path();
}

// A kiosk that crashed mid-session left its guest's dictionary behind; the
// directory name carries the pid, so a directory whose process is gone is
// removed. Live processes' directories (a second kiosk, parallel tests) stay.
void sweep_dictionaries_of_dead_processes(const fs::path& base) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(base, ec)) {
        std::string name = entry.path().filename().string();
        if (name.rfind(kDirectoryPrefix, 0) != 0) continue;
        char* end = nullptr;
        long pid = std::strtol(name.c_str() + std::char_traits<char>::length(kDirectoryPrefix), &end, 10);
        if (pid <= 0 || *end != '-') continue;
        struct stat st {};
        if (lstat(entry.path().c_str(), &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != getuid()) continue;
        if (kill(pid_t(pid), 0) == 0 || errno != ESRCH) continue;
        std::error_code remove_error;
        fs::remove_all(entry.path(), remove_error);
    }
}

}  // namespace

std::unique_ptr<PinyinInput> PinyinInput::open(bool traditional, std::string* error) {
    if (engine_in_use.exchange(true)) {
        *error = "the pinyin engine is already open (it is process-global)";
        return nullptr;
    }
    std::unique_ptr<PinyinInput> input(new PinyinInput());
    input->traditional_ = traditional;
    sweep_dictionaries_of_dead_processes(dictionary_base());
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
    // A fresh user dictionary for every guest, alone in a private directory:
    // mkdtemp makes it 0700, so no other account can read what a guest typed
    // or plant a file under the name googlepinyin is about to create.
    std::string pattern = (dictionary_base() / (kDirectoryPrefix + std::to_string(getpid()) + "-XXXXXX")).string();
    std::vector<char> name(pattern.begin(), pattern.end());
    name.push_back('\0');
    if (!mkdtemp(name.data())) {
        *error = "cannot create a private directory for the pinyin user dictionary";
        return false;
    }
    user_dict_dir_ = name.data();
    // googlepinyin creates the file itself; an empty file would not be a dictionary.
    user_dict_path_ = (fs::path(user_dict_dir_) / "user_dict.dat").string();
    if (!ime_pinyin::im_open_decoder(kSystemDictionary, user_dict_path_.c_str())) {
        *error = std::string("the pinyin dictionary ") + kSystemDictionary + " could not be opened";
        close_decoder();
        return false;
    }
    ime_pinyin::im_set_max_lens(kMaxSpelling, kMaxSpelling / 2);
    decoder_open_ = true;
    learned_ = false;
    return true;
}

void PinyinInput::close_decoder() {
    if (decoder_open_) {
        ime_pinyin::im_reset_search();
        ime_pinyin::im_close_decoder();  // writes the dictionary: it is deleted right after
        decoder_open_ = false;
    }
    if (!user_dict_dir_.empty()) {
        std::error_code ec;
        fs::remove_all(user_dict_dir_, ec);
        user_dict_dir_.clear();
    }
    user_dict_path_.clear();
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
    learned_ = true;  // googlepinyin may now write this choice into the user dictionary
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
    assert_owner_thread();
    spelling_.clear();
    candidate_count_ = 0;
    // Reopening costs: libgooglepinyin 0.1.2 leaks its ~190 KB lemma index on
    // every im_open_decoder (DictTrie never frees lma_idx_buf_). A guest who
    // chose nothing taught the engine nothing, so their dictionary is still
    // the fresh one and is kept; only a guest who chose starts the next one over.
    if (decoder_open_ && !learned_) {
        ime_pinyin::im_reset_search();
        return true;
    }
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
