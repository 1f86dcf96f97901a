// uniapi — running a coroutine for a completion handler: how every asynchronous uniapi operation
// (and a user's own asynchronous transport decorator) completes its caller.
#ifndef UNIAPI_TRANSPORT_ASYNC_SPAWN_COMPLETING_HPP
#define UNIAPI_TRANSPORT_ASYNC_SPAWN_COMPLETING_HPP

#include <uniapi/core/result.hpp>

#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>

#include <exception>
#include <utility>

namespace uniapi {

/// Runs `work` on `ex` and completes `handler` with its result through the handler's associated
/// executor (`ex` when it has none). The handler's cancellation slot reaches every operation the
/// coroutine awaits. An exception escaping the coroutine (a throwing user callback) is rethrown
/// from the completion, as with `co_spawn`.
template <class T, class Executor, class Handler>
void spawn_completing(const Executor& ex, boost::asio::awaitable<result<T>> work, Handler handler) {
  auto slot = boost::asio::get_associated_cancellation_slot(handler);
  auto handler_ex = boost::asio::get_associated_executor(handler, ex);
  boost::asio::co_spawn(ex, std::move(work),
                        boost::asio::bind_cancellation_slot(
                            slot, boost::asio::bind_executor(
                                      handler_ex, [h = std::move(handler)](std::exception_ptr e,
                                                                           result<T> r) mutable {
                                        if (e) std::rethrow_exception(e);
                                        std::move(h)(std::move(r));
                                      })));
}

}  // namespace uniapi

#endif
