// kiosk/touch/pinyin_input.h — Chinese input for guests: pinyin in, characters out.
//
// Engine: libgooglepinyin (Debian's libgooglepinyin0), not librime. It is one
// small library and one dictionary file, Apache-2.0, opened in-process with no
// daemon and no per-user YAML schema to deploy and compile at first run (what
// rime needs before it can offer a single candidate), and it offers 医生 for
// "yisheng". The dictionary is /usr/lib/x86_64-linux-gnu/googlepinyin/data/
// dict_pinyin.dat, shipped by libgooglepinyin0 (which libgooglepinyin0-dev
// pulls in). It produces Simplified characters only; Traditional output
// (zh-Hant sessions) goes through OpenCC's s2hk.json (libopencc-data, pulled
// in by libopencc-dev): phrase-level Simplified→Traditional with Hong Kong
// variants, since the lobby's Traditional readers are mostly Hong Kong guests
// (s2tw.json would be the Taiwan choice; both ship in /usr/share/opencc/).
//
// Privacy: the engine never learns. googlepinyin would learn every phrase a
// guest composes into a user dictionary and offer it to the next guest. The
// kiosk opens it with a user-dictionary path that can never exist (below
// /dev/null, which is not a directory): googlepinyin then runs on its system
// dictionary alone — it still composes phrases, it just keeps nothing. So
// nothing a guest typed is ever written to disk or carried to the next guest,
// and the engine is opened once per process: libgooglepinyin 0.1.2 leaks its
// ~190 KB lemma index on every open (measured with LeakSanitizer), so reopening
// per guest, as a learning dictionary would need, would leak per guest.
//
// Invariant: googlepinyin's decoder is process-global state (one matrix
// search, one user dictionary, no locks). At most one PinyinInput exists at a
// time — open() refuses a second — and it is used from the thread that opened
// it (the UI thread) only; Debug builds assert that.
//
// Index
//   PinyinInput::open(traditional, &error)   start the engine (nullptr + reason when the dictionary is missing)
//   add_letter(c) / backspace()              edit the pinyin being typed (a–z only; v stands for ü)
//   spelling()                               the letters typed so far
//   composition()                            what to show above the candidates: chosen characters, then
//                                            the pinyin still to convert ("医生hushi")
//   candidate_count() / candidates(first, n) the current candidates, best first
//   page_count(page_size) / page(i, size)    the candidates a page at a time (the candidate bar's ‹ ›)
//   choose(i)                                pick candidate i; returns the text to insert once the whole
//                                            spelling is converted, "" while part of it is still pinyin
//   set_traditional(on)                      Simplified or Traditional output from now on
//   reset_for_new_guest()                    drop the spelling and any half-chosen phrase (nothing is learned)
#pragma once

#include <memory>
#include <string>
#include <thread>
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
    std::string composition();
    size_t candidate_count() const { return candidate_count_; }
    std::vector<std::string> candidates(size_t first, size_t count);
    size_t page_count(size_t page_size) const;
    std::vector<std::string> page(size_t page_index, size_t page_size);
    std::string choose(size_t index);
    void set_traditional(bool on) { traditional_ = on; }
    void reset_for_new_guest();

private:
    PinyinInput() = default;
    bool open_decoder(std::string* error);
    void close_decoder();
    void search();
    std::string convert(const std::string& simplified) const;
    void assert_owner_thread() const;

    std::string spelling_;
    size_t candidate_count_ = 0;
    bool traditional_ = false;
    bool decoder_open_ = false;
    void* opencc_ = nullptr;  // opencc_t, opened once
    std::thread::id owner_ = std::this_thread::get_id();
};

}  // namespace kiosk
