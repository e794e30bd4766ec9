// platform/display.h — the kiosk's one window, its renderer and the ImGui frame.
//
// The kiosk boots straight into this window: full-screen desktop, cursor
// hidden, screensaver off. Headless mode uses SDL's `offscreen` driver and the
// software renderer, so tests and screenshots need no display.
//
// Index
//   DisplayOptions                 how to open: full-screen (default), windowed, or headless, and the size
//   Display::open(opts, &error)    window + renderer (accelerated, else software) + ImGui context; nullptr and a reason on failure
//   Display::size()                drawable size in pixels
//   Display::begin_frame(dt_s)     start an ImGui frame; apply the pointer to ImGui::GetIO() before this
//   Display::end_frame(png)        render and present; with png != nullptr also write the frame there
//   Display::set_clear_colour(r,g,b)   the colour every frame starts from (the screen's background)
//   Display::upload_font_atlas()   (re)create the font texture after the ImGui font atlas was rebuilt
//   Display::create_texture_rgba(w, h, rgba)   upload pixels as a texture ImGui can draw (its ImTextureID); nullptr on failure
//   Display::destroy_texture(texture)          free one made by create_texture_rgba
//   Display::renderer_name()       which SDL renderer runs ("opengl", "software", ...)
//   Display::last_error()          why the last save failed, for the log
#pragma once

#include <memory>
#include <string>

struct SDL_Window;
struct SDL_Renderer;

namespace platform {

enum class DisplayMode { fullscreen, windowed, headless };

struct DisplayOptions {
    DisplayMode mode = DisplayMode::fullscreen;
    int width = 1920;   // windowed and headless; full-screen takes the desktop's size
    int height = 1080;
    std::string title = "Lobby Kiosk";
};

struct PixelSize {
    int width = 0;
    int height = 0;
};

class Display {
public:
    static std::unique_ptr<Display> open(const DisplayOptions& options, std::string* error);
    ~Display();
    Display(const Display&) = delete;
    Display& operator=(const Display&) = delete;

    PixelSize size() const;
    void begin_frame(float delta_seconds);
    // Returns false only when png_path was given and could not be written.
    bool end_frame(const char* png_path = nullptr);
    void set_clear_colour(unsigned char r, unsigned char g, unsigned char b);
    void upload_font_atlas();
    // For pictures (promotion images): RGBA, 4 bytes a pixel, rows top to bottom.
    // The handle is an SDL_Texture*, which the ImGui SDL_Renderer backend draws as ImTextureID.
    void* create_texture_rgba(int width, int height, const unsigned char* rgba);
    void destroy_texture(void* texture);
    const std::string& renderer_name() const { return renderer_name_; }
    const std::string& last_error() const { return last_error_; }
    SDL_Window* window() const { return window_; }

private:
    Display() = default;
    SDL_Window* window_ = nullptr;
    SDL_Renderer* renderer_ = nullptr;
    std::string renderer_name_;
    std::string last_error_;
    bool imgui_ready_ = false;
    bool fullscreen_pending_ = false;
    bool presented_ = false;  // full-screen mode: asked for after the first frame (see open())
    unsigned char clear_r_ = 0, clear_g_ = 0, clear_b_ = 0;
};

}  // namespace platform
