#include "app/app.h"

#include <imgui.h>
#include <malloc.h>

#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>
#include <nlohmann/json.hpp>

#include "app/kiosk_context.h"
#include "app/navigator.h"
#include "offline_cache/bench.h"
#include "offline_cache/content_cache.h"
#include "offline_cache/outbox.h"
#include "app/start_log.h"
#include "platform/control_signals.h"
#include "platform/display.h"
#include "platform/service_notify.h"
#include "platform/png_writer.h"
#include "platform/input.h"
#include "platform/log.h"
#include "platform/process_stats.h"
#include "platform/utf8.h"
#include "scenes/scenes.h"
#include "touch/scanner_wedge.h"
#include "ui/chrome.h"

#ifndef KIOSK_ASSETS_DIR
#define KIOSK_ASSETS_DIR "assets"
#endif

namespace kiosk {

namespace {

constexpr int kFramesAfterInput = 3;  // ImGui sizes some things a frame late; a tap needs press + release frames
constexpr float kAdminCorner = 120.0f;  // 1080p pixels: the hidden staff gesture's corner

double percentile(std::vector<double> values, double p) {
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    size_t index = std::min(values.size() - 1, size_t(p * double(values.size() - 1) + 0.5));
    return values[index];
}

}  // namespace

struct App::Impl {
    Impl(const KioskConfig& config, platform::Clock& clock)
        : config(config), clock(clock), ctx(config, clock), manual_time(dynamic_cast<platform::ManualClock*>(&clock)) {}

    const KioskConfig& config;
    platform::Clock& clock;
    KioskContext ctx;
    platform::ManualClock* manual_time;  // set when a script drives time: frames then advance it by 1/60 s
    std::unique_ptr<offline_cache::Store> store;
    std::unique_ptr<offline_cache::SyncEngine> sync;  // declared after store: stopped before it closes
    std::unique_ptr<offline_cache::CrmRequests> crm_requests;
    std::unique_ptr<CrmLink> crm_link;
    std::unique_ptr<CrmClient> crm_client;
    std::unique_ptr<PrintQueue> print_queue;
    std::unique_ptr<platform::Display> display;
    platform::InputSource input;
    platform::TouchPointer pointer;
    platform::MainThreadQueue main_queue;
    std::array<std::unique_ptr<Scene>, kSceneCount> scenes;
    std::unique_ptr<Navigator> navigator;
    int64_t last_frame_ms = 0;
    int64_t first_frame_ms = -1;
    uint64_t frames_drawn = 0;
    bool fonts_shrink_due = false;
    bool store_opened = false;  // open_store_and_sync() has run (after the first frame)
    uint64_t seen_content_version = 0;  // the sync engine's content version the screens show
    std::string applied_translations_etag;  // the CRM's "translations" now applied over the shipped strings

    ScannerWedge wedge;               // card/QR readers that type like keyboards
    SceneId last_drawn = SceneId::attract;

    // The hidden staff gesture: a press held in the top-left corner.
    bool corner_hold = false;
    int64_t corner_hold_since_ms = 0;

    // ---- the appliance: systemd, control signals, crash loops --------------
    // The watchdog measures real time whatever clock drives the screens.
    platform::ServiceNotifier notifier = platform::ServiceNotifier::from_environment();
    int64_t next_ping_ms = 0;
    bool restart_requested = false;
    Reloader reload;
    StartHistory starts;
    bool out_of_service = false;
    int64_t out_of_service_since_ms = 0;
    std::unique_ptr<platform::ControlSignals> control;  // last: stopped first, before the queue it posts to

    ~Impl() {
        // Workers first: they post to main_queue, which dies with this object.
        control.reset();
        if (crm_requests) crm_requests->stop();
        if (print_queue) print_queue->stop();
        if (sync) sync->stop();
        ctx.promotions.detach();  // its textures belong to the display's renderer, which closes first
    }

