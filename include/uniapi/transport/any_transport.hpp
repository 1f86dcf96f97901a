// uniapi — a transport of any type behind one type: `basic_client<Profile, any_transport>`.
#ifndef UNIAPI_TRANSPORT_ANY_TRANSPORT_HPP
#define UNIAPI_TRANSPORT_ANY_TRANSPORT_HPP

#include <uniapi/core/http.hpp>
#include <uniapi/core/result.hpp>
#include <uniapi/transport/body_sink.hpp>
#include <uniapi/transport/detail/erased_object.hpp>
#include <uniapi/transport/transport.hpp>

#include <concepts>
#include <type_traits>
#include <utility>

namespace uniapi {

/// Any `transport`, chosen at run time: the Beast transport in production, a fake in tests,
/// without making the code that holds the client a template.
///
/// @code
/// using client = uniapi::truto::client<uniapi::any_transport>;
/// client live({.token = token}, uniapi::beast_transport());
/// client fake({.token = "t"}, uniapi::testing::fake_transport(answer));
/// @endcode
/// Each send is one indirect call; a transport of up to six pointers that moves without
/// throwing is stored in place (`beast_transport` is), a larger one on the heap once. A
/// transport that only buffers streams its body as one chunk (`send_streaming`).
///
/// @par Thread Safety
/// As safe as the transport it holds.
class any_transport {
  struct ops {
    detail::erased_manager manage;
    result<http_response> (*send)(void*, const http_request&);
    result<http_response> (*send_to)(void*, const http_request&, body_sink&);

    template <class T>
    static constexpr ops of(detail::erased_manager m) {
      return {m, [](void* t, const http_request& req) { return static_cast<T*>(t)->send(req); },
              [](void* t, const http_request& req, body_sink& sink) {
                return send_streaming(*static_cast<T*>(t), req, sink);
              }};
    }
  };

 public:
  /// Holds `t` (moved in).
  template <transport T>
  requires(!std::same_as<std::decay_t<T>, any_transport>) any_transport(T t)
      : object_(std::move(t)) {}

  /// Sends `req` and reads the whole response.
  result<http_response> send(const http_request& req) {
    return object_.ops()->send(object_.get(), req);
  }
  /// Sends `req` and passes the body to `sink` as it arrives.
  result<http_response> send(const http_request& req, body_sink& sink) {
    return object_.ops()->send_to(object_.get(), req, sink);
  }

  /// The transport held when it is a `T` (to read its counters), else null.
  template <class T>
  T* target() noexcept {
    return object_.target<T>();
  }

 private:
  detail::erased_object<ops> object_;
};

static_assert(streaming_transport<any_transport>);

}  // namespace uniapi

#endif
