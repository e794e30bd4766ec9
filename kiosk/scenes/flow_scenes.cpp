// The hospital's two flow charts: the visit flow (就诊流程, ordinary and VIP
// paths side by side) and the complaint flow (投诉流程, each stage with the
// time promised for it). One scene class; the content picks the flow.
#include "app/kiosk_context.h"
#include "scenes/scenes.h"
#include "ui/flow_diagram.h"

namespace kiosk {

namespace {

class FlowScene final : public Scene {
public:
    FlowScene(KioskContext& ctx, Flow FlowContent::*which) : ctx_(ctx), which_(which) {}
    void on_frame() override {
        ScreenArea area = begin_screen(ctx_, Bars::top_and_bottom);
        if (ctx_.flows) draw_flow_screen(ctx_, (*ctx_.flows).*which_, area);
        else draw_content_error(ctx_, area, ctx_.flows_error);
        end_screen(ctx_, Bars::top_and_bottom);
    }

private:
    KioskContext& ctx_;
    Flow FlowContent::*which_;
};

}  // namespace

std::unique_ptr<Scene> make_visit_flow_scene(KioskContext& ctx) {
    return std::make_unique<FlowScene>(ctx, &FlowContent::visit);
}
std::unique_ptr<Scene> make_complaint_flow_scene(KioskContext& ctx) {
    return std::make_unique<FlowScene>(ctx, &FlowContent::complaint);
}

}  // namespace kiosk
