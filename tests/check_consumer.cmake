cmake_minimum_required(VERSION 3.20)
# Builds and runs tests/consumer in one mode (see its CMakeLists.txt). For the find_package modes,
# installs the built project into a scratch prefix first. Run by ctest with -DMODE, -DBUILD_DIR,
# -DSOURCE_DIR (uniapi's), -DWORK_DIR, -DCXX, -DGENERATOR, -DTARGET_NM and, for fetchcontent,
# -DGIT_REPOSITORY.
file(REMOVE_RECURSE ${WORK_DIR})
function(run)
  execute_process(COMMAND ${ARGV} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${ARGV}\n${out}\n${err}")
  endif()
endfunction()

set(args -DUNIAPI_CONSUMER_MODE=${MODE})
set(expected consumer_core)
if(MODE MATCHES "^find_package")
  run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${WORK_DIR}/prefix)
  list(APPEND args -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix)
endif()
if(MODE STREQUAL "find_package_core" OR MODE STREQUAL "fetchcontent")
  # A machine without OpenSSL, as far as CMake can tell: a core-only consumer must not need it.
  list(APPEND args -DCMAKE_DISABLE_FIND_PACKAGE_OpenSSL=TRUE)
endif()
if(MODE STREQUAL "find_package_beast")
  list(APPEND expected consumer_beast consumer_beast_header_only consumer_testing)
elseif(MODE STREQUAL "add_subdirectory")
  # Configured and generated with every target (a wrong name or alias fails here); built: the
  # core program (the compiled targets are built and run from the installed package above).
  list(APPEND args -DUNIAPI_SOURCE_DIR=${SOURCE_DIR})
elseif(MODE STREQUAL "fetchcontent")
  list(APPEND args -DUNIAPI_GIT_REPOSITORY=${GIT_REPOSITORY})
endif()

run(${CMAKE_COMMAND} -S ${SOURCE_DIR}/tests/consumer -B ${WORK_DIR}/build -G ${GENERATOR}
    -DCMAKE_CXX_COMPILER=${CXX} ${args})
run(${CMAKE_COMMAND} --build ${WORK_DIR}/build --target ${expected})
foreach(program IN LISTS expected)
  run(${WORK_DIR}/build/${program})
endforeach()
# A production program that links uniapi::beast alone links no test server code.
if("consumer_beast" IN_LIST expected)
  if(NOT TARGET_NM)
    message(FATAL_ERROR "no nm (-DTARGET_NM) to check consumer_beast with")
  endif()
  execute_process(COMMAND ${TARGET_NM} -C ${WORK_DIR}/build/consumer_beast OUTPUT_VARIABLE symbols
                  RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "nm failed on consumer_beast")
  endif()
  if(NOT symbols MATCHES "uniapi::beast_transport")
    message(FATAL_ERROR "nm shows no uniapi::beast_transport in consumer_beast: the check is blind")
  endif()
  if(symbols MATCHES "uniapi::testing::[a-z_]+")
    message(FATAL_ERROR "consumer_beast links test server code: ${CMAKE_MATCH_0}")
  endif()
endif()
file(REMOVE_RECURSE ${WORK_DIR})
message(STATUS "${MODE} consumer built and ran: ${expected}")
