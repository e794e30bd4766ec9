// kiosk/ui/slip_view.h — a receipt slip drawn on screen as it will come out
// of the printer: the same platform::Slip the printer gets, on a paper-white
// strip 48 columns wide. Screens show it before printing (and when there is
// no printer, as the thing to photograph); `make screenshots` renders it.
//
// Index
//   slip_height(ctx, slip, width)              how tall draw_slip will draw it
//   draw_slip(ctx, slip, top_left, width)      draw it; returns its height
#pragma once

#include <imgui.h>

#include "platform/receipt_printer.h"

namespace kiosk {

struct KioskContext;

float slip_height(KioskContext& ctx, const platform::Slip& slip, float width);
float draw_slip(KioskContext& ctx, const platform::Slip& slip, ImVec2 top_left, float width);

}  // namespace kiosk
