# Installs the built project into a scratch prefix, then configures, builds and runs a consumer
# that finds it with find_package. Run by ctest with -DBUILD_DIR, -DSOURCE_DIR, -DWORK_DIR,
# -DCXX and -DGENERATOR.
file(REMOVE_RECURSE ${WORK_DIR})
function(run)
  execute_process(COMMAND ${ARGV} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${ARGV}\n${out}\n${err}")
  endif()
endfunction()
run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${WORK_DIR}/prefix)
run(${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${WORK_DIR}/build -G ${GENERATOR}
    -DCMAKE_CXX_COMPILER=${CXX} -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix -DCMAKE_CXX_STANDARD=20)
run(${CMAKE_COMMAND} --build ${WORK_DIR}/build)
run(${WORK_DIR}/build/consumer_core)
run(${WORK_DIR}/build/consumer_beast)
file(REMOVE_RECURSE ${WORK_DIR})
message(STATUS "find_package(uniapi) consumer built and ran")
