# The kiosk app. Two libraries so that the rules and the navigator build and
# test without SDL or ImGui:
#   kiosk_core — config, string tables, content, navigator, scripts, privacy rules (no SDL, no ImGui)
#   kiosk_ui   — fonts, widgets, chrome, scenes and the App loop (ImGui + platform)
pkg_check_modules(FONTCONFIG REQUIRED IMPORTED_TARGET fontconfig)

add_library(kiosk_core STATIC
  ${CMAKE_CURRENT_LIST_DIR}/i18n/lang.cpp
  ${CMAKE_CURRENT_LIST_DIR}/i18n/strings.cpp
  ${CMAKE_CURRENT_LIST_DIR}/content/flows.cpp
  ${CMAKE_CURRENT_LIST_DIR}/content/help_desk.cpp
  ${CMAKE_CURRENT_LIST_DIR}/app/config.cpp
  ${CMAKE_CURRENT_LIST_DIR}/app/secrets.cpp
  ${CMAKE_CURRENT_LIST_DIR}/app/start_log.cpp
  ${CMAKE_CURRENT_LIST_DIR}/app/navigator.cpp
  ${CMAKE_CURRENT_LIST_DIR}/app/script.cpp
  ${CMAKE_CURRENT_LIST_DIR}/app/print_queue.cpp
  ${CMAKE_CURRENT_LIST_DIR}/domain/member_rules.cpp
  ${CMAKE_CURRENT_LIST_DIR}/domain/feedback_rules.cpp
  ${CMAKE_CURRENT_LIST_DIR}/domain/complaint_rules.cpp
  ${CMAKE_CURRENT_LIST_DIR}/domain/guest_codes.cpp
  ${CMAKE_CURRENT_LIST_DIR}/domain/paper_slips.cpp
  ${CMAKE_CURRENT_LIST_DIR}/content/feedback_content.cpp
  ${CMAKE_CURRENT_LIST_DIR}/domain/promotion_rules.cpp
  ${CMAKE_CURRENT_LIST_DIR}/domain/booking_rules.cpp
  ${CMAKE_CURRENT_LIST_DIR}/domain/calendar.cpp
  ${CMAKE_CURRENT_LIST_DIR}/voice/voice_guide.cpp)
target_include_directories(kiosk_core PUBLIC ${CMAKE_CURRENT_LIST_DIR})
find_package(OpenSSL REQUIRED)  # member rules (card cache key HMAC, offline PIN hash PBKDF2), booking rules (guest person hash)
target_link_libraries(kiosk_core PUBLIC platform_core crm_contract nlohmann_json::nlohmann_json OpenSSL::Crypto)
target_compile_definitions(kiosk_core PUBLIC KIOSK_VERSION="${PROJECT_VERSION}")

file(GLOB KIOSK_SCENE_SOURCES CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/scenes/*.cpp)
add_library(kiosk_ui STATIC
  ${CMAKE_CURRENT_LIST_DIR}/ui/fonts.cpp
  ${CMAKE_CURRENT_LIST_DIR}/ui/widgets.cpp
  ${CMAKE_CURRENT_LIST_DIR}/ui/chrome.cpp
  ${CMAKE_CURRENT_LIST_DIR}/ui/flow_diagram.cpp
  ${CMAKE_CURRENT_LIST_DIR}/ui/touch_keyboard.cpp
  ${CMAKE_CURRENT_LIST_DIR}/ui/touch_scroll.cpp
  ${CMAKE_CURRENT_LIST_DIR}/ui/slip_view.cpp
  ${CMAKE_CURRENT_LIST_DIR}/ui/faces.cpp
  ${CMAKE_CURRENT_LIST_DIR}/ui/promotion_board.cpp
  ${CMAKE_CURRENT_LIST_DIR}/app/app.cpp
  ${CMAKE_CURRENT_LIST_DIR}/app/booking_ledger.cpp
  ${CMAKE_CURRENT_LIST_DIR}/app/help_call.cpp
  ${CMAKE_CURRENT_LIST_DIR}/app/crm_client.cpp
  ${KIOSK_SCENE_SOURCES})
target_link_libraries(kiosk_ui PUBLIC kiosk_core kiosk_touch platform offline_cache PkgConfig::FONTCONFIG)
target_compile_definitions(kiosk_ui PUBLIC KIOSK_ASSETS_DIR="${KIOSK_SOURCE_DIR}/assets")

add_executable(kiosk ${CMAKE_CURRENT_LIST_DIR}/main.cpp)
target_link_libraries(kiosk PRIVATE kiosk_ui)
