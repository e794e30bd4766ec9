#include "platform/input.h"

#include <SDL.h>
#include <imgui.h>

#include <cfloat>

namespace platform {

namespace {

Uint32 wake_event_type() {
    // Registered once; SDL_RegisterEvents is thread-safe.
    static const Uint32 type = SDL_RegisterEvents(1);
    return type;
}

InputEvent::Key translate_key(SDL_Keycode key) {
    switch (key) {
        case SDLK_RETURN:
        case SDLK_KP_ENTER: return InputEvent::Key::enter;
        case SDLK_BACKSPACE: return InputEvent::Key::backspace;
        case SDLK_ESCAPE:
        case SDLK_AC_BACK: return InputEvent::Key::escape;
        default: return InputEvent::Key::other;
    }
}

// Appends the kiosk's view of one SDL event; returns false for events the kiosk ignores.
bool translate(const SDL_Event& e, SDL_Window* kiosk_window, std::vector<InputEvent>& out) {
    InputEvent ev;
    ev.at_ms = e.common.timestamp;
    switch (e.type) {
        case SDL_QUIT: ev.kind = InputEvent::Kind::quit; break;
        case SDL_FINGERDOWN:
        case SDL_FINGERMOTION:
        case SDL_FINGERUP: {
            // Finger coordinates are fractions of the window the touch is on:
            // the event names it, else it is the kiosk's one window (on the
            // console driver no window has mouse focus).
            SDL_Window* w = e.tfinger.windowID ? SDL_GetWindowFromID(e.tfinger.windowID) : nullptr;
            if (!w) w = kiosk_window;
            int ww = 0, wh = 0;
            if (w) SDL_GetWindowSize(w, &ww, &wh);
            if (ww <= 0 || wh <= 0) return false;  // nowhere to put it
            ev.x = e.tfinger.x * float(ww);
            ev.y = e.tfinger.y * float(wh);
            ev.kind = e.type == SDL_FINGERDOWN ? InputEvent::Kind::pointer_down
                    : e.type == SDL_FINGERUP   ? InputEvent::Kind::pointer_up
                                               : InputEvent::Kind::pointer_move;
            break;
        }
        case SDL_MOUSEBUTTONDOWN:
        case SDL_MOUSEBUTTONUP:
            if (e.button.which == SDL_TOUCH_MOUSEID || e.button.button != SDL_BUTTON_LEFT) return false;
            ev.kind = e.type == SDL_MOUSEBUTTONDOWN ? InputEvent::Kind::pointer_down : InputEvent::Kind::pointer_up;
            ev.x = float(e.button.x);
            ev.y = float(e.button.y);
            break;
        case SDL_MOUSEMOTION:
            if (e.motion.which == SDL_TOUCH_MOUSEID) return false;  // the finger event already said it
            ev.kind = InputEvent::Kind::pointer_move;
            ev.x = float(e.motion.x);
            ev.y = float(e.motion.y);
            break;
        case SDL_KEYDOWN:
            ev.kind = InputEvent::Kind::key;
            ev.key = translate_key(e.key.keysym.sym);
            if (ev.key == InputEvent::Key::other) return false;  // printable keys come as SDL_TEXTINPUT
            break;
        case SDL_TEXTINPUT:
            ev.kind = InputEvent::Kind::text;
            ev.text = e.text.text;
            break;
        case SDL_WINDOWEVENT:
            ev.kind = InputEvent::Kind::wake;  // exposed, resized, …: redraw
            break;
        default:
            if (e.type == wake_event_type()) {
                ev.kind = InputEvent::Kind::wake;
                break;
            }
            return false;
    }
    out.push_back(std::move(ev));
    return true;
}

}  // namespace

bool InputSource::wait(int timeout_ms, std::vector<InputEvent>& out) {
    size_t before = out.size();
    SDL_Event e;
    if (timeout_ms > 0) {
        if (SDL_WaitEventTimeout(&e, timeout_ms)) translate(e, window_, out);
    }
    while (SDL_PollEvent(&e)) translate(e, window_, out);
    return out.size() > before;
}

void InputSource::wake() {
    SDL_Event e{};
    e.type = wake_event_type();
    SDL_PushEvent(&e);
}

void TouchPointer::push(const InputEvent& ev) {
    if (ev.kind == InputEvent::Kind::pointer_down || ev.kind == InputEvent::Kind::pointer_up ||
        ev.kind == InputEvent::Kind::pointer_move)
        queue_.push_back(ev);
}

void TouchPointer::apply(ImGuiIO& io) {
    // One button transition per frame: ImGui only sees a click if it sees the
    // press and the release in different frames. Moves before a transition are
    // folded into the same frame.
    if (lift_pending_ && queue_.empty()) {
        lift_pending_ = false;
        x_ = y_ = -FLT_MAX;
    }
    while (!queue_.empty()) {
        InputEvent ev = queue_.front();
        queue_.pop_front();
        x_ = ev.x;
        y_ = ev.y;
        if (ev.kind == InputEvent::Kind::pointer_down) {
            if (!down_) {
                down_ = true;
                lift_pending_ = false;
                break;
            }
        } else if (ev.kind == InputEvent::Kind::pointer_up) {
            if (down_) {
                down_ = false;
                lift_pending_ = true;
                break;
            }
        }
    }
    io.MousePos = ImVec2(x_, y_);
    io.MouseDown[0] = down_;
}

void MainThreadQueue::post(std::function<void()> task) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        tasks_.push_back(std::move(task));
    }
    if (waker_) waker_();
}

size_t MainThreadQueue::run_pending() {
    std::vector<std::function<void()>> ready;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        ready.swap(tasks_);
    }
    for (auto& task : ready) task();
    return ready.size();
}

}  // namespace platform
