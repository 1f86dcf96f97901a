// uniapi — a scripted transport for unit tests of code above the transport.
#ifndef UNIAPI_TESTING_FAKE_TRANSPORT_HPP
#define UNIAPI_TESTING_FAKE_TRANSPORT_HPP

#include <uniapi/core/http.hpp>
#include <uniapi/core/result.hpp>
#include <uniapi/transport/transport.hpp>

#include <functional>
#include <memory>
#include <vector>

namespace uniapi::testing {

/// A transport that answers from a function and records every request it was given.
///
/// Copies share the same script and record, so a test can keep one copy and hand another to a
/// client. Not for testing transports: use `truto_server` and a real transport for that.
class fake_transport {
 public:
  using handler = std::function<result<http_response>(const http_request&)>;

  explicit fake_transport(handler h) : state_(std::make_shared<state>()) {
    state_->respond = std::move(h);
  }

  result<http_response> send(const http_request& req) {
    state_->requests.push_back(req);
    return state_->respond(req);
  }

  /// Every request sent so far, in order.
  const std::vector<http_request>& requests() const noexcept { return state_->requests; }

  /// A JSON response with `status` and `body`.
  static http_response json(int status, std::string body) {
    http_response r;
    r.status = status;
    r.headers.set("Content-Type", "application/json");
    r.body = std::move(body);
    return r;
  }

 private:
  struct state {
    handler respond;
    std::vector<http_request> requests;
  };
  std::shared_ptr<state> state_;
};

static_assert(uniapi::transport<fake_transport>);

}  // namespace uniapi::testing

#endif
