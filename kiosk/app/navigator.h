// kiosk/app/navigator.h — the one owner of the screen stack, Back, Home and the idle timeout.
//
// No ImGui here: the navigator is tested with the manual clock and plain scenes.
// Invariant: this is the only code that calls Scene::on_enter / on_leave, and
// the only code that ends a guest's session (wipe callback).
//
// Index
//   Navigator(clock, policy, scenes, wipe)   scenes: SceneId → Scene&; wipe: clears all session state
//   start(id)                 begin on that screen (stack = [id])
//   push(id)                  go forward to a screen
//   replace(id)               swap the current screen for another (Back then skips it)
//   back()                    return to the previous screen; false at the bottom of the stack
//   home()                    stack = [home]
//   end_session()             leave every screen, wipe the session, stack = [attract]
//   current(), depth()        the screen on top; how many are stacked
//   note_activity()           a touch or key: restarts the idle timer and cancels a countdown
//   tick()                    call every loop turn: starts the countdown, or ends the session when it runs out
//   countdown_seconds_left()  while the "are you still there?" countdown shows: whole seconds left
//   ms_until_next_tick()      how long the loop may sleep before tick() has work (-1: no deadline)
//   set_patient(on)           elder mode: the idle timeout and countdown doubled; end_session() returns to the configured ones
//   frame()                   draw the current screen; navigation asked for during the frame happens after it
//   dispatch(event)           give an event to the current screen
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "app/scene.h"
#include "platform/clock.h"

namespace kiosk {

struct IdlePolicy {
    int64_t timeout_ms = 60'000;    // no touch for this long → countdown
    int64_t countdown_ms = 10'000;  // countdown length → session ends
};

class Navigator {
public:
    using SceneLookup = std::function<Scene&(SceneId)>;
    Navigator(platform::Clock& clock, IdlePolicy policy, SceneLookup scenes, std::function<void()> wipe_session);

    void start(SceneId first);
    void push(SceneId id);
    void replace(SceneId id);
    bool back();
    void home();
    void end_session();

    SceneId current() const { return stack_.empty() ? SceneId::attract : stack_.back(); }
    size_t depth() const { return stack_.size(); }

    void note_activity();
    void tick();
    std::optional<int> countdown_seconds_left() const;
    int64_t ms_until_next_tick() const;

    void frame();
    bool dispatch(const SceneEvent& event);
    const IdlePolicy& policy() const { return policy_; }
    void set_patient(bool on);
    void set_policy(IdlePolicy policy);  // a reloaded configuration; the next tick uses it (still doubled while patient)

private:
    enum class Request { none, push, replace, back, home, end_session };
    void apply(Request request, SceneId target);
    bool idle_applies() const;

    platform::Clock& clock_;
    IdlePolicy configured_;
    IdlePolicy policy_;  // configured_, or doubled while patient
    bool patient_ = false;
    SceneLookup scenes_;
    std::function<void()> wipe_session_;
    std::vector<SceneId> stack_;
    int64_t last_activity_ms_ = 0;
    bool in_frame_ = false;
    // Navigation asked for while a frame is drawn waits until the frame ends,
    // so a scene never leaves in the middle of its own ImGui calls. Last wins.
    Request pending_ = Request::none;
    SceneId pending_target_ = SceneId::attract;
};

}  // namespace kiosk
