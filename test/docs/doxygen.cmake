# ctest docs.doxygen: runs Doxygen over the public headers with the reference's own configuration
# (docs/Doxyfile) and fails on any warning: an undocumented public class, function, member or
# enumerator, a broken reference or a malformed comment. detail namespaces and headers are left
# out by the configuration. XML output only (the HTML is scripts/docs.sh's job): a few seconds.
#   cmake -DSOURCE_DIR=<dynantic source> -DWORK_DIR=<scratch> -P doxygen.cmake
foreach(var SOURCE_DIR WORK_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "doxygen.cmake: -D${var}=... is required")
  endif()
endforeach()
find_program(DOXYGEN doxygen)
if(NOT DOXYGEN)
  message(FATAL_ERROR "doxygen not found: install the Debian package `doxygen` (scripts/test.sh does)")
endif()

file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})
set(log ${WORK_DIR}/warnings.log)
file(WRITE ${WORK_DIR}/Doxyfile "@INCLUDE = ${SOURCE_DIR}/docs/Doxyfile
OUTPUT_DIRECTORY = ${WORK_DIR}
GENERATE_HTML = NO
GENERATE_XML = YES
WARN_LOGFILE = ${log}
")
execute_process(COMMAND ${DOXYGEN} ${WORK_DIR}/Doxyfile WORKING_DIRECTORY ${SOURCE_DIR}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "doxygen failed (${rc}):\n${out}\n${err}")
endif()
if(NOT EXISTS ${WORK_DIR}/xml/index.xml)
  message(FATAL_ERROR "doxygen wrote no output into ${WORK_DIR}/xml:\n${out}\n${err}")
endif()
file(READ ${log} warnings)
string(STRIP "${warnings}" warnings)
if(warnings)
  string(REPLACE "${SOURCE_DIR}/" "" warnings "${warnings}")
  string(REGEX MATCHALL "\n" lines "\n${warnings}")
  list(LENGTH lines count)
  message(FATAL_ERROR "Doxygen: ${count} warning lines in the public headers (document each public "
                      "entity: shape, units, errors, source):\n${warnings}")
endif()
file(GLOB_RECURSE documented ${WORK_DIR}/xml/*.xml)
list(LENGTH documented count)
message(STATUS "Doxygen: no warnings (${count} XML pages)")
