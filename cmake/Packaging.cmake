# The Debian package (`make deb`, CPack's DEB generator): the switchyard
# binary, its systemd unit, a default config in /etc/switchyard, the bundled
# templates in /usr/share/switchyard, and maintainer scripts that create the
# system user and enable the unit as debhelper would (packaging/debian/).
# Installing needs only what was built: `make deb` builds the one binary, and
# the package test packs the test build's binary without building anything else.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)
set(CMAKE_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
set(SWITCHYARD_PACKAGING_DIR ${CMAKE_SOURCE_DIR}/packaging)

install(TARGETS switchyard RUNTIME DESTINATION bin)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/templates/bundled/ DESTINATION share/switchyard/templates)
install(FILES ${SWITCHYARD_PACKAGING_DIR}/switchyard.yml DESTINATION /etc/switchyard)
install(FILES ${SWITCHYARD_PACKAGING_DIR}/switchyard.service DESTINATION /lib/systemd/system)

# Debian's documentation files: copyright, and the changelog compressed as
# policy asks (gzip -9, no name or time stamp in it, so builds are reproducible).
configure_file(${SWITCHYARD_PACKAGING_DIR}/debian/changelog.in ${CMAKE_BINARY_DIR}/packaging/changelog @ONLY)
find_program(SWITCHYARD_GZIP gzip REQUIRED)
add_custom_command(OUTPUT ${CMAKE_BINARY_DIR}/packaging/changelog.gz
                   COMMAND ${SWITCHYARD_GZIP} -9nf -k ${CMAKE_BINARY_DIR}/packaging/changelog
                   DEPENDS ${CMAKE_BINARY_DIR}/packaging/changelog)
add_custom_target(switchyard_package_docs ALL DEPENDS ${CMAKE_BINARY_DIR}/packaging/changelog.gz)
add_dependencies(switchyard switchyard_package_docs)
install(FILES ${SWITCHYARD_PACKAGING_DIR}/debian/copyright ${CMAKE_BINARY_DIR}/packaging/changelog.gz
              ${CMAKE_SOURCE_DIR}/README.md
        DESTINATION share/doc/switchyard)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME switchyard)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "Switchyard engineers <switchyard@example.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "network-automation job service")
# The synopsis is the summary; CPack indents these lines as the extended description.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "Switchyard brings network devices in line with the configuration\ngenerated from templates. Every request becomes a durable job in\nPostgreSQL that takes named locks, works on each device over SSH and\nrecords what happened on every device. REST API, command line, and an\nembedded PostgreSQL store by default.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# deb-systemd-helper (init-system-helpers) and adduser in the maintainer
# scripts; PostgreSQL's programs for the embedded store (an external database
# needs none of them).
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser, init-system-helpers (>= 1.54~)")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "postgresql")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${SWITCHYARD_PACKAGING_DIR}/debian/conffiles
    ${SWITCHYARD_PACKAGING_DIR}/debian/postinst
    ${SWITCHYARD_PACKAGING_DIR}/debian/prerm
    ${SWITCHYARD_PACKAGING_DIR}/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_STRIP_FILES ON)
set(CPACK_SOURCE_GENERATOR "")
include(CPack)
