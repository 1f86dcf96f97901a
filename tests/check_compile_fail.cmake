# The compile-fail tests, in two steps that share one compilation. Run by ctest:
#   -DSOURCE=all.cpp -DOUTPUT=log -DCXX=... -DINCLUDE_DIR=...   compiles (syntax only), keeps what
#                                                               the compiler said; fails if it
#                                                               compiled
#   -DOUTPUT=log -DPATTERN=regex -DNAME=case                    fails unless the log matches
if(DEFINED SOURCE)
  execute_process(COMMAND ${CXX} -std=c++20 -fsyntax-only -DUNIAPI_EXPECT_FAILURE -I${INCLUDE_DIR}
                          ${SOURCE}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  file(WRITE ${OUTPUT} "${out}${err}")
  if(rc EQUAL 0)
    message(FATAL_ERROR "${SOURCE} compiled: no case failed to compile")
  endif()
  message(STATUS "${SOURCE} failed to compile, as every case must; diagnostics in ${OUTPUT}")
else()
  file(READ ${OUTPUT} log)
  if(NOT log MATCHES "${PATTERN}")
    message(FATAL_ERROR "${NAME}: no diagnostic matches \"${PATTERN}\"")
  endif()
  message(STATUS "${NAME}: ${CMAKE_MATCH_0}")
endif()