    // ---- start-up -------------------------------------------------------
    bool start(std::string* error) {
        ctx.started_ms = clock.monotonic_ms();
        ctx.wipe_session();
        // Counted before anything that could crash: a kiosk that dies while
        // starting is a crash loop too. Script and bench runs are not starts.
        if (config.script_file.empty() && !config.bench) {
            starts = record_start(config.data_dir + "/starts", current_boot_id(), platform::system_clock().wall_ms());
            out_of_service = starts.out_of_service;
            out_of_service_since_ms = platform::system_clock().monotonic_ms();
            if (out_of_service)
                log_error("%d crashes in the last minute: out of service (retrying in %lld min)", starts.crashes_in_window,
                          static_cast<long long>(kOutOfServiceRetryMs / 60'000));
        } else if (!config.script_file.empty()) {
            // A script may test the crash-loop screen against a prepared start log.
            std::string log = config.data_dir + "/starts";
            if (std::filesystem::exists(log))
                out_of_service = record_start(log, current_boot_id(), platform::system_clock().wall_ms()).out_of_service;
        }

        platform::DisplayOptions options;
        options.mode = config.window_mode == WindowMode::headless   ? platform::DisplayMode::headless
                     : config.window_mode == WindowMode::windowed   ? platform::DisplayMode::windowed
                                                                    : platform::DisplayMode::fullscreen;
        options.width = config.width;
        options.height = config.height;
        display = platform::Display::open(options, error);
        if (!display) return false;
        ctx.renderer_name = display->renderer_name();
        input.set_window(display->window());
        ctx.promotions.attach(
            [this](int w, int h, const unsigned char* rgba) { return display->create_texture_rgba(w, h, rgba); },
            [this](void* texture) { display->destroy_texture(texture); });
        apply_style();

        std::string assets = config.assets_dir.empty() ? std::string(KIOSK_ASSETS_DIR) : config.assets_dir;
        std::string why;
        if (!ctx.strings.load(assets + "/i18n", &why)) log_error("string tables: %s", why.c_str());
        ctx.flows = load_flow_content_file(assets + "/content/flows.json", &ctx.flows_error);
        if (!ctx.flows) log_error("content: %s", ctx.flows_error.c_str());

        int face = 0;
        std::string font = config.font_path.empty() ? find_cjk_font(&face) : config.font_path;
        if (font.empty()) log_error("no CJK font found (install fonts-wqy-microhei or set font_path)");
        else if (!ctx.fonts.load_file(font, face, &why)) log_error("%s", why.c_str());
        rebuild_fonts();

#define ADD_SCENE(id) scenes[size_t(SceneId::id)] = make_##id##_scene(ctx);
#include "scenes/scene_config.h"
#undef ADD_SCENE
        IdlePolicy policy{int64_t(config.idle_timeout_s) * 1000, int64_t(config.idle_countdown_s) * 1000};
        navigator = std::make_unique<Navigator>(
            clock, policy, [this](SceneId id) -> Scene& { return *scenes[size_t(id)]; },
            [this] {
                ctx.wipe_session();
                ctx.keyboard.reset();  // also drops the pinyin engine's learning: the next guest starts fresh
                ctx.scroll.reset();
                // The atlas shrinks back to what the attract screen needs: one
                // guest's characters do not accumulate over a day.
                ctx.fonts.forget_extras();
                fonts_shrink_due = true;
            });
        ctx.navigator = navigator.get();
        // Before anything asks for sync_options(): the heartbeat reads the printer's state.
        print_queue = std::make_unique<PrintQueue>(config.printer_path, clock, [this](std::function<void()> fn) {
            main_queue.post(std::move(fn));
        });
        ctx.printer = print_queue.get();
        if (!config.bench) print_queue->start();
        // Always there (screens may rely on ctx.crm); the bench measures screens, so it asks nothing.
        crm_requests = std::make_unique<offline_cache::CrmRequests>(clock, sync_options());
        crm_link = std::make_unique<CrmLink>(*crm_requests, [this](std::function<void()> fn) {
            main_queue.post(std::move(fn));
        });
        crm_client = std::make_unique<CrmClient>(*crm_link);
        ctx.crm = crm_client.get();
        if (!config.bench) crm_requests->start();
        navigator->start(SceneId::attract);
        if (auto screen = scene_from_name(config.start_screen); screen && *screen != SceneId::attract) {
            navigator->start(SceneId::home);
            navigator->push(*screen);
        }
        log_info("kiosk %s started: %dx%d, renderer %s, %zu glyphs", config.kiosk_id.c_str(), display->size().width,
                 display->size().height, ctx.renderer_name.c_str(), ctx.fonts.glyph_count());
        return true;
    }

    // The offline store: created on first start, checked (and if need be
    // salvaged) on every start. Opened right after the first frame is on the
    // glass — a guest cannot save anything in the first moments, and the lobby
    // sees the kiosk sooner — then the sync worker starts.
    void open_store_and_sync() {
        store_opened = true;
        std::string why;
        offline_cache::SelfCheckReport check;
        store = offline_cache::Store::open({config.data_dir}, clock, &check, &why);
        if (store) {
            ctx.store = store.get();
            // Answers a screen asks to keep (free slots) are written on the CRM worker, not here.
            crm_link->set_cache_writer([cache = &store->content(), &clock = clock](const std::string& name,
                                                                                 const std::string& body) {
                cache->put({name, body, "", clock.wall_ms()});
            });
            ctx.store_status = check.summary();
            if (check.corrupt) log_error("offline store: %s", ctx.store_status.c_str());
            else log_info("offline store %s: %s", store->path().c_str(), ctx.store_status.c_str());
        } else {
            ctx.store_status = why;
            log_error("offline store: %s", why.c_str());
        }
        if (store && use_cached_content()) rebuild_fonts();
        if (store && !config.bench) start_sync();
    }

    // Everything the CRM sent that the UI holds parsed: flows and translations
    // here; the screens reload their own (rewards, surveys, …) when
    // content_generation moves. True when new text may need new glyphs.
    bool use_cached_content() {
        use_cached_time_zone();
        bool changed = use_cached_flows();
        changed = use_cached_translations() || changed;
        ++ctx.content_generation;
        if (navigator) navigator->dispatch(SceneEvent{SceneEvent::Kind::content_changed, ""});
        return changed;
    }

    // The hospital's zone as the CRM names it; a name this machine does not
    // know is logged and the zone in use stays.
    void use_cached_time_zone() {
        auto cached = store->content().get("time_zone");
        if (!cached) return;
        nlohmann::json doc = nlohmann::json::parse(cached->body, nullptr, false);
        std::string zone = doc.is_object() && doc.contains("time_zone") && doc["time_zone"].is_string()
                               ? doc["time_zone"].get<std::string>()
                               : "";
        if (zone == ctx.crm_time_zone) return;
        if (!platform::is_valid_zone_name(zone) || !platform::zone_exists(zone)) {
            log_error("content from the CRM: time zone '%s' is unknown here; keeping %s", zone.size() <= 64 ? zone.c_str() : "(too long)",
                      ctx.calendar().zone().c_str());
            return;
        }
        ctx.crm_time_zone = zone;
        log_info("content: the hospital's time zone is %s%s", zone.c_str(),
                 config.time_zone.empty() ? "" : (" (the configuration's " + config.time_zone + " wins)").c_str());
    }

    bool use_cached_translations() {
        auto cached = store->content().get("translations");
        if (!cached || cached->etag == applied_translations_etag) return false;
        OverrideReport report;
        if (!ctx.strings.apply_overrides(cached->body, &report)) {
            log_error("content from the CRM: %s; keeping the current strings", report.error.c_str());
            return false;
        }
        applied_translations_etag = cached->etag;
        log_info("content: translations from the CRM: %d strings overridden, %d unknown keys ignored, %d refused",
                 report.applied, report.unknown_keys, report.refused);
        return true;
    }

    // The CRM's copy of the flows, when the cache holds one that parses, wins
    // over the built-in default; a bad copy is logged and the current flows stay.
    bool use_cached_flows() {
        auto cached = store->content().get("flows");
        if (!cached) return false;
        std::string why;
        auto flows = parse_flow_content(cached->body, &why);
        if (!flows) {
            log_error("content from the CRM: %s; keeping version %s", why.c_str(),
                      ctx.flows ? ctx.flows->version.c_str() : "none");
            return false;
        }
        if (ctx.flows && ctx.flows->version == flows->version) return false;
        ctx.flows = std::move(flows);
        ctx.flows_error.clear();
        log_info("content: flows version %s from the CRM", ctx.flows->version.c_str());
        return true;
    }

    // The sync worker reports on its own thread; the report reaches the UI
    // through the main-thread queue, which also wakes the loop to redraw.
    offline_cache::SyncOptions sync_options() const {
        offline_cache::SyncOptions options;
        options.crm_url = config.crm_url;
        options.kiosk_id = config.kiosk_id;
        options.secret = config.kiosk_secret;
        options.ca_file = config.ca_file;
        options.pinned_pubkey = config.pinned_pubkey;
        options.version = KIOSK_VERSION;
        options.image_cache_cap_bytes = int64_t(config.image_cache_mb) << 20;
        // A script must know when records leave: rounds only on its `sync` command.
        options.on_demand_only = !config.script_file.empty() && !config.live_sync;
        // The appliance's health (docs/deployment.md); read on the worker thread, so copies only.
        options.health = [started = platform::system_clock().monotonic_ms(), restarts = starts.restarts_since_boot,
                          watchdog = out_of_service ? "out_of_service" : notifier.watchdog_interval_ms() > 0 ? "on" : "off",
                          data_dir = config.data_dir] {
            offline_cache::ApplianceHealth h;
            h.uptime_s = (platform::system_clock().monotonic_ms() - started) / 1000;
            h.restarts_since_boot = restarts;
            std::error_code ec;
            auto space = std::filesystem::space(data_dir, ec);
            h.disk_free_mb = ec ? -1 : int64_t(space.available >> 20);
            h.watchdog = watchdog;
            return h;
        };
        if (!config.printer_path.empty())
            options.printer_state = [queue = print_queue.get()] {
                platform::PrinterStatus status = queue->state();
                return std::string(platform::printer_state_name(status.state)) +
                       (status.detail.empty() ? "" : ": " + status.detail);
            };
        return options;
    }

    void start_sync() {
        offline_cache::SyncOptions options = sync_options();
        sync = std::make_unique<offline_cache::SyncEngine>(
            *store, clock, options, [this](const offline_cache::SyncStatus& status) {
                uint64_t content = sync->content_version();
                main_queue.post([this, status, content] {
                    ctx.sync_status = status;
                    navigator->dispatch(SceneEvent{SceneEvent::Kind::sync_changed, ""});
                    if (content != seen_content_version) {
                        seen_content_version = content;
                        // Between frames (the queue runs before drawing): new text may need new glyphs.
                        if (use_cached_content() && display) rebuild_fonts();
                    }
                });
            });
        ctx.sync = sync.get();
        sync->start();
    }

    void rebuild_fonts() {
        std::string text = ctx.strings.all_text();
        if (ctx.flows) text += ctx.flows->all_text();
        platform::PixelSize size = display->size();
        float scale = std::max(0.4f, std::min(float(size.width) / 1920.0f, float(size.height) / 1080.0f));
        std::string why;
        if (!ctx.fonts.build(text, scale, &why)) log_error("%s", why.c_str());
        upload_fonts();
    }

    void upload_fonts() {
        display->upload_font_atlas();
        ImGui::GetIO().Fonts->ClearTexData();  // the GPU has it; the CPU copy would only cost memory
        malloc_trim(0);
    }

    void apply_style() {
        ImGuiStyle& style = ImGui::GetStyle();
        style.WindowRounding = 0;
        style.ScrollbarRounding = 8;
        style.Colors[ImGuiCol_ScrollbarBg] = ImVec4(0, 0, 0, 0.05f);
        style.Colors[ImGuiCol_ScrollbarGrab] = ImVec4(0.05f, 0.43f, 0.40f, 0.6f);
        style.TouchExtraPadding = ImVec2(4, 4);
    }

    // ---- one frame ------------------------------------------------------
    bool draw_frame(const char* png_path = nullptr) {
        int64_t now = clock.monotonic_ms();
        float dt = manual_time ? 1.0f / 60.0f : float(std::clamp<int64_t>(now - last_frame_ms, 1, 100)) / 1000.0f;
        last_frame_ms = now;
        pointer.apply(ImGui::GetIO());
        ImU32 background = palette(ctx.session.high_contrast).background;
        if (!ctx.session.high_contrast)
            background = scenes[size_t(navigator->current())]->background().value_or(background);
        display->set_clear_colour(background & 0xFF, (background >> 8) & 0xFF, (background >> 16) & 0xFF);
        if (fonts_shrink_due) {
            fonts_shrink_due = false;
            std::string why;
            if (!ctx.fonts.rebuild(&why)) log_error("%s", why.c_str());
            upload_fonts();
        }
        // A face that lacked a character discards its frame unseen; the atlas
        // grows and the same state is drawn again (navigation the discarded
        // frame caused has happened; the redraw shows its result). Bounded:
        // a frame needs at most a rebuild or two.
        if (navigator->current() != last_drawn) {
            // A new screen: its fields are not the old screen's, and nothing scrolls yet.
            last_drawn = navigator->current();
            ctx.keyboard.focus(nullptr, KeyboardKind::text, now);
            ctx.scroll.reset();
        }
        ctx.scroll.step(now);
        for (int attempt = 0;; ++attempt) {
            ctx.widgets.begin_frame();
            ctx.scroll.begin_frame();
            display->begin_frame(dt);
            if (out_of_service) {
                draw_out_of_service(ctx);
            } else {
                navigator->frame();
                ctx.keyboard.frame(ctx);
                if (auto left = navigator->countdown_seconds_left()) draw_idle_countdown(ctx, *left);
            }
            if (!ctx.fonts.needs_rebuild() || attempt == 3) break;
            ImGui::EndFrame();
            std::string why;
            if (!ctx.fonts.rebuild(&why)) log_error("%s", why.c_str());
            upload_fonts();
        }
        bool ok = display->end_frame(png_path);
        ++frames_drawn;
        if (first_frame_ms < 0) {
            first_frame_ms = platform::ms_since_process_start();
            // The first frame is on the glass: only now is the kiosk "started" for systemd.
            notifier.ready();
            notifier.status(out_of_service ? "out of service: crash loop" : "running");
        }
        if (!store_opened) open_store_and_sync();
        if (manual_time) manual_time->advance(16);
        return ok;
    }

    // ---- input ----------------------------------------------------------
    void handle(const platform::InputEvent& ev) {
        using Kind = platform::InputEvent::Kind;
        switch (ev.kind) {
            case Kind::pointer_down:
            case Kind::pointer_move:
            case Kind::pointer_up: {
                navigator->note_activity();
                pointer.push(ev);
                int64_t t = clock.monotonic_ms();
                if (ev.kind == Kind::pointer_down) ctx.scroll.pointer_down(ev.x, ev.y, t);
                else if (ev.kind == Kind::pointer_move) ctx.scroll.pointer_move(ev.x, ev.y, t);
                else ctx.scroll.pointer_up(t);
                float corner = kAdminCorner * ui_scale();
                bool in_corner = ev.x < corner && ev.y < corner;
                if (ev.kind == Kind::pointer_down && in_corner) {
                    corner_hold = true;
                    corner_hold_since_ms = clock.monotonic_ms();
                } else if (ev.kind == Kind::pointer_up || !in_corner) {
                    corner_hold = false;
                }
                break;
            }
            case Kind::key:
                navigator->note_activity();
                if (ev.key == platform::InputEvent::Key::escape) navigator->back();
                else if (ev.key == platform::InputEvent::Key::enter) deliver(wedge.enter(clock.monotonic_ms()));
                else if (ev.key == platform::InputEvent::Key::backspace && ctx.keyboard.focused())
                    ctx.keyboard.focused()->backspace();
                break;
            case Kind::text:
                navigator->note_activity();
                deliver(wedge.text(ev.text, clock.monotonic_ms()));
                break;
            case Kind::quit:
                ctx.quit_requested = true;
                break;
            case Kind::wake:
                break;
        }
    }

    // What the scanner wedge decided: a scan goes to the current screen as one
    // event (ignored where no screen wants it); typing goes to the focused field.
    void deliver(const std::vector<WedgeOutput>& outputs) {
        for (const WedgeOutput& out : outputs) {
            if (out.kind == WedgeOutput::Kind::scanned) {
                if (!navigator->dispatch(SceneEvent{SceneEvent::Kind::card_scanned, out.text}))
                    // Never the code itself: it may be a member's card number.
                    log_info("scan of %zu characters ignored on screen %s", out.text.size(),
                             scene_name(navigator->current()));
            } else if (out.kind == WedgeOutput::Kind::typed) {
                ctx.keyboard.type_text(out.text);
            } else if (out.kind == WedgeOutput::Kind::enter) {
                navigator->dispatch(SceneEvent{SceneEvent::Kind::enter_pressed, ""});
            }
        }
    }

    // Timers that may have come due: the staff gesture, held-back keys and the idle timeout.
    void run_timers() {
        deliver(wedge.flush(clock.monotonic_ms()));
        if (corner_hold && clock.monotonic_ms() - corner_hold_since_ms >= config.admin_hold_ms) {
            corner_hold = false;
            if (navigator->current() != SceneId::admin_pin && navigator->current() != SceneId::admin)
                navigator->push(SceneId::admin_pin);
        }
        navigator->tick();
    }

    // How long the loop may sleep: until the next timer or animation step;
    // -1 when nothing is scheduled (the loop then still wakes once a minute, cheaply).
    int next_wait_ms() const {
        int64_t wait = -1;
        auto sooner = [&wait](int64_t t) { wait = wait < 0 ? t : std::min(wait, t); };
        if (int64_t t = navigator->ms_until_next_tick(); t >= 0) sooner(t);
        if (int64_t t = scenes[size_t(navigator->current())]->ms_until_redraw(); t >= 0) sooner(t);
        if (ctx.scroll.animating() || ctx.keyboard.animating()) sooner(0);  // gliding or sliding: every frame
        if (int64_t t = wedge.ms_until_flush(clock.monotonic_ms()); t >= 0) sooner(t);
        if (int64_t t = ctx.session.signed_out_notice_until_ms - clock.monotonic_ms(); t > 0) sooner(t);  // the notice goes
        if (corner_hold) sooner(std::max<int64_t>(0, corner_hold_since_ms + config.admin_hold_ms - clock.monotonic_ms()));
        return wait < 0 ? -1 : int(std::min<int64_t>(wait, 60'000));
    }

    // ---- the loop -------------------------------------------------------
    struct LoopStats {
        uint64_t wakeups = 0;
        uint64_t frames = 0;
    };

    // Runs until quit, or until deadline_ms on the clock when >= 0, drawing
    // first_frames frames before it waits for anything.
    LoopStats run_loop(int64_t deadline_ms, int first_frames) {
        LoopStats stats;
        int frames_due = first_frames;
        std::vector<platform::InputEvent> events;
        std::optional<int> countdown_drawn = navigator->countdown_seconds_left();
        while (!ctx.quit_requested) {
            // A timer's deadline (the countdown's start and each of its
            // seconds, a screen's redraw, a held key): when the wait ends at or
            // after it, the picture is due. Without one the wait is only the
            // once-a-minute heartbeat, which draws nothing.
            int scheduled = next_wait_ms();
            int timeout = (frames_due > 0 || pointer.busy()) ? 0 : scheduled < 0 ? 60'000 : scheduled;
            // The watchdog's ping is due too: wake for it, but it is no timer of the
            // picture's, so it draws nothing (timer_due_at below ignores it).
            if (notifier.watchdog_interval_ms() > 0 && first_frame_ms >= 0)
                timeout = int(std::min<int64_t>(
                    timeout, std::max<int64_t>(0, next_ping_ms - platform::system_clock().monotonic_ms())));
            if (deadline_ms >= 0) {
                int64_t left = deadline_ms - clock.monotonic_ms();
                if (left <= 0) break;
                timeout = int(std::min<int64_t>(timeout, left));
            }
            int64_t timer_due_at = scheduled >= 0 ? clock.monotonic_ms() + scheduled : -1;
            events.clear();
            bool got = input.wait(timeout, events);
            ++stats.wakeups;
            // The loop itself vouches that it is alive: a hung handler or frame
            // below never reaches here again, and systemd stops hearing from it.
            ping_watchdog_if_due();
            for (auto& ev : events) handle(ev);
            if (main_queue.run_pending() > 0) got = true;
            SceneId before = navigator->current();
            // Asked before run_timers(): a deadline that passed while waiting
            // must draw even when the next one is already scheduled (the
            // countdown's next second is a whole second away the moment it starts).
            // (A deadline already due when the wait began counts too: it waited 0 ms.)
            bool timer_fired = timer_due_at >= 0 && clock.monotonic_ms() >= timer_due_at;
            run_timers();
            if (restart_due()) break;
            std::optional<int> countdown = navigator->countdown_seconds_left();
            // The countdown appears or goes away: a new window, given the frames a new screen gets.
            if (countdown.has_value() != countdown_drawn.has_value()) frames_due = std::max(frames_due, kFramesAfterInput);
            if (got) frames_due = std::max(frames_due, kFramesAfterInput);
            // A timer fired: its deadline has really passed (a wait can end a
            // millisecond early; drawing then would only draw the same picture).
            else if (timer_fired || countdown != countdown_drawn || navigator->current() != before)
                frames_due = std::max(frames_due, 1);
            countdown_drawn = countdown;
            if (ctx.scroll.animating() || ctx.keyboard.animating()) frames_due = std::max(frames_due, 1);
            if (frames_due > 0 || pointer.busy()) {
                SceneId drawn = navigator->current();
                draw_frame();
                ++stats.frames;
                --frames_due;
                if (navigator->current() != drawn) frames_due = std::max(frames_due, kFramesAfterInput);
            }
        }
        return stats;
    }

    // ---- the appliance ----------------------------------------------------
    void ping_watchdog_if_due() {
        // Not before READY: the kiosk is not "up" until its first frame is on the glass.
        if (notifier.watchdog_interval_ms() <= 0 || first_frame_ms < 0) return;
        int64_t now = platform::system_clock().monotonic_ms();
        if (now < next_ping_ms) return;
        notifier.ping();
        next_ping_ms = now + notifier.watchdog_interval_ms();
    }

    // Honoured only when no guest is using the kiosk (or it is out of service,
    // or has been long enough to try again).
    bool restart_due() {
        if (out_of_service && platform::system_clock().monotonic_ms() - out_of_service_since_ms >= kOutOfServiceRetryMs)
            restart_requested = true;
        if (!restart_requested) return false;
        if (!out_of_service && navigator->current() != SceneId::attract) return false;
        log_info("restarting at an idle moment, as asked");
        notifier.stopping();
        return true;
    }

    // Runs on the UI thread (posted by the control-signal thread).
    void on_control_signal(int signo) {
        if (signo == SIGUSR1) {
            restart_requested = true;
            log_info("restart requested: at the next return to the attract screen");
            notifier.status("restart requested: waiting for the guest to finish");
        } else if (signo == SIGHUP) {
            notifier.reloading();
            bool restart_needed = false;
            std::string why = reload ? reload(&restart_needed) : std::string("no configuration to reload");
            if (!why.empty()) {
                log_error("configuration not reloaded: %s", why.c_str());
                notifier.status("configuration not reloaded: " + why);
            } else {
                navigator->set_policy(IdlePolicy{int64_t(config.idle_timeout_s) * 1000,
                                                 int64_t(config.idle_countdown_s) * 1000});
                if (navigator->current() == SceneId::attract) ctx.wipe_session();  // the new defaults show at once
                if (restart_needed) restart_requested = true;
                log_info("configuration reloaded%s", restart_needed ? "; restart at the next idle moment" : "");
                notifier.status(restart_needed ? "configuration reloaded: restart requested"
                                               : "configuration reloaded");
            }
            notifier.ready();  // after RELOADING=1 systemd waits for READY=1 again
        } else if (signo == SIGUSR2 && config.test_hooks) {
            // Tests only: the UI thread hangs here for good; the watchdog must notice.
            log_warn("test hook: hanging the UI thread");
            for (;;) pause();
        }
    }

    void start_control_signals() {
        control = std::make_unique<platform::ControlSignals>(
            std::initializer_list<int>{SIGHUP, SIGUSR1, SIGUSR2},
            [this](int signo) { main_queue.post([this, signo] { on_control_signal(signo); }); });
    }

    // ---- scripts --------------------------------------------------------
    void frames(int n) {
        for (int i = 0; i < n; ++i) {
            run_timers();
            draw_frame();
        }
    }

    void pointer_event(platform::InputEvent::Kind kind, float x, float y) {
        platform::InputEvent ev;
        ev.kind = kind;
        ev.x = x;
        ev.y = y;
        ev.at_ms = clock.monotonic_ms();
        handle(ev);
    }

    void settle() {
        // Let queued pointer transitions reach ImGui, then the navigation they cause.
        int guard = 0;
        while (pointer.busy() && guard++ < 32) frames(1);
        frames(kFramesAfterInput);
        // And let a sliding keyboard or a gliding page come to rest, so the
        // next tap finds widgets where a finger would (bounded: ~3 s of frames).
        while ((ctx.keyboard.animating() || ctx.scroll.animating()) && guard++ < 200) frames(1);
        // A question to the CRM is open: the script waits for its answer as a
        // guest would (each bounded by the request's own timeout), then lets
        // the answer reach the screen. An answer may ask again: bounded rounds.
        for (int round = 0; crm_link && crm_link->busy() && round < 8; ++round) {
            crm_requests->wait_idle(offline_cache::kInteractiveTotalTimeoutMs + 1000);
            main_queue.run_pending();
            frames(kFramesAfterInput);
        }
        // The same for the printer: a slip on its way or a status query (each
        // bounded by the printer's own timeouts), then the outcome on screen.
        for (int round = 0; print_queue && round < 4; ++round) {
            print_queue->wait_idle(15'000);
            if (main_queue.run_pending() == 0 && !print_queue->busy()) break;
            frames(kFramesAfterInput);
        }
    }

    int run_script(const std::vector<ScriptCommand>& script) {
        using Op = ScriptCommand::Op;
        using Kind = platform::InputEvent::Kind;
        frames(kFramesAfterInput);
        for (const ScriptCommand& c : script) {
            auto fail = [&](const std::string& why) {
                std::fprintf(stderr, "kiosk: script line %d: %s\n", c.line, why.c_str());
                return 1;
            };
            switch (c.op) {
                case Op::tap: {
                    const WidgetRecord* w = ctx.widgets.find(c.text);
                    if (!w) return fail("no widget '" + c.text + "' on screen " + scene_name(navigator->current()));
                    float x = (w->min.x + w->max.x) / 2, y = (w->min.y + w->max.y) / 2;
                    pointer_event(Kind::pointer_down, x, y);
                    pointer_event(Kind::pointer_up, x, y);
                    settle();
                    break;
                }
                case Op::tap_at:
                    pointer_event(Kind::pointer_down, c.x1, c.y1);
                    pointer_event(Kind::pointer_up, c.x1, c.y1);
                    settle();
                    break;
                case Op::hold_at:
                    pointer_event(Kind::pointer_down, c.x1, c.y1);
                    frames(2);
                    if (manual_time) manual_time->advance(c.amount);
                    frames(1);
                    pointer_event(Kind::pointer_up, c.x1, c.y1);
                    settle();
                    break;
                case Op::drag: {
                    pointer_event(Kind::pointer_down, c.x1, c.y1);
                    frames(1);
                    const int steps = 10;
                    for (int i = 1; i <= steps; ++i) {
                        pointer_event(Kind::pointer_move, c.x1 + (c.x2 - c.x1) * float(i) / steps,
                                      c.y1 + (c.y2 - c.y1) * float(i) / steps);
                        frames(1);
                    }
                    pointer_event(Kind::pointer_up, c.x2, c.y2);
                    settle();
                    break;
                }
                case Op::type:
                case Op::scan: {
                    // Through the same wedge as real keys: a person types a key
                    // every 150 ms, a scanner every 5 ms and ends with Enter.
                    int64_t gap = c.op == Op::type ? 150 : 5;
                    platform::for_each_code_point(c.text, [&](uint32_t cp) {
                        platform::InputEvent ev;
                        ev.kind = Kind::text;
                        platform::append_utf8(ev.text, cp);
                        handle(ev);
                        if (manual_time) manual_time->advance(gap);
                    });
                    if (c.op == Op::scan) {
                        platform::InputEvent enter;
                        enter.kind = Kind::key;
                        enter.key = platform::InputEvent::Key::enter;
                        handle(enter);
                    }
                    if (manual_time) manual_time->advance(200);
                    settle();
                    break;
                }
                case Op::key: {
                    platform::InputEvent ev;
                    ev.kind = Kind::key;
                    ev.key = c.text == "enter"    ? platform::InputEvent::Key::enter
                           : c.text == "escape"   ? platform::InputEvent::Key::escape
                                                  : platform::InputEvent::Key::backspace;
                    handle(ev);
                    settle();
                    break;
                }
                case Op::wait_frames: frames(int(c.amount)); break;
                case Op::wait_ms:
                    if (!manual_time) return fail("wait in time needs the script clock");
                    // Move time in steps no longer than a second so every
                    // deadline on the way (each countdown second) is seen.
                    for (int64_t left = c.amount; left > 0; left -= 1000) {
                        manual_time->advance(std::min<int64_t>(left, 1000));
                        frames(1);
                    }
                    frames(1);
                    break;
                case Op::expect_screen:
                    if (c.text != scene_name(navigator->current()))
                        return fail("expected screen " + c.text + ", but " + scene_name(navigator->current()) +
                                    " is showing");
                    break;
                case Op::expect_visible:
                    if (!ctx.widgets.find(c.text)) return fail("'" + c.text + "' is not visible");
                    break;
                case Op::expect_hidden:
                    if (ctx.widgets.find(c.text)) return fail("'" + c.text + "' is visible");
                    break;
                case Op::expect_outbox: {
                    if (!store) return fail("no offline store");
                    int64_t depth = store->outbox().stats().depth();
                    if (depth != c.amount)
                        return fail("expected " + std::to_string(c.amount) + " records in the outbox, found " +
                                    std::to_string(depth));
                    break;
                }
                case Op::sync: {
                    if (!sync) return fail("sync needs the offline store");
                    uint64_t done = sync->rounds_completed();
                    sync->sync_now();
                    // Bounded: every request of the round ends within its own timeout.
                    if (!sync->wait_for_round(done, 60'000)) return fail("the sync round did not finish in 60 s");
                    main_queue.run_pending();
                    settle();
                    break;
                }
                case Op::await_visible: {
                    // Bounded in real time; each step waits on the loop's own wait (input or a
                    // worker's message wakes it), then lets answers reach the screen.
                    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(c.amount);
                    std::vector<platform::InputEvent> ignored;
                    while (!ctx.widgets.find(c.text)) {
                        if (std::chrono::steady_clock::now() >= deadline)
                            return fail("'" + c.text + "' did not appear within " + std::to_string(c.amount / 1000) + " s");
                        ignored.clear();
                        input.wait(100, ignored);
                        main_queue.run_pending();
                        if (manual_time) manual_time->advance(200);
                        settle();
                    }
                    break;
                }
                case Op::expect_countdown:
                    if (!navigator->countdown_seconds_left()) return fail("no idle countdown is showing");
                    break;
                case Op::screenshot:
                    if (!draw_frame(c.text.c_str())) return fail(display->last_error());
                    break;
            }
            if (ctx.quit_requested) break;
        }
        return 0;
    }

    // ---- --bench ----------------------------------------------------------
    // Three offers for every guest, each with a 640×360 picture, valid now.
    void put_bench_promotions() {
        nlohmann::json offers = nlohmann::json::array();
        int64_t now = clock.wall_ms();
        for (int i = 1; i <= 3; ++i) {
            std::vector<unsigned char> rgba(640 * 360 * 4);
            for (size_t px = 0; px < rgba.size() / 4; ++px) {
                rgba[px * 4 + 0] = (unsigned char)(40 * i);
                rgba[px * 4 + 1] = (unsigned char)(px / 640 * 255 / 360);
                rgba[px * 4 + 2] = (unsigned char)(px % 640 * 255 / 640);
                rgba[px * 4 + 3] = 255;
            }
            std::string id = "bench-" + std::to_string(i);
            store->content().put({"image/" + id, platform::encode_png_rgba(640, 360, rgba.data()), "\"bench\"", now});
            nlohmann::json text;
            for (Lang lang : kAllLangs) text[lang_code(lang)] = ctx.strings.get(lang, "tile.promotions");
            offers.push_back({{"id", id}, {"priority", i}, {"tiers", nlohmann::json::array()},
                              {"valid_from_ms", now - 86'400'000}, {"valid_until_ms", now + 86'400'000},
                              {"image", id}, {"title", text}, {"body", text}});
        }
        store->content().put({"promotions", nlohmann::json{{"version", "bench"}, {"promotions", offers}}.dump(), "\"bench\"", now});
        ++ctx.content_generation;
    }

    int run_bench() {
        using steady = std::chrono::steady_clock;
        draw_frame();
        std::printf("first_frame_ms: %lld\n", static_cast<long long>(first_frame_ms));
        std::printf("renderer: %s\n", ctx.renderer_name.c_str());
        std::printf("display: %dx%d\n", display->size().width, display->size().height);
        // Every screen, and the idle attract screen below, with offers and
        // pictures on them, as a hospital runs them: sample ones when the
        // cache holds none (removed again at the end).
        bool bench_offers = store && !store->content().get("promotions");
        if (bench_offers) put_bench_promotions();
        ctx.promotions.selected = bench_offers ? "bench-3" : "";
        const int kFrames = 120;
        double worst_p99 = 0;
        for (int i = 0; i < kSceneCount; ++i) {
            SceneId id = SceneId(i);
            navigator->start(SceneId::home);
            if (id != SceneId::home) navigator->push(id);
            for (int w = 0; w < 5; ++w) draw_frame();
            std::vector<double> ms;
            for (int f = 0; f < kFrames; ++f) {
                auto t0 = steady::now();
                draw_frame();
                ms.push_back(std::chrono::duration<double, std::milli>(steady::now() - t0).count());
            }
            double p99 = percentile(ms, 0.99);
            worst_p99 = std::max(worst_p99, p99);
            std::printf("frame_ms_p50.%s: %.2f\n", scene_name(id), percentile(ms, 0.50));
            std::printf("frame_ms_p99.%s: %.2f\n", scene_name(id), p99);
        }
        std::printf("frame_ms_p99.worst: %.2f\n", worst_p99);
        std::printf("font_atlas_bytes.after_every_screen: %zu\n", ctx.fonts.atlas_bytes());
        std::printf("font_glyphs.body: %zu\n", ctx.fonts.glyph_count());

        // The idle attract screen, through the real loop and the real wait,
        // as the lobby sees it between guests: the session has ended.
        navigator->end_session();
        run_loop(clock.monotonic_ms() + 2000, kFramesAfterInput);  // let the first frames after the switch settle
        const int64_t idle_ms = 10'000;
        int64_t cpu0 = platform::cpu_time_ms();
        int64_t t0 = clock.monotonic_ms();
        LoopStats idle = run_loop(t0 + idle_ms, 0);
        double seconds = double(clock.monotonic_ms() - t0) / 1000.0;
        std::printf("attract_wakeups_per_s: %.2f\n", double(idle.wakeups) / seconds);
        std::printf("attract_frames_per_s: %.2f\n", double(idle.frames) / seconds);
        std::printf("attract_cpu_percent: %.2f\n", 100.0 * double(platform::cpu_time_ms() - cpu0) / 1000.0 / seconds);
        std::printf("font_atlas_bytes.idle: %zu\n", ctx.fonts.atlas_bytes());
        std::printf("attract_promotions: %zu\n", ctx.promotions.offers(ctx).promotions.size());
        std::printf("promotion_texture_bytes: %zu\n", ctx.promotions.stats().texture_bytes);
        if (bench_offers) {
            for (const char* name : {"promotions", "image/bench-1", "image/bench-2", "image/bench-3"})
                store->content().remove(name);
            ++ctx.content_generation;
        }
        std::fflush(stdout);
        offline_cache::run_offline_cache_benchmarks(config.data_dir + "/bench-scratch", std::cout);
        std::cout.flush();
        std::printf("peak_rss_kb: %lld\n", static_cast<long long>(platform::peak_rss_kb()));
        std::printf("pss_kb.after_bench: %lld\n", static_cast<long long>(platform::current_pss_kb()));
        std::fflush(stdout);
        return 0;
    }
};

App::App(const KioskConfig& config, platform::Clock& clock) : impl_(std::make_unique<Impl>(config, clock)) {}
App::~App() = default;

int App::run(const std::vector<ScriptCommand>& script, Reloader reload) {
    impl_->reload = std::move(reload);
    std::string error;
    if (!impl_->start(&error)) {
        std::fprintf(stderr, "kiosk: cannot start the display: %s\n", error.c_str());
        return 1;
    }
    if (impl_->config.bench) return impl_->run_bench();
    int status = 0;
    if (!script.empty() || !impl_->config.screenshot_file.empty()) {
        status = impl_->run_script(script);
        if (status == 0 && !impl_->config.screenshot_file.empty()) {
            impl_->frames(2);
            if (!impl_->draw_frame(impl_->config.screenshot_file.c_str())) {
                std::fprintf(stderr, "kiosk: screenshot: %s\n", impl_->display->last_error().c_str());
                status = 1;
            }
        }
        return status;
    }
    impl_->start_control_signals();
    impl_->run_loop(-1, kFramesAfterInput);
    // A quit or an honoured restart request is a clean exit, not a crash.
    record_clean_exit(impl_->config.data_dir + "/starts", current_boot_id(), platform::system_clock().wall_ms());
    log_info("kiosk exiting");
    return 0;
}

}  // namespace kiosk
