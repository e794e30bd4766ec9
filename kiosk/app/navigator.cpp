#include "app/navigator.h"

#include <cstring>

#include "platform/log.h"

namespace kiosk {

const char* scene_name(SceneId id) {
    static const char* const names[] = {
#define ADD_SCENE(id) #id,
#include "scenes/scene_config.h"
#undef ADD_SCENE
    };
    return names[int(id)];
}

std::optional<SceneId> scene_from_name(std::string_view name) {
    for (int i = 0; i < kSceneCount; ++i)
        if (name == scene_name(SceneId(i))) return SceneId(i);
    return std::nullopt;
}

Navigator::Navigator(platform::Clock& clock, IdlePolicy policy, SceneLookup scenes, std::function<void()> wipe_session)
    : clock_(clock), configured_(policy), policy_(policy), scenes_(std::move(scenes)), wipe_session_(std::move(wipe_session)) {
    last_activity_ms_ = clock_.monotonic_ms();
}

void Navigator::start(SceneId first) {
    while (!stack_.empty()) {
        scenes_(stack_.back()).on_leave();
        stack_.pop_back();
    }
    stack_.push_back(first);
    last_activity_ms_ = clock_.monotonic_ms();
    scenes_(first).on_enter();
}

void Navigator::push(SceneId id) { apply(Request::push, id); }
void Navigator::replace(SceneId id) { apply(Request::replace, id); }
bool Navigator::back() {
    if (stack_.size() <= 1) return false;
    apply(Request::back, SceneId::attract);
    return true;
}
void Navigator::home() { apply(Request::home, SceneId::home); }
void Navigator::end_session() { apply(Request::end_session, SceneId::attract); }

void Navigator::apply(Request request, SceneId target) {
    if (in_frame_) {
        pending_ = request;
        pending_target_ = target;
        return;
    }
    switch (request) {
        case Request::none: return;
        case Request::push:
            if (!stack_.empty()) {
                if (stack_.back() == target) return;  // a double tap must not stack a screen twice
                scenes_(stack_.back()).on_leave();
            }
            stack_.push_back(target);
            scenes_(target).on_enter();
            break;
        case Request::replace:
            if (!stack_.empty()) {
                scenes_(stack_.back()).on_leave();
                stack_.pop_back();
            }
            stack_.push_back(target);
            scenes_(target).on_enter();
            break;
        case Request::back:
            if (stack_.size() <= 1) return;
            scenes_(stack_.back()).on_leave();
            stack_.pop_back();
            scenes_(stack_.back()).on_enter();
            break;
        case Request::home:
            if (!stack_.empty()) scenes_(stack_.back()).on_leave();
            stack_.clear();
            stack_.push_back(SceneId::home);
            scenes_(SceneId::home).on_enter();
            break;
        case Request::end_session:
            if (!stack_.empty()) scenes_(stack_.back()).on_leave();
            stack_.clear();
            policy_ = configured_;  // the next guest gets the ordinary timeouts
            patient_ = false;
            wipe_session_();
            stack_.push_back(SceneId::attract);
            scenes_(SceneId::attract).on_enter();
            log_info("session ended; back to the attract screen");
            break;
    }
    last_activity_ms_ = clock_.monotonic_ms();
}

bool Navigator::idle_applies() const { return !stack_.empty() && scenes_(stack_.back()).wants_idle_timeout(); }

void Navigator::note_activity() { last_activity_ms_ = clock_.monotonic_ms(); }

void Navigator::tick() {
    if (!idle_applies()) return;
    int64_t idle = clock_.monotonic_ms() - last_activity_ms_;
    if (idle >= policy_.timeout_ms + policy_.countdown_ms) {
        log_info("idle for %lld s: ending the session", static_cast<long long>(idle / 1000));
        end_session();
    }
}

std::optional<int> Navigator::countdown_seconds_left() const {
    if (!idle_applies()) return std::nullopt;
    int64_t idle = clock_.monotonic_ms() - last_activity_ms_;
    if (idle < policy_.timeout_ms) return std::nullopt;
    int64_t left_ms = policy_.timeout_ms + policy_.countdown_ms - idle;
    if (left_ms <= 0) return 0;
    return int((left_ms + 999) / 1000);  // 10, 9, … 1: never shows 0 while still counting
}

int64_t Navigator::ms_until_next_tick() const {
    if (!idle_applies()) return -1;
    int64_t idle = clock_.monotonic_ms() - last_activity_ms_;
    if (idle < policy_.timeout_ms) return policy_.timeout_ms - idle;
    // During the countdown the number on screen changes every second.
    int64_t into_countdown = idle - policy_.timeout_ms;
    int64_t to_next_second = 1000 - into_countdown % 1000;
    int64_t to_end = policy_.timeout_ms + policy_.countdown_ms - idle;
    return std::max<int64_t>(0, std::min(to_next_second, to_end));
}

void Navigator::frame() {
    if (stack_.empty()) return;
    in_frame_ = true;
    scenes_(stack_.back()).on_frame();
    in_frame_ = false;
    Request request = pending_;
    pending_ = Request::none;
    apply(request, pending_target_);
}

bool Navigator::dispatch(const SceneEvent& event) {
    if (stack_.empty()) return false;
    return scenes_(stack_.back()).on_event(event);
}

}  // namespace kiosk

namespace kiosk {
void Navigator::set_policy(IdlePolicy policy) {
    configured_ = policy;
    set_patient(patient_);
}

void Navigator::set_patient(bool on) {
    patient_ = on;
    policy_ = configured_;
    if (on) {
        policy_.timeout_ms *= 2;
        policy_.countdown_ms *= 2;
    }
}
}  // namespace kiosk
