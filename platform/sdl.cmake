# The SDL2 + Dear ImGui half of platform/. Debian's libimgui-dev ships the
# SDL_Renderer backend only as example source, so it is compiled here from
# /usr/share/doc (never copied into the repo).
pkg_check_modules(SDL2 REQUIRED IMPORTED_TARGET sdl2)
pkg_check_modules(IMGUI REQUIRED IMPORTED_TARGET imgui)
pkg_check_modules(STB REQUIRED IMPORTED_TARGET stb)
# The voice (platform/speech.h): espeak-ng synthesis (libespeak-ng-dev; voices in espeak-ng-data).
pkg_check_modules(ESPEAK_NG REQUIRED IMPORTED_TARGET espeak-ng)

set(IMGUI_BACKEND_DIR /usr/share/doc/libimgui-dev/examples/backends)
if(NOT EXISTS ${IMGUI_BACKEND_DIR}/imgui_impl_sdlrenderer.cpp)
  message(FATAL_ERROR "imgui_impl_sdlrenderer.cpp not found in ${IMGUI_BACKEND_DIR}: install libimgui-dev (make deps)")
endif()

add_library(imgui_sdlrenderer STATIC ${IMGUI_BACKEND_DIR}/imgui_impl_sdlrenderer.cpp)
target_include_directories(imgui_sdlrenderer SYSTEM PUBLIC /usr/include/imgui /usr/include/imgui/backends)
target_link_libraries(imgui_sdlrenderer PUBLIC PkgConfig::IMGUI PkgConfig::SDL2 PkgConfig::STB)
target_compile_options(imgui_sdlrenderer PRIVATE -w)  # third-party example code: not ours to warn about

add_library(platform STATIC
  ${CMAKE_CURRENT_SOURCE_DIR}/src/display.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/image_decode.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/input.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/png_writer.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/process_stats.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/speech.cpp)
target_include_directories(platform PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include)
target_link_libraries(platform PUBLIC platform_core imgui_sdlrenderer Threads::Threads PRIVATE PkgConfig::ESPEAK_NG)
