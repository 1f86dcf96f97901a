// uniapi — what operations that pass a body on undecoded take and return.
#ifndef UNIAPI_CLIENT_DOWNLOAD_INFO_HPP
#define UNIAPI_CLIENT_DOWNLOAD_INFO_HPP

#include <uniapi/core/result.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace uniapi {

/// Receives downloaded bytes in order; an error aborts the download.
using byte_sink = std::function<result<void>(std::string_view)>;

/// What a download delivered.
struct download_info {
  std::string content_type;  ///< the response's Content-Type
  std::uint64_t bytes = 0;   ///< bytes passed to the sink
};

}  // namespace uniapi

#endif
