// kiosk/app/help_call.h — a guest's call for help, from any screen.
//
// One tap (help.call in the bottom bar, on the attract screen, or the offer
// after three failed attempts) saves a "help" record in the outbox's priority
// lane — the screen it came from and nothing else: no name, card or phone —
// wakes the sync worker so it leaves at once, and shows the help screen. The
// record's idempotency key is the CRM's help request id; the help screen asks
// the CRM about it (GET /api/v1/help/{id}) on the CRM request worker.
//
// Index
//   call_for_help(ctx)    UI thread: call staff (once per session while a call is unanswered) and show the help screen
//   help_payload(screen)  the record's payload: {"screen": "<name>"}
#pragma once

#include <string>

namespace kiosk {

struct KioskContext;

void call_for_help(KioskContext& ctx);
std::string help_payload(const std::string& screen);

}  // namespace kiosk
