// kiosk/scenes/scenes.h — one factory per line of scene_config.h.
//
// Each scene's file in kiosk/scenes/ defines its Scene class privately and the
// factory make_<id>_scene; the App builds every scene once at start.
#pragma once

#include <memory>

#include "app/scene.h"

namespace kiosk {

struct KioskContext;

#define ADD_SCENE(id) std::unique_ptr<Scene> make_##id##_scene(KioskContext& ctx);
#include "scenes/scene_config.h"
#undef ADD_SCENE

}  // namespace kiosk
