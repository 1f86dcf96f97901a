# Fails when a core header (outside uniapi/transport and uniapi/testing) includes, directly or
# not, a Beast, Asio or OpenSSL header; the asynchronous client's headers (`async` in the name,
# and rate_limited_transport.hpp) may include Asio (completion tokens, executors, timers), never
# Beast or OpenSSL. With -DSEPARATE=ON, checks the transport and test-server
# headers instead, preprocessed with UNIAPI_SEPARATE_COMPILATION: no Beast or Asio header (the
# compiled library has them), and OpenSSL only in test_certificates.hpp; and the headers a decoding
# file includes, no Boost.JSON parser (the decoder's implementation is compiled once).
# Run by ctest with -DCXX, -DINCLUDE_DIR and -DHEADERS.
string(REPLACE "|" ";" headers "${HEADERS}")
set(checked 0)
foreach(h IN LISTS headers)
  set(flags)
  set(forbidden "(boost/beast|boost/asio|openssl/)[^ \n]*")
  if(SEPARATE)
    set(flags -DUNIAPI_SEPARATE_COMPILATION)
    if(h MATCHES "^uniapi/(json|json/decode|truto/ats|merge/ats)\\.hpp$")
      set(forbidden "boost/json/basic_parser[^ \n]*")
    elseif(NOT h MATCHES "^uniapi/(transport|testing)/" OR h MATCHES "/src\\.hpp$")
      continue()
    elseif(h STREQUAL "uniapi/testing/test_certificates.hpp")
      set(forbidden "(boost/beast|boost/asio)[^ \n]*")
    elseif(h MATCHES "async|rate_limited_transport")
      set(forbidden "(boost/beast|openssl/)[^ \n]*")
    endif()
  elseif(h MATCHES "^uniapi/(transport|testing)/" OR h STREQUAL "uniapi/src.hpp")
    continue()
  elseif(h MATCHES "async|rate_limited_transport")
    set(forbidden "(boost/beast|openssl/)[^ \n]*")
  endif()
  execute_process(
    COMMAND ${CXX} -std=c++20 ${flags} -I${INCLUDE_DIR} -M -x c++ ${INCLUDE_DIR}/${h}
    OUTPUT_VARIABLE deps ERROR_VARIABLE err RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${h} does not preprocess: ${err}")
  endif()
  if(deps MATCHES "${forbidden}")
    message(FATAL_ERROR "${h} includes ${CMAKE_MATCH_0}")
  endif()
  math(EXPR checked "${checked} + 1")
endforeach()
if(checked EQUAL 0)
  message(FATAL_ERROR "no header checked")
endif()
message(STATUS "${checked} headers include no forbidden header")
