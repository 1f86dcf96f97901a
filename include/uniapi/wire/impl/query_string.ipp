// uniapi — percent-encoding through Boost.URL: included by query_string.hpp (header-only) or
// compiled once through <uniapi/src.hpp> (UNIAPI_SEPARATE_COMPILATION).
#ifndef UNIAPI_WIRE_IMPL_QUERY_STRING_IPP
#define UNIAPI_WIRE_IMPL_QUERY_STRING_IPP

#include <uniapi/wire/query_string.hpp>

#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

namespace uniapi {

UNIAPI_DECL std::string percent_encode(std::string_view text) {
  return boost::urls::encode(text, boost::urls::unreserved_chars);
}

}  // namespace uniapi

#endif
