#include "platform/display.h"

#include <SDL.h>
#include <imgui.h>
#include <imgui_impl_sdlrenderer.h>

#include <cstdlib>
#include <vector>

#include "platform/png_writer.h"

namespace platform {

namespace {
std::string sdl_failure(const char* what) { return std::string(what) + ": " + SDL_GetError(); }
}  // namespace

std::unique_ptr<Display> Display::open(const DisplayOptions& options, std::string* error) {
    if (options.mode == DisplayMode::headless) {
        // Headless: no display server. The software renderer keeps SDL from
        // loading Mesa's GL (≈45 MB of LLVM) for pixels nobody sees.
        setenv("SDL_VIDEODRIVER", "offscreen", 1);
        SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
        SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
    }
    // A kiosk never lets the screen blank, and touch must not also arrive as
    // mouse events (the input layer reads fingers itself).
    SDL_SetHint(SDL_HINT_VIDEO_ALLOW_SCREENSAVER, "0");
    SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "0");
    SDL_SetHint(SDL_HINT_MOUSE_FOCUS_CLICKTHROUGH, "1");
    SDL_SetHint(SDL_HINT_VIDEO_X11_NET_WM_BYPASS_COMPOSITOR, "0");

    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
        *error = sdl_failure("SDL_Init");
        return nullptr;
    }

    std::unique_ptr<Display> display(new Display());
    Uint32 flags = SDL_WINDOW_SHOWN;
    int x = SDL_WINDOWPOS_CENTERED, y = SDL_WINDOWPOS_CENTERED, w = options.width, h = options.height;
    if (options.mode == DisplayMode::fullscreen) {
        // Full screen in two steps: a borderless window covering the display
        // paints at once (without a window manager that already is full
        // screen); full-screen state is asked for after the first frame,
        // because creating the window full-screen makes SDL wait ~300 ms for
        // a window manager that a kiosk's X session may not have.
        SDL_Rect bounds{0, 0, w, h};
        SDL_GetDisplayBounds(0, &bounds);
        x = bounds.x, y = bounds.y, w = bounds.w, h = bounds.h;
        flags |= SDL_WINDOW_BORDERLESS;
        display->fullscreen_pending_ = true;
    }
    if (options.mode == DisplayMode::windowed) flags |= SDL_WINDOW_RESIZABLE;
    display->window_ = SDL_CreateWindow(options.title.c_str(), x, y, w, h, flags);
    if (!display->window_) {
        *error = sdl_failure("SDL_CreateWindow");
        return nullptr;
    }

    // Accelerated where the machine has it (Mesa's GL is ten times faster per
    // frame than SDL's software renderer), software otherwise.
    display->renderer_ = SDL_CreateRenderer(display->window_, -1, SDL_RENDERER_ACCELERATED);
    if (!display->renderer_) display->renderer_ = SDL_CreateRenderer(display->window_, -1, SDL_RENDERER_SOFTWARE);
    if (!display->renderer_) {
        *error = sdl_failure("SDL_CreateRenderer");
        return nullptr;
    }
    SDL_RendererInfo info{};
    SDL_GetRendererInfo(display->renderer_, &info);
    display->renderer_name_ = info.name ? info.name : "unknown";

    if (options.mode != DisplayMode::windowed) SDL_ShowCursor(SDL_DISABLE);
    SDL_DisableScreenSaver();

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // a kiosk keeps no window layout between boots
    io.LogFilename = nullptr;
    io.ConfigFlags |= ImGuiConfigFlags_NoMouseCursorChange | ImGuiConfigFlags_IsTouchScreen;
    io.BackendPlatformName = "lobby-kiosk-platform";
    if (!ImGui_ImplSDLRenderer_Init(display->renderer_)) {
        *error = "ImGui SDL_Renderer backend failed to start";
        return nullptr;
    }
    display->imgui_ready_ = true;
    return display;
}

Display::~Display() {
    if (imgui_ready_) {
        ImGui_ImplSDLRenderer_Shutdown();
        ImGui::DestroyContext();
    }
    if (renderer_) SDL_DestroyRenderer(renderer_);
    if (window_) SDL_DestroyWindow(window_);
    SDL_Quit();
}

PixelSize Display::size() const {
    PixelSize s;
    SDL_GetRendererOutputSize(renderer_, &s.width, &s.height);
    return s;
}

void Display::begin_frame(float delta_seconds) {
    if (fullscreen_pending_ && presented_) {
        fullscreen_pending_ = false;
        SDL_SetWindowFullscreen(window_, SDL_WINDOW_FULLSCREEN_DESKTOP);
    }
    ImGuiIO& io = ImGui::GetIO();
    PixelSize s = size();
    io.DisplaySize = ImVec2(float(s.width), float(s.height));
    io.DisplayFramebufferScale = ImVec2(1.0f, 1.0f);
    io.DeltaTime = delta_seconds > 0.0f ? delta_seconds : 1.0f / 60.0f;
    ImGui_ImplSDLRenderer_NewFrame();
    ImGui::NewFrame();
}

bool Display::end_frame(const char* png_path) {
    ImGui::Render();
    // The clear is the screen's background: a full-screen background quad on
    // top of it would cost a second fill of every pixel (llvmpipe: milliseconds).
    SDL_SetRenderDrawColor(renderer_, clear_r_, clear_g_, clear_b_, 255);
    SDL_RenderClear(renderer_);
    ImGui_ImplSDLRenderer_RenderDrawData(ImGui::GetDrawData());
    bool ok = true;
    if (png_path) {
        // Read back before Present: afterwards the back buffer is undefined.
        PixelSize s = size();
        std::vector<unsigned char> rgba(size_t(s.width) * size_t(s.height) * 4);
        if (SDL_RenderReadPixels(renderer_, nullptr, SDL_PIXELFORMAT_ABGR8888, rgba.data(), s.width * 4) != 0) {
            last_error_ = sdl_failure("SDL_RenderReadPixels");
            ok = false;
        } else if (!write_png_rgba(png_path, s.width, s.height, rgba.data(), &last_error_)) {
            ok = false;
        }
    }
    SDL_RenderPresent(renderer_);
    presented_ = true;
    return ok;
}

void Display::set_clear_colour(unsigned char r, unsigned char g, unsigned char b) {
    clear_r_ = r, clear_g_ = g, clear_b_ = b;
}

void Display::upload_font_atlas() {
    ImGui_ImplSDLRenderer_DestroyFontsTexture();
    ImGui_ImplSDLRenderer_CreateFontsTexture();
}

void* Display::create_texture_rgba(int width, int height, const unsigned char* rgba) {
    if (width <= 0 || height <= 0 || !rgba) return nullptr;
    // ABGR8888 is R,G,B,A in memory order on a little-endian machine.
    SDL_Texture* texture =
        SDL_CreateTexture(renderer_, SDL_PIXELFORMAT_ABGR8888, SDL_TEXTUREACCESS_STATIC, width, height);
    if (!texture) {
        last_error_ = sdl_failure("SDL_CreateTexture");
        return nullptr;
    }
    if (SDL_UpdateTexture(texture, nullptr, rgba, width * 4) != 0) {
        last_error_ = sdl_failure("SDL_UpdateTexture");
        SDL_DestroyTexture(texture);
        return nullptr;
    }
    SDL_SetTextureBlendMode(texture, SDL_BLENDMODE_BLEND);
    SDL_SetTextureScaleMode(texture, SDL_ScaleModeLinear);
    return texture;
}

void Display::destroy_texture(void* texture) {
    if (texture) SDL_DestroyTexture(static_cast<SDL_Texture*>(texture));
}

}  // namespace platform
