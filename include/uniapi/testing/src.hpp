// uniapi — compiles the test servers' non-template code (loopback_server's Beast sessions,
// truto_server's and merge_server's handlers) once. Include it in exactly one translation unit of a
// program built with UNIAPI_SEPARATE_COMPILATION; the CMake target uniapi::testing does both for
// its users.
#ifndef UNIAPI_TESTING_SRC_HPP
#define UNIAPI_TESTING_SRC_HPP

#if !defined(UNIAPI_SEPARATE_COMPILATION)
#error \
    "<uniapi/testing/src.hpp> is for separate compilation: define UNIAPI_SEPARATE_COMPILATION in every translation unit"
#endif

#endif

#include <uniapi/merge/testing/impl/merge_server.ipp>
#include <uniapi/testing/impl/loopback_server.ipp>
#include <uniapi/truto/testing/impl/truto_server.ipp>

#endif
