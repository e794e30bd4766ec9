// kiosk/touch/pinyin_input.h — Chinese input for guests: pinyin in, characters out.
//
// Engine: libgooglepinyin (Debian's libgooglepinyin0), not librime. It is one
// small library and one dictionary file, Apache-2.0, opened in-process with no
// daemon and no per-user schema to deploy and compile at first run (what rime
// needs), and it offers 医生 for "yisheng". Traditional output (zh-Hant) goes
// through OpenCC's s2hk conversion: the lobby's Traditional readers are mostly
// Hong Kong guests.
//
// Privacy: the engine learns from what is chosen, into a user dictionary. Each
// guest gets a fresh temporary one, deleted by reset_for_new_guest() and by
// the destructor, so no guest is offered what the previous one typed.
//
// Invariant: googlepinyin's decoder is process-global. At most one PinyinInput
// exists at a time (open() refuses a second), used from the UI thread only.
//
// Index
//   PinyinInput::open(traditional, &error)   start the engine (nullptr + reason when the dictionary is missing)
//   add_letter(c) / backspace()              edit the pinyin being typed (a–z only)
//   spelling()                               the letters typed so far (shown above the candidates)
//   candidate_count() / candidates(first, n) the current candidates, best first (a page of them)
//   choose(i)                                pick candidate i; returns the text to insert once the whole
//                                            spelling is converted, "" while part of it is still pinyin
//   set_traditional(on)                      Simplified or Traditional output from now on
//   reset_for_new_guest()                    drop the spelling and everything learned
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace kiosk {

class PinyinInput {
public:
    static std::unique_ptr<PinyinInput> open(bool traditional, std::string* error);
    ~PinyinInput();
    PinyinInput(const PinyinInput&) = delete;
    PinyinInput& operator=(const PinyinInput&) = delete;

    bool add_letter(char letter);
    bool backspace();
    const std::string& spelling() const { return spelling_; }
    size_t candidate_count() const { return candidate_count_; }
    std::vector<std::string> candidates(size_t first, size_t count);
    std::string choose(size_t index);
    void set_traditional(bool on) { traditional_ = on; }
    bool reset_for_new_guest();

private:
    PinyinInput() = default;
    bool open_decoder(std::string* error);
    void close_decoder();
    void search();
    std::string convert(const std::string& simplified) const;

    std::string spelling_;
    size_t candidate_count_ = 0;
    bool traditional_ = false;
    bool decoder_open_ = false;
    std::string user_dict_path_;
    void* opencc_ = nullptr;  // opencc_t, opened once
};

}  // namespace kiosk
