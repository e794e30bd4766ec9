// platform/input.h — what guests do to the glass, as plain events, and how
// those reach Dear ImGui as a pointer.
//
// Touch arrives as SDL finger events (normalised 0..1; the only input on the
// bare console driver), mouse as mouse events (development). Both become one
// pointer. Keys matter only for card/QR scanners that type like a keyboard
// and for Escape (= Back) during development.
//
// Index
//   InputEvent                       pointer down/move/up, key, text, quit, wake — with a millisecond timestamp
//   InputSource(window)              window: the kiosk's (finger coordinates are fractions of it)
//   InputSource::wait(ms, out)       block up to ms for events (0 = poll), append them to out; the UI thread's only wait
//   InputSource::wake()              any thread: end a wait() early (workers call this after posting to the main queue)
//   TouchPointer::push(event)        queue a pointer event (real device or a test script — the same path)
//   TouchPointer::apply(io)          once per frame, before ImGui::NewFrame: write io.MousePos / io.MouseDown
//   TouchPointer::busy()             true while queued transitions still need frames
//   MainThreadQueue::post(fn)        any thread: run fn on the UI thread at the next loop turn, and wake it
//   MainThreadQueue::run_pending()   UI thread: run everything posted so far
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

struct ImGuiIO;
struct SDL_Window;

namespace platform {

struct InputEvent {
    enum class Kind { pointer_down, pointer_move, pointer_up, key, text, quit, wake };
    enum class Key { none, enter, backspace, escape, other };
    Kind kind = Kind::wake;
    float x = 0, y = 0;     // pointer events: window pixels
    Key key = Key::none;    // key events
    std::string text;       // text events: UTF-8 as typed (one or more characters)
    int64_t at_ms = 0;      // when it happened (SDL's tick clock): intervals between keys tell scanners from people
};

class InputSource {
public:
    explicit InputSource(SDL_Window* window = nullptr) : window_(window) {}
    void set_window(SDL_Window* window) { window_ = window; }
    // Blocks until at least one event or timeout_ms passed; returns true if any event was appended.
    bool wait(int timeout_ms, std::vector<InputEvent>& out);
    static void wake();

private:
    SDL_Window* window_;
};

class TouchPointer {
public:
    void push(const InputEvent& pointer_event);
    void apply(ImGuiIO& io);
    bool busy() const { return !queue_.empty() || lift_pending_; }
    bool is_down() const { return down_; }

private:
    std::deque<InputEvent> queue_;
    float x_ = -1e30f, y_ = -1e30f;
    bool down_ = false;
    bool lift_pending_ = false;  // after a release, one more frame then move off-screen: no hover sticks
};

class MainThreadQueue {
public:
    explicit MainThreadQueue(std::function<void()> waker = &InputSource::wake) : waker_(std::move(waker)) {}
    void post(std::function<void()> task);
    size_t run_pending();

private:
    std::mutex mutex_;
    std::vector<std::function<void()>> tasks_;
    std::function<void()> waker_;
};

}  // namespace platform
