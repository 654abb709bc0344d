# ctest package.pkgconfig: install this build into a temporary prefix, then compile and run
# test/consumer/main.cpp the way a Make or Meson user would, with nothing from CMake:
#   c++ -std=c++20 main.cpp $(pkg-config --cflags --libs dynantic)
#   cmake -DBUILD_DIR=<dynantic build> -DSOURCE_DIR=<dynantic source> -DWORK_DIR=<scratch>
#         -DCXX=<compiler> -DVERSION=<project version> [-DCXX_FLAGS=<flags>] [-DLAUNCHER=<ccache>]
#         -P pkgconfig.cmake
# CXX_FLAGS carries the build's own flags where the consumer needs them too (sanitizers).
foreach(var BUILD_DIR SOURCE_DIR WORK_DIR CXX VERSION)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "pkgconfig.cmake: -D${var}=... is required")
  endif()
endforeach()

function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}):\n${out}\n${err}")
  endif()
  message(STATUS "${what}: ok")
  string(STRIP "${out}" out)
  set(last_output "${out}" PARENT_SCOPE)
endfunction()

find_program(PKG_CONFIG NAMES pkg-config pkgconf REQUIRED)
file(REMOVE_RECURSE ${WORK_DIR})
# Installed under a scratch prefix, not the configured one: the .pc file's paths are relative to
# the file itself, so the tree can be moved (and the .deb installs it under /usr).
set(prefix ${WORK_DIR}/prefix)
run("install into ${prefix}" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})

file(GLOB_RECURSE pc_files "${prefix}/*/dynantic.pc")
list(LENGTH pc_files count)
if(NOT count EQUAL 1)
  message(FATAL_ERROR "expected one installed dynantic.pc under ${prefix}, found: ${pc_files}")
endif()
get_filename_component(pc_dir ${pc_files} DIRECTORY)
# The installed file comes first; the system's directories stay for OpenSSL's and zlib's .pc files.
set(ENV{PKG_CONFIG_PATH} "${pc_dir}")
unset(ENV{PKG_CONFIG_LIBDIR})
run("pkg-config --variable=pcfiledir" ${PKG_CONFIG} --variable=pcfiledir dynantic)
file(REAL_PATH "${last_output}" found_dir)
file(REAL_PATH "${pc_dir}" want_dir)
if(NOT found_dir STREQUAL want_dir)
  message(FATAL_ERROR "pkg-config found dynantic.pc in ${found_dir}, not the installed ${want_dir}")
endif()

run("pkg-config --modversion" ${PKG_CONFIG} --modversion dynantic)
if(NOT last_output STREQUAL VERSION)
  message(FATAL_ERROR "dynantic.pc says version '${last_output}', the project is ${VERSION}")
endif()
run("pkg-config --cflags" ${PKG_CONFIG} --cflags dynantic)
separate_arguments(cflags UNIX_COMMAND "${last_output}")
run("pkg-config --libs" ${PKG_CONFIG} --libs dynantic)
separate_arguments(libs UNIX_COMMAND "${last_output}")
file(REAL_PATH ${prefix}/include want_include)
set(found_include FALSE)
foreach(flag IN LISTS cflags)
  if(flag MATCHES "^-I(.+)$")
    file(REAL_PATH "${CMAKE_MATCH_1}" dir)
    if(dir STREQUAL want_include)
      set(found_include TRUE)
    endif()
  endif()
endforeach()
if(NOT found_include)
  message(FATAL_ERROR "pkg-config --cflags does not name the installed ${want_include}: ${cflags}")
endif()

separate_arguments(extra_flags UNIX_COMMAND "${CXX_FLAGS}")
set(compile ${CXX})
if(LAUNCHER)
  set(compile ${LAUNCHER} ${CXX})
endif()
run("compile and link the consumer with pkg-config's flags"
    ${compile} -std=c++20 ${extra_flags} ${cflags} ${SOURCE_DIR}/test/consumer/main.cpp
    -o ${WORK_DIR}/consumer ${libs})
run("run consumer" ${WORK_DIR}/consumer)
if(NOT last_output STREQUAL "PutItem consumer-orders")
  message(FATAL_ERROR "unexpected consumer output: '${last_output}'")
endif()
