// kiosk/app/scene.h — what a screen is: enter / event / frame / leave.
//
// Index
//   SceneId, kSceneCount           one id per line of kiosk/scenes/scene_config.h
//   scene_name(id)                 "home", … (for --screen, scripts, logs)
//   scene_from_name(name)          the id for a name, or nullopt
//   SceneEvent                     something that happened outside the frame: a card scanned, Enter pressed, content or sync changed
//   Scene::on_enter()              the screen becomes current (pushed, or uncovered by Back)
//   Scene::on_event(event)         an event while current; true if it was used
//   Scene::on_frame()              draw one frame (ImGui calls happen only here)
//   Scene::on_leave()              the screen stops being current; it must drop any guest data it holds
//   Scene::wants_idle_timeout()    false only for the attract screen
//   Scene::background()            the screen's background colour (0xAABBGGRR), drawn as the frame's clear
//   Scene::ms_until_redraw()       when an animation next needs a frame (-1: only on input); keeps idle CPU near zero
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kiosk {

enum class SceneId {
#define ADD_SCENE(id) id,
#include "scenes/scene_config.h"
#undef ADD_SCENE
};

inline constexpr int kSceneCount = 0
#define ADD_SCENE(id) +1
#include "scenes/scene_config.h"
#undef ADD_SCENE
    ;

const char* scene_name(SceneId id);
std::optional<SceneId> scene_from_name(std::string_view name);

struct SceneEvent {
    // enter_pressed: Enter on a keyboard (not the end of a scan): the focused form's main action.
    enum class Kind { card_scanned, content_changed, sync_changed, enter_pressed };
    Kind kind;
    std::string text;  // card_scanned: what the scanner read
};

class Scene {
public:
    virtual ~Scene() = default;
    virtual void on_enter() {}
    virtual bool on_event(const SceneEvent&) { return false; }
    virtual void on_frame() = 0;
    virtual void on_leave() {}
    virtual bool wants_idle_timeout() const { return true; }
    virtual int64_t ms_until_redraw() const { return -1; }
    virtual std::optional<uint32_t> background() const { return std::nullopt; }
};

}  // namespace kiosk
