// kiosk/touch/keyboard_layout.h — the on-screen keyboards, as data.
//
// Four layouts: a number pad (card and phone numbers, PINs; its digits can be
// shuffled so onlookers cannot read a PIN from finger positions), a Latin
// keyboard for English and Spanish (an accents layer with ñ á é í ó ú ü ¿ ¡),
// a letter keyboard feeding the pinyin engine, and a code keyboard (digits and
// capitals, in every language: complaint tickets and booking codes like
// K-7KQ4-M2XD, which mean nothing in pinyin). The widget draws whatever
// rows it is given; this file decides what the keys are, and Key::action is
// the whole key → action mapping (insert Key::text, backspace, shift, switch
// to the accents layer, space, done).
//
// Shuffled PIN pads: the widget draws a fresh seed from a random source each
// time the pad appears (and passes 0 when shuffling is configured off).
// Whatever the seed, the pad is 4 rows of 3 with backspace bottom left and OK
// bottom right, and holds every digit exactly once.
//
// Index
//   KeyAction, Key, KeyRow       a key: what it shows, what it types, how wide it is
//   number_pad(shuffle_seed)     0–9, backspace, OK; seed 0 = phone order, else shuffled by the seed
//   latin_keyboard(layer)        letters, shift, accents, space, backspace, OK
//   pinyin_keyboard()            lower-case letters for the pinyin engine, space, backspace, OK
//   code_keyboard()              digits, capital letters, '-', backspace, OK
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace kiosk {

enum class KeyAction { insert, backspace, shift, accents, space, done };

struct Key {
    std::string label;   // what the key shows
    std::string text;    // what it types (insert)
    KeyAction action = KeyAction::insert;
    float width = 1.0f;  // in key widths

    bool operator==(const Key&) const = default;
};
using KeyRow = std::vector<Key>;

enum class LatinLayer { lower, upper, accents };

std::vector<KeyRow> number_pad(uint32_t shuffle_seed);
std::vector<KeyRow> latin_keyboard(LatinLayer layer);
std::vector<KeyRow> code_keyboard();
std::vector<KeyRow> pinyin_keyboard();

}  // namespace kiosk
