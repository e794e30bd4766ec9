// kiosk/scenes/scene_config.h — THE list of screens. A new screen is one line.
//
// ADD_SCENE(id): `id` is the name used by --screen, scripts and the navigator.
// A file in kiosk/scenes/ implements the screen as a kiosk::Scene
// (kiosk/app/scene.h) and defines its factory make_<id>_scene. This list is
// included with different ADD_SCENE definitions to make the SceneId enum, the
// name table and the scene objects, so nothing else needs to change.
ADD_SCENE(attract)         // while nobody uses the kiosk; tap anywhere to start
ADD_SCENE(home)            // one tile per function
ADD_SCENE(visit_flow)      // 就诊流程, with the VIP path beside the ordinary one
ADD_SCENE(complaint_flow)  // 投诉流程, each stage with its promised time
ADD_SCENE(feedback)        // 意见反馈: four faces, one tap is an answer; follow-ups; a receipt code
ADD_SCENE(survey)          // 满意度调查: the CRM's versioned survey, ending with "would you recommend us?"
ADD_SCENE(complaint)       // 投诉: how it is handled, the form, a ticket number with a QR code at once
ADD_SCENE(complaint_status)  // 投诉查询: a ticket's stages, and whether the guest is satisfied once resolved
ADD_SCENE(promotions)      // offers & events from the CRM: members' own first, each saying why
ADD_SCENE(promotion_detail)  // one offer: picture, text, a QR code to read more or sign up on the phone
ADD_SCENE(booking)         // 复诊预约: department → doctor → day → time → who → confirm → code and QR
ADD_SCENE(booking_manage)  // my booking: look up by code (or a member's list), move or cancel
ADD_SCENE(admin_pin)       // staff PIN after the hidden corner gesture
ADD_SCENE(admin)           // staff mode: version, uptime, data, content and language coverage, exit
ADD_SCENE(admin_input)     // staff: try the touch screen, keyboards, card/QR scanner and QR codes
ADD_SCENE(admin_printer)   // staff: the receipt printer's state, a test slip printed and drawn
ADD_SCENE(members)         // member sign-in: scan the card or phone QR code, or type the number; then the PIN
ADD_SCENE(member_points)   // My points: balance (hidden until tapped), tier, expiring points, points by month, history
ADD_SCENE(member_redeem)   // redeem a reward (points, points + cash voucher) or give points to another member
ADD_SCENE(help)            // 需要帮助: a call for help sent ahead of everything, where the staffed desk is, when staff answered
