// uniapi — the return type of every fallible operation.
#ifndef UNIAPI_CORE_RESULT_HPP
#define UNIAPI_CORE_RESULT_HPP

#include <uniapi/core/error.hpp>

#include <boost/system/result.hpp>

namespace uniapi {

/// A value or a `uniapi::error`. `value()` throws `uniapi::exception` on error; `has_value()`,
/// `operator bool`, `error()` and `*` let the caller check instead.
template <class T>
using result = boost::system::result<T, error>;

}  // namespace uniapi

#endif
