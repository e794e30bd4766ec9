# Debian packages: `make package` (cpack -G DEB in build/).
#
# CPack's DEB generator rather than a debian/ directory: the install rules
# below are the one description of what goes where, CMake already knows every
# target, `dpkg-shlibdeps` still computes the dependencies from the real
# shared libraries (CPACK_DEBIAN_PACKAGE_SHLIBDEPS), and the build needs no
# debhelper toolchain. The maintainer scripts are plain sh in packaging/deb/.
#
#   lobby-kiosk      /usr/bin/lobby-kiosk, /usr/share/lobby-kiosk (assets),
#                    /etc/lobby-kiosk/kiosk.conf (conffile), the units, user `kiosk`,
#                    /var/lib/lobby-kiosk (0700)
#   lobby-kiosk-crm  /usr/bin/lobby-kiosk-crm, /etc/lobby-kiosk-crm/, its unit,
#                    user `lobby-kiosk-crm`, /var/lib/lobby-kiosk-crm (0700)
set(PACKAGING_DIR ${CMAKE_CURRENT_LIST_DIR})
# Debian wants the changelog gzip'd with no timestamp (gzip -9n) in each package's doc dir.
execute_process(COMMAND gzip -9nc ${PACKAGING_DIR}/changelog OUTPUT_FILE ${CMAKE_BINARY_DIR}/changelog.gz)

# Stripped copies under their installed names (Debian ships no debug symbols in
# the binary package; CPACK_STRIP_FILES strips install(TARGETS) only).
add_custom_command(OUTPUT ${CMAKE_BINARY_DIR}/package-bin/lobby-kiosk
                   COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/package-bin
                   COMMAND strip --strip-unneeded --remove-section=.comment --remove-section=.note
                           -o ${CMAKE_BINARY_DIR}/package-bin/lobby-kiosk $<TARGET_FILE:kiosk>
                   DEPENDS kiosk VERBATIM)
set(PACKAGE_BINARIES ${CMAKE_BINARY_DIR}/package-bin/lobby-kiosk)
if(TARGET crm-server)
  add_custom_command(OUTPUT ${CMAKE_BINARY_DIR}/package-bin/lobby-kiosk-crm
                     COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/package-bin
                     COMMAND strip --strip-unneeded --remove-section=.comment --remove-section=.note
                             -o ${CMAKE_BINARY_DIR}/package-bin/lobby-kiosk-crm $<TARGET_FILE:crm-server>
                     DEPENDS crm-server VERBATIM)
  list(APPEND PACKAGE_BINARIES ${CMAKE_BINARY_DIR}/package-bin/lobby-kiosk-crm)
endif()
add_custom_target(package_binaries ALL DEPENDS ${PACKAGE_BINARIES})

install(PROGRAMS ${CMAKE_BINARY_DIR}/package-bin/lobby-kiosk DESTINATION bin COMPONENT kiosk)
install(DIRECTORY ${KIOSK_SOURCE_DIR}/assets/ DESTINATION share/lobby-kiosk COMPONENT kiosk
        FILE_PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ
        DIRECTORY_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
install(FILES ${PACKAGING_DIR}/etc/kiosk.conf DESTINATION /etc/lobby-kiosk COMPONENT kiosk)
install(FILES ${PACKAGING_DIR}/systemd/lobby-kiosk.service ${PACKAGING_DIR}/systemd/lobby-kiosk-console.service
        DESTINATION /lib/systemd/system COMPONENT kiosk)
install(FILES ${KIOSK_SOURCE_DIR}/docs/deployment.md ${KIOSK_SOURCE_DIR}/docs/configuration.md
        DESTINATION share/doc/lobby-kiosk COMPONENT kiosk)
install(FILES ${PACKAGING_DIR}/copyright ${CMAKE_BINARY_DIR}/changelog.gz DESTINATION share/doc/lobby-kiosk COMPONENT kiosk)

if(TARGET crm-server)
  install(PROGRAMS ${CMAKE_BINARY_DIR}/package-bin/lobby-kiosk-crm DESTINATION bin COMPONENT crm)
  install(DIRECTORY DESTINATION /etc/lobby-kiosk-crm COMPONENT crm)
  install(FILES ${PACKAGING_DIR}/systemd/lobby-kiosk-crm.service DESTINATION /lib/systemd/system COMPONENT crm)
  install(FILES ${KIOSK_SOURCE_DIR}/docs/crm-api.md ${PACKAGING_DIR}/copyright ${CMAKE_BINARY_DIR}/changelog.gz
          DESTINATION share/doc/lobby-kiosk-crm COMPONENT crm)
endif()

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "Lobby Kiosk team <kiosk@hospital.example>")
set(CPACK_PACKAGE_VENDOR "Lobby Kiosk")
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL kiosk crm)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS OFF)
# Installed files: owned by root, readable by all (the secrets are made by the postinst, 0600).
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)

set(CPACK_DEBIAN_KIOSK_PACKAGE_NAME lobby-kiosk)
set(CPACK_DEBIAN_KIOSK_DESCRIPTION "self-service touch kiosk for hospital lobbies
A full-screen touch kiosk (SDL2, Dear ImGui) for hospital lobbies: visit and
complaint flows, feedback, bookings, member points, in four languages. It
runs without a desktop under the cage compositor or on the bare console,
watched by systemd, and keeps working offline.")
# cage and xwayland for the default unit; fonts the kiosk finds through fontconfig.
set(CPACK_DEBIAN_KIOSK_PACKAGE_DEPENDS "adduser, init-system-helpers (>= 1.54~), cage, fonts-wqy-microhei")
set(CPACK_DEBIAN_KIOSK_PACKAGE_RECOMMENDS "xwayland")
set(CPACK_DEBIAN_KIOSK_PACKAGE_CONTROL_EXTRA
    "${PACKAGING_DIR}/deb/lobby-kiosk/postinst;${PACKAGING_DIR}/deb/lobby-kiosk/prerm;${PACKAGING_DIR}/deb/lobby-kiosk/postrm;${PACKAGING_DIR}/deb/lobby-kiosk/conffiles")
set(CPACK_DEBIAN_KIOSK_PACKAGE_CONTROL_STRICT_PERMISSION ON)

set(CPACK_DEBIAN_CRM_PACKAGE_NAME lobby-kiosk-crm)
set(CPACK_DEBIAN_CRM_DESCRIPTION "reference central CRM for the lobby kiosks
The hospital's side of the lobby kiosks' contract: signed kiosk requests,
the outbox batch intake, content, members, bookings and staff lists, on
SQLite, watched by systemd.")
set(CPACK_DEBIAN_CRM_PACKAGE_DEPENDS "adduser, init-system-helpers (>= 1.54~)")
set(CPACK_DEBIAN_CRM_PACKAGE_CONTROL_EXTRA
    "${PACKAGING_DIR}/deb/lobby-kiosk-crm/postinst;${PACKAGING_DIR}/deb/lobby-kiosk-crm/prerm;${PACKAGING_DIR}/deb/lobby-kiosk-crm/postrm")
set(CPACK_DEBIAN_CRM_PACKAGE_CONTROL_STRICT_PERMISSION ON)

include(CPack)
