// uniapi — an asynchronous transport decorator that retries transient failures, waiting on Asio
// timers.
#ifndef UNIAPI_ASYNC_RETRYING_TRANSPORT_HPP
#define UNIAPI_ASYNC_RETRYING_TRANSPORT_HPP

#include <uniapi/async_transport.hpp>
#include <uniapi/detail/retry_step.hpp>
#include <uniapi/retry_policy.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <exception>
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
    auto ex = inner_.get_executor();
    auto slot = boost::asio::get_associated_cancellation_slot(done);
    auto done_ex = boost::asio::get_associated_executor(done, ex);
    boost::asio::co_spawn(
        ex, run(req, sink),
        boost::asio::bind_cancellation_slot(
            slot, boost::asio::bind_executor(
                      done_ex, [done = std::move(done)](std::exception_ptr e,
                                                        result<http_response> r) mutable {
                        if (e) std::rethrow_exception(e);
                        std::move(done)(std::move(r));
                      })));
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
