// uniapi — an asynchronous transport decorator that retries transient failures, waiting on Asio
// timers.
#ifndef UNIAPI_TRANSPORT_ASYNC_ASYNC_RETRYING_TRANSPORT_HPP
#define UNIAPI_TRANSPORT_ASYNC_ASYNC_RETRYING_TRANSPORT_HPP

#include <uniapi/transport/async/async_transport.hpp>
#include <uniapi/transport/async/spawn_completing.hpp>
#include <uniapi/transport/detail/retry_step.hpp>
#include <uniapi/transport/retry_policy.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <utility>

namespace uniapi {

/// `retrying_transport` for asynchronous transports: the same `retry_policy` decisions (statuses,
/// transient errors, idempotency, `Retry-After`, backoff with jitter, restartable sinks), with
/// the waits on Asio timers — never a blocking sleep, so other operations on the thread go on.
/// `retry_policy::sleep` is not used. A cancellation during a wait ends the operation with
/// `errc::cancelled`.
///
/// @par Thread Safety
/// As the inner transport. The decorator outlives its operations.
template <async_transport Inner>
class async_retrying_transport {
 public:
  async_retrying_transport(Inner inner, retry_policy policy = {})
      : inner_(std::move(inner)), policy_(std::move(policy)) {}

  Inner& inner() noexcept { return inner_; }
  const retry_policy& policy() const noexcept { return policy_; }
  auto get_executor() { return inner_.get_executor(); }

  /// Sends `req` (see `async_transport`), retrying per the policy.
  void async_send(const http_request& req, body_sink& sink, send_handler done) {
    spawn_completing(inner_.get_executor(), run(req, sink), std::move(done));
  }

 private:
  boost::asio::awaitable<result<http_response>> run(const http_request& req, body_sink& sink) {
    co_await boost::asio::this_coro::throw_if_cancelled(false);
    for (int attempt = 1;; ++attempt) {
      detail::retry_guard g(policy_, req, attempt, sink);
      auto r = co_await uniapi::async_send(inner_, req, g, boost::asio::use_awaitable);
      auto delay = g.settle(r);
      if (!delay) co_return r;
      detail::notify_retry(policy_, attempt, r, *delay);
      boost::asio::steady_timer wait(co_await boost::asio::this_coro::executor, *delay);
      auto [ec] = co_await wait.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
      if (ec) co_return make_error(errc::cancelled, "cancelled while waiting to retry");
    }
  }

  Inner inner_;
  retry_policy policy_;
};

}  // namespace uniapi

#endif
