# Installation, the CMake package (find_package(dynantic CONFIG)) and the Debian package (CPack).
#
#   cmake --install build --prefix /opt/dynantic
#   find_package(dynantic 0.1 CONFIG REQUIRED)                    # dynantic::dynantic
#   find_package(dynantic CONFIG REQUIRED COMPONENTS testing)     # also dynantic::testing (GoogleTest)
#   find_package(dynantic CONFIG REQUIRED COMPONENTS asio)        # dynantic::asio (dynantic/asio/ headers)
#   cd build && cpack -G DEB
#   c++ -std=c++20 app.cpp $(pkg-config --cflags --libs dynantic)   # Make, Meson (dynantic.pc)
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

option(DYNANTIC_INSTALL "Generate the install rules and the package" ${PROJECT_IS_TOP_LEVEL})
if(NOT DYNANTIC_INSTALL)
  return()
endif()

set(DYNANTIC_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/dynantic)

# dynantic::asio (the asynchronous API's headers over Boost.Asio; its code is in libdynantic) is
# in the main export set: it needs nothing beyond dynantic's own dependencies.
install(TARGETS dynantic dynantic_asio EXPORT dynantic-targets
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
# Boost Software License 1.0; Debian looks for it as share/doc/<package>/copyright.
install(FILES ${PROJECT_SOURCE_DIR}/LICENSE DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES ${PROJECT_SOURCE_DIR}/LICENSE DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/libdynantic-dev
  RENAME copyright)

# pkg-config: dynantic.pc in <libdir>/pkgconfig (test package.pkgconfig). Boost ships no .pc
# files, so boost_json is named directly, with its directories when they are not the system's.
# A static libdynantic needs its dependencies on the link line of every user (Requires, Libs);
# a shared one only its own (Requires.private, Libs.private).
set(DYNANTIC_PC_CFLAGS "")
set(DYNANTIC_PC_BOOST_LIBS "-lboost_json")
get_target_property(_dynantic_boost_includes Boost::headers INTERFACE_INCLUDE_DIRECTORIES)
foreach(_dir IN LISTS _dynantic_boost_includes)
  if(_dir AND NOT _dir IN_LIST CMAKE_CXX_IMPLICIT_INCLUDE_DIRECTORIES)
    string(APPEND DYNANTIC_PC_CFLAGS " -I${_dir}")
  endif()
endforeach()
get_target_property(_dynantic_boost_json Boost::json LOCATION)
if(_dynantic_boost_json)
  get_filename_component(_dir ${_dynantic_boost_json} DIRECTORY)
  if(NOT _dir IN_LIST CMAKE_CXX_IMPLICIT_LINK_DIRECTORIES)
    set(DYNANTIC_PC_BOOST_LIBS "-L${_dir} -lboost_json")
  endif()
endif()
if(BUILD_SHARED_LIBS)
  set(DYNANTIC_PC_PRIVATE ".private")
  set(DYNANTIC_PC_LIBS "")
  set(DYNANTIC_PC_LIBS_PRIVATE " ${DYNANTIC_PC_BOOST_LIBS} -pthread")
else()
  set(DYNANTIC_PC_PRIVATE "")
  set(DYNANTIC_PC_LIBS " ${DYNANTIC_PC_BOOST_LIBS} -pthread")
  set(DYNANTIC_PC_LIBS_PRIVATE "")
endif()
file(RELATIVE_PATH DYNANTIC_PC_PREFIX_FROM_PCDIR /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
string(REGEX REPLACE "/$" "" DYNANTIC_PC_PREFIX_FROM_PCDIR "${DYNANTIC_PC_PREFIX_FROM_PCDIR}")
configure_file(${PROJECT_SOURCE_DIR}/cmake/dynantic.pc.in ${PROJECT_BINARY_DIR}/dynantic.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/dynantic.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

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
  set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
  set(CPACK_DEBIAN_PACKAGE_SUGGESTS "libgtest-dev, libgmock-dev")
  set(CPACK_DEBIAN_PACKAGE_DESCRIPTION [=[Plain structs described with Boost.Describe are the models; requests are signed
with SigV4 and sent over a Boost.Beast HTTP/HTTPS client. Headers, the static
library, the CMake package (find_package(dynantic CONFIG), dynantic::dynantic),
the pkg-config file (dynantic.pc), the asynchronous API over Boost.Asio
(dynantic/asio/, dynantic::asio) and the GoogleTest helpers in dynantic/testing/.
Boost Software License 1.0.]=])
  set(CPACK_SOURCE_IGNORE_FILES "/build/;/\\\\.git/")
  include(CPack)
endif()
