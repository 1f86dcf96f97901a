// uniapi — compiles the library's non-template code (the JSON decoder and its parser, the
// providers' error mapping, the Beast transports) once. Include it in exactly one translation unit
// of a program built with UNIAPI_SEPARATE_COMPILATION defined in every translation unit; the
// CMake target uniapi::beast does both for its users.
#ifndef UNIAPI_SRC_HPP
#define UNIAPI_SRC_HPP

#if !defined(UNIAPI_SEPARATE_COMPILATION)
#error \
    "<uniapi/src.hpp> is for separate compilation: define UNIAPI_SEPARATE_COMPILATION in every translation unit"
#endif

#endif

#include <uniapi/json/impl/decoder.ipp>
#include <uniapi/merge/impl/error_body.ipp>
#include <uniapi/merge/impl/profile.ipp>
#include <uniapi/transport/beast/impl/beast_async_transport.ipp>
#include <uniapi/transport/beast/impl/beast_transport.ipp>
#include <uniapi/truto/impl/error_body.ipp>
#include <uniapi/truto/impl/profile.ipp>
#include <uniapi/wire/impl/query_string.ipp>

#endif
