// uniapi — an asynchronous transport of any type behind one type:
// `basic_async_client<Profile, any_async_transport>`.
#ifndef UNIAPI_TRANSPORT_ASYNC_ANY_ASYNC_TRANSPORT_HPP
#define UNIAPI_TRANSPORT_ASYNC_ANY_ASYNC_TRANSPORT_HPP

#include <uniapi/core/http.hpp>
#include <uniapi/core/result.hpp>
#include <uniapi/transport/async/async_transport.hpp>
#include <uniapi/transport/body_sink.hpp>
#include <uniapi/transport/detail/erased_object.hpp>

#include <boost/asio/any_io_executor.hpp>

#include <concepts>
#include <type_traits>
#include <utility>

namespace uniapi {

/// Any `async_transport`, chosen at run time (see `any_transport`): the Beast transport, a
/// decorator stack over it, or a test double, behind one client type. Each send is one indirect
/// call; the executor is the held transport's, read once.
///
/// @par Thread Safety
/// As safe as the transport it holds.
class any_async_transport {
  struct ops {
    detail::erased_manager manage;
    void (*async_send)(void*, const http_request&, body_sink&, send_handler);

    template <class T>
    static constexpr ops of(detail::erased_manager m) {
      return {m, [](void* t, const http_request& req, body_sink& sink, send_handler done) {
                static_cast<T*>(t)->async_send(req, sink, std::move(done));
              }};
    }
  };

 public:
  using executor_type = boost::asio::any_io_executor;

  /// Holds `t` (moved in).
  template <async_transport T>
  requires(!std::same_as<std::decay_t<T>, any_async_transport>) any_async_transport(T t)
      : executor_(t.get_executor()), object_(std::move(t)) {}

  /// The executor the held transport's I/O runs on.
  executor_type get_executor() const noexcept { return executor_; }

  /// Starts sending `req` through the held transport (see `async_transport`).
  void async_send(const http_request& req, body_sink& sink, send_handler done) {
    object_.ops()->async_send(object_.get(), req, sink, std::move(done));
  }
  /// `async_send` with any completion token; the signature is `void(result<http_response>)`.
  template <class CompletionToken>
  requires(!std::is_same_v<std::decay_t<CompletionToken>, send_handler>) auto async_send(
      const http_request& req, body_sink& sink, CompletionToken&& token) {
    return uniapi::async_send(*this, req, sink, std::forward<CompletionToken>(token));
  }

  /// The transport held when it is a `T`, else null.
  template <class T>
  T* target() noexcept {
    return object_.target<T>();
  }

 private:
  executor_type executor_;
  detail::erased_object<ops> object_;
};

static_assert(async_transport<any_async_transport>);

}  // namespace uniapi

#endif
