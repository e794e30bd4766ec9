// kiosk/ui/flow_diagram.h — a flow (visit or complaint) drawn as a step diagram:
// numbered boxes joined by arrows, one row of boxes per lane, the VIP lane in
// gold beside the ordinary one. Drawn from data, so every language renders and
// the CRM can replace the content.
//
// Index
//   draw_flow_screen(ctx, flow, area)       the whole content area: title, intro, lanes (scrolls when taller than area)
//   draw_content_error(ctx, area, detail)   what a guest sees when content could not be loaded (detail: for staff)
#pragma once

#include "content/flows.h"
#include "ui/chrome.h"

namespace kiosk {

struct KioskContext;

void draw_flow_screen(KioskContext& ctx, const Flow& flow, const ScreenArea& area);
void draw_content_error(KioskContext& ctx, const ScreenArea& area, const std::string& detail);

}  // namespace kiosk
