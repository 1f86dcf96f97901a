// uniapi — telling a client's hooks about each request and how it ended (both runners).
#ifndef UNIAPI_CLIENT_DETAIL_OBSERVER_HPP
#define UNIAPI_CLIENT_DETAIL_OBSERVER_HPP

#include <uniapi/client/client_hooks.hpp>
#include <uniapi/client/detail/reply.hpp>
#include <uniapi/core/http.hpp>
#include <uniapi/core/result.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace uniapi::detail {

/// One request as the hooks see it: told when constructed, and of its end by `finished`.
class observer {
 public:
  observer(const client_hooks& hooks, const http_request& req) : hooks_(&hooks), req_(&req) {
    if (!active()) return;
    what_ = describe(req);
    if (hooks.on_request) hooks.on_request(request_event{req.method, path()});
    start_ = std::chrono::steady_clock::now();
  }

  /// False when no hook is set (then nothing is done at all).
  bool active() const noexcept { return hooks_->on_request || hooks_->on_response; }

  void finished(const result<http_response>& r) const {
    if (!hooks_->on_response) return;
    response_event ev{req_->method, path()};
    ev.elapsed = std::chrono::steady_clock::now() - start_;
    std::optional<error> failure;
    if (r) {
      ev.status = r->status;
      ev.headers = &r->headers;
    } else {
      failure = r.error();
      ev.failure = &*failure;
    }
    hooks_->on_response(ev);
  }

 private:
  std::string_view path() const { return std::string_view(what_).substr(what_.find(' ') + 1); }

  const client_hooks* hooks_;
  const http_request* req_;
  std::string what_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace uniapi::detail

#endif
