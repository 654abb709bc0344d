# Installation, the CMake package (find_package(dynantic CONFIG)) and the Debian package (CPack).
#
#   cmake --install build --prefix /opt/dynantic
#   find_package(dynantic 0.1 CONFIG REQUIRED)                    # dynantic::dynantic
#   find_package(dynantic CONFIG REQUIRED COMPONENTS testing)     # also dynantic::testing (GoogleTest)
#   cd build && cpack -G DEB
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

option(DYNANTIC_INSTALL "Generate the install rules and the package" ${PROJECT_IS_TOP_LEVEL})
if(NOT DYNANTIC_INSTALL)
  return()
endif()

set(DYNANTIC_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/dynantic)

install(TARGETS dynantic EXPORT dynantic-targets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
# The public headers; none includes Beast, Asio or OpenSSL (checked by the test package.headers).
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/dynantic DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.hpp")
install(EXPORT dynantic-targets NAMESPACE dynantic:: DESTINATION ${DYNANTIC_CMAKE_DIR})

# dynantic::testing goes to an export set of its own, loaded only when GoogleTest is found.
if(TARGET dynantic_testing)
  install(TARGETS dynantic_testing EXPORT dynantic-testing-targets)
  install(EXPORT dynantic-testing-targets NAMESPACE dynantic:: DESTINATION ${DYNANTIC_CMAKE_DIR})
endif()

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/dynantic-config.cmake.in
  ${PROJECT_BINARY_DIR}/dynantic-config.cmake INSTALL_DESTINATION ${DYNANTIC_CMAKE_DIR})
# 0.x: a minor version may break the API, so only the same minor version is compatible.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/dynantic-config-version.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/dynantic-config.cmake ${PROJECT_BINARY_DIR}/dynantic-config-version.cmake
  DESTINATION ${DYNANTIC_CMAKE_DIR})
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/CHANGELOG.md
  DESTINATION ${CMAKE_INSTALL_DOCDIR})

if(PROJECT_IS_TOP_LEVEL)
  set(CPACK_PACKAGE_NAME libdynantic-dev)
  set(CPACK_PACKAGE_VENDOR "dynantic")
  set(CPACK_PACKAGE_CONTACT "dynantic maintainers <dynantic@example.org>")
  set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION} (C++20 headers and static library)")
  set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
  set(CPACK_GENERATOR DEB)
  set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
  set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
  set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${CPACK_PACKAGE_CONTACT}")
  set(CPACK_DEBIAN_PACKAGE_SECTION libdevel)
  set(CPACK_DEBIAN_PACKAGE_DEPENDS "libboost1.81-dev, libboost-json1.81-dev, libssl-dev, zlib1g-dev")
  set(CPACK_DEBIAN_PACKAGE_SUGGESTS "libgtest-dev, libgmock-dev")
  set(CPACK_DEBIAN_PACKAGE_DESCRIPTION [=[Plain structs described with Boost.Describe are the models; requests are signed
with SigV4 and sent over a Boost.Beast HTTP/HTTPS client. Headers, the static
library, the CMake package (find_package(dynantic CONFIG), dynantic::dynantic)
and the GoogleTest helpers in dynantic/testing/.]=])
  set(CPACK_SOURCE_IGNORE_FILES "/build/;/\\\\.git/")
  include(CPack)
endif()
