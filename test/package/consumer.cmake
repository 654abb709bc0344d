# ctest package.consumer: install this build into a temporary prefix, then configure, build and
# run test/consumer against it with find_package(dynantic CONFIG); then configure test/consumer
# with add_subdirectory and with FetchContent (configure only: no second build of the library).
#   cmake -DBUILD_DIR=<dynantic build> -DSOURCE_DIR=<dynantic source> -DWORK_DIR=<scratch>
#         [-DCXX=<compiler>] [-DCXX_FLAGS=<flags>] [-DLAUNCHER=<ccache>] -P consumer.cmake
foreach(var BUILD_DIR SOURCE_DIR WORK_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "consumer.cmake: -D${var}=... is required")
  endif()
endforeach()

function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}):\n${out}\n${err}")
  endif()
  message(STATUS "${what}: ok")
  set(last_output "${out}" PARENT_SCOPE)
endfunction()

file(REMOVE_RECURSE ${WORK_DIR})
set(prefix ${WORK_DIR}/prefix)
set(common_args -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF)
if(CXX)
  list(APPEND common_args -DCMAKE_CXX_COMPILER=${CXX})
endif()
if(LAUNCHER)
  list(APPEND common_args -DCMAKE_CXX_COMPILER_LAUNCHER=${LAUNCHER})
endif()
# The build's own flags where the consumer needs them too: an AddressSanitizer libdynantic.a
# links only into a program built with -fsanitize=address.
if(CXX_FLAGS)
  list(APPEND common_args "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}")
endif()

run("install into ${prefix}" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})
run("configure consumer (find_package)" ${CMAKE_COMMAND} -S ${SOURCE_DIR}/test/consumer -B ${WORK_DIR}/package
    ${common_args} -DCMAKE_PREFIX_PATH=${prefix} -DCONSUMER_MODE=package)
string(FIND "${last_output}" "from ${prefix}/" found_at)
if(found_at EQUAL -1)
  message(FATAL_ERROR "the consumer did not use the installed package:\n${last_output}")
endif()
run("build consumer" ${CMAKE_COMMAND} --build ${WORK_DIR}/package)
run("run consumer" ${WORK_DIR}/package/consumer)
if(NOT last_output STREQUAL "PutItem consumer-orders\n")
  message(FATAL_ERROR "unexpected consumer output: '${last_output}'")
endif()
run("run consumer_asio" ${WORK_DIR}/package/consumer_asio)
if(NOT last_output STREQUAL "async: not sent\n")
  message(FATAL_ERROR "unexpected consumer_asio output: '${last_output}'")
endif()

# Configure only, so without the launcher: the consumer checks that dynantic sets none itself.
list(REMOVE_ITEM common_args -DCMAKE_CXX_COMPILER_LAUNCHER=${LAUNCHER})
foreach(mode subdirectory fetchcontent)
  run("configure consumer (${mode})" ${CMAKE_COMMAND} -S ${SOURCE_DIR}/test/consumer -B ${WORK_DIR}/${mode}
      ${common_args} -DCONSUMER_MODE=${mode} -DDYNANTIC_SOURCE_DIR=${SOURCE_DIR})
endforeach()
