# Fails when a core header (outside uniapi/transport and uniapi/testing) includes, directly or
# not, a Beast, Asio or OpenSSL header. Run by ctest with -DCXX, -DINCLUDE_DIR and -DHEADERS.
string(REPLACE "|" ";" headers "${HEADERS}")
set(checked 0)
foreach(h IN LISTS headers)
  if(h MATCHES "^uniapi/(transport|testing)/")
    continue()
  endif()
  execute_process(
    COMMAND ${CXX} -std=c++20 -I${INCLUDE_DIR} -M -x c++ ${INCLUDE_DIR}/${h}
    OUTPUT_VARIABLE deps ERROR_VARIABLE err RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${h} does not preprocess: ${err}")
  endif()
  if(deps MATCHES "(boost/beast|boost/asio|openssl/)[^ \n]*")
    message(FATAL_ERROR "${h} includes ${CMAKE_MATCH_0}")
  endif()
  math(EXPR checked "${checked} + 1")
endforeach()
message(STATUS "${checked} core headers include no Beast, Asio or OpenSSL")
