// uniapi — the asynchronous runner: drives any client operation over an `async_transport`, as a
// coroutine on the transport's executor.
#ifndef UNIAPI_CLIENT_ASYNC_DETAIL_RUN_ASYNC_HPP
#define UNIAPI_CLIENT_ASYNC_DETAIL_RUN_ASYNC_HPP

#include <uniapi/client/client_hooks.hpp>
#include <uniapi/client/detail/observer.hpp>
#include <uniapi/client/detail/operations.hpp>
#include <uniapi/core/error.hpp>
#include <uniapi/core/result.hpp>
#include <uniapi/transport/async/async_transport.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <type_traits>

namespace uniapi::detail {

/// The operation `make()` returns, built in the coroutine's frame.
template <class Make>
using made_operation = std::invoke_result_t<Make&>;

/// Builds the operation `make()` returns and sends each request it asks for through `t`, telling
/// `hooks`, until it has its result. A cancellation that arrives between requests (while a page's
/// last bytes are decoded, which ends no request) ends the operation before the next one.
template <async_transport Transport, class Make>
boost::asio::awaitable<result<typename made_operation<Make>::value_type>> run_async(
    Transport& t, const client_hooks& hooks, Make make) {
  static_assert(client_operation<made_operation<Make>>);
  co_await boost::asio::this_coro::throw_if_cancelled(false);
  auto op = make();
  while (auto step = op.next()) {
    auto state = co_await boost::asio::this_coro::cancellation_state;
    if (state.cancelled() != boost::asio::cancellation_type::none) {
      op.complete(make_error(errc::cancelled, "cancelled"));
      continue;
    }
    observer seen(hooks, *step->request);
    auto r =
        co_await uniapi::async_send(t, *step->request, *step->sink, boost::asio::use_awaitable);
    if (seen.active()) seen.finished(r);
    op.complete(std::move(r));
  }
  co_return op.take();
}

}  // namespace uniapi::detail

#endif
