# Install rules of the client engine, all in the COMPONENT zairyu_client so
# `cmake --install <build> --component zairyu_client` needs only the client's
# targets built (nothing else of the project):
#   lib/libzairyu_client_card.a           static library (PIC), target zairyu::client
#   lib/libzairyu_client_form.a           forms, target zairyu::client_form
#   lib/libzairyu_client_online.a         online system, target zairyu::client_online
#   lib/libzairyu_protos.a                its generated gRPC code (link dependency)
#   include/zairyu/client/*.h             its public headers
#   bin/zairyu-client                     the CLI
#   lib/cmake/zairyu_client/              zairyu_clientConfig.cmake (+ Version, Targets)
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(ZAIRYU_CLIENT_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/zairyu_client)

# zairyu_protos (the generated zairyu.online.v1 code, from protos/) goes along
# as a link dependency of zairyu_client_online; its headers are not installed.
set_target_properties(zairyu_protos PROPERTIES POSITION_INDEPENDENT_CODE ON)
install(TARGETS zairyu_client_form zairyu_client_card zairyu_client_online zairyu_protos EXPORT zairyu_client_targets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT zairyu_client
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT zairyu_client)
install(DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}/include/zairyu
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT zairyu_client
        FILES_MATCHING PATTERN "*.h")
install(TARGETS zairyu-client RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT zairyu_client)

install(EXPORT zairyu_client_targets NAMESPACE zairyu:: FILE zairyu_clientTargets.cmake
        DESTINATION ${ZAIRYU_CLIENT_CMAKE_DIR} COMPONENT zairyu_client)
configure_package_config_file(
  ${CMAKE_CURRENT_LIST_DIR}/zairyu_clientConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/zairyu_clientConfig.cmake
  INSTALL_DESTINATION ${ZAIRYU_CLIENT_CMAKE_DIR})
# 0.x: only the same minor version is promised to be compatible.
write_basic_package_version_file(
  ${CMAKE_CURRENT_BINARY_DIR}/zairyu_clientConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/zairyu_clientConfig.cmake
              ${CMAKE_CURRENT_BINARY_DIR}/zairyu_clientConfigVersion.cmake
        DESTINATION ${ZAIRYU_CLIENT_CMAKE_DIR} COMPONENT zairyu_client)
