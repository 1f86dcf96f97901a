// uniapi — build configuration: header-only (the default) or separate compilation.
#ifndef UNIAPI_CORE_DETAIL_CONFIG_HPP
#define UNIAPI_CORE_DETAIL_CONFIG_HPP

// With UNIAPI_SEPARATE_COMPILATION defined in every translation unit, the headers of the heavy
// non-template code (the Beast transport, the loopback test server) only declare it, and one
// translation unit compiles it by including <uniapi/src.hpp> (and <uniapi/testing/src.hpp> for the
// test servers). Without it, everything is defined inline in the headers.
#if defined(UNIAPI_SEPARATE_COMPILATION)
#define UNIAPI_DECL
#else
#define UNIAPI_DECL inline
#endif

#endif
