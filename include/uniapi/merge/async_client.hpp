// uniapi — Merge's ATS API over an asynchronous transport.
#ifndef UNIAPI_MERGE_ASYNC_CLIENT_HPP
#define UNIAPI_MERGE_ASYNC_CLIENT_HPP

#include <uniapi/client/async/basic_async_client.hpp>
#include <uniapi/merge/profile.hpp>
#include <uniapi/merge/query.hpp>

namespace uniapi::merge {

/// An asynchronous Merge client over the transport `Transport` (see `basic_async_client`).
template <class Transport>
using async_client = basic_async_client<profile, Transport>;

}  // namespace uniapi::merge

#endif
