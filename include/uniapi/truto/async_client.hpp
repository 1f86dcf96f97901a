// uniapi — Truto's Unified API over an asynchronous transport.
#ifndef UNIAPI_TRUTO_ASYNC_CLIENT_HPP
#define UNIAPI_TRUTO_ASYNC_CLIENT_HPP

#include <uniapi/client/async/basic_async_client.hpp>
#include <uniapi/truto/profile.hpp>
#include <uniapi/truto/query.hpp>
#include <uniapi/truto/rate_limit.hpp>

namespace uniapi::truto {

/// An asynchronous Truto client over the transport `Transport` (see `basic_async_client`):
/// @code
/// uniapi::truto::async_client<uniapi::beast_async_transport> c(
///     {.token = tok}, uniapi::beast_async_transport(ioc.get_executor()));
/// auto page = co_await c.async_list_page(uniapi::truto::ats::attachments, q, std::nullopt,
///                                        boost::asio::use_awaitable);
/// @endcode
template <class Transport>
using async_client = basic_async_client<profile, Transport>;

}  // namespace uniapi::truto

#endif
