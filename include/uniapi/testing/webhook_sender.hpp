// uniapi — sends Truto-style signed webhook deliveries, for testing a receiver end to end.
#ifndef UNIAPI_TESTING_WEBHOOK_SENDER_HPP
#define UNIAPI_TESTING_WEBHOOK_SENDER_HPP

#include <uniapi/core/detail/sha256.hpp>
#include <uniapi/core/http.hpp>
#include <uniapi/core/result.hpp>
#include <uniapi/transport/beast/beast_transport.hpp>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <string>
#include <string_view>

namespace uniapi::testing {

/// How a delivery's signature is written (Truto's public examples show both).
enum class signature_encoding { hex, base64 };

/// The `X-Truto-Signature` value for `body` signed with `secret`: `format=sha256,v=<HMAC-SHA256>`.
inline std::string webhook_signature(std::string_view secret, std::string_view body,
                                     signature_encoding encoding = signature_encoding::hex) {
  auto mac = uniapi::detail::hmac_sha256(secret, body);
  std::string v;
  if (encoding == signature_encoding::hex) {
    static constexpr char digits[] = "0123456789abcdef";
    for (unsigned char b : mac) {
      v += digits[b >> 4];
      v += digits[b & 15];
    }
  } else {
    static constexpr char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::size_t i = 0;
    for (; i + 3 <= mac.size(); i += 3) {
      unsigned n = unsigned(mac[i]) << 16 | unsigned(mac[i + 1]) << 8 | mac[i + 2];
      for (int k = 18; k >= 0; k -= 6)
        v += alphabet[(n >> k) & 63];
    }
    unsigned n = unsigned(mac[i]) << 16 | (i + 1 < mac.size() ? unsigned(mac[i + 1]) << 8 : 0u);
    v += alphabet[(n >> 18) & 63];
    v += alphabet[(n >> 12) & 63];
    v += i + 1 < mac.size() ? alphabet[(n >> 6) & 63] : '=';
    v += '=';
  }
  return "format=sha256,v=" + v;
}

/// A webhook event body as Truto sends it: `id`, `event`, `payload`, `environment_id`,
/// `webhook_id`, `created_at`.
inline std::string webhook_event_body(std::string_view id, std::string_view event,
                                      boost::json::value payload, std::string_view created_at,
                                      std::string_view webhook_id = "wh_local",
                                      std::string_view environment_id = "env_local") {
  return boost::json::serialize(boost::json::object{{"id", id},
                                                    {"event", event},
                                                    {"payload", std::move(payload)},
                                                    {"environment_id", environment_id},
                                                    {"webhook_id", webhook_id},
                                                    {"created_at", created_at}});
}

/// Delivers webhook events to a receiver the way Truto does: `POST url` with the JSON body and
/// its `X-Truto-Signature`. For end-to-end tests of a receiver (see `verify_webhook`).
class webhook_sender {
 public:
  webhook_sender(std::string url, std::string secret,
                 signature_encoding encoding = signature_encoding::hex)
      : url_(std::move(url)), secret_(std::move(secret)), encoding_(encoding) {}

  /// Sends `body` signed with the sender's secret; the receiver's HTTP status, or a transport
  /// error.
  result<int> deliver(const std::string& body) {
    return send(body, webhook_signature(secret_, body, encoding_));
  }

  /// Sends `body` with the `signature` header given (to test a receiver's rejections).
  result<int> send(const std::string& body, const std::string& signature) {
    http_request req;
    req.method = http_method::post;
    req.url = url_;
    req.headers.set("Content-Type", "application/json");
    req.headers.set("X-Truto-Signature", signature);
    req.body = body;
    auto r = transport_.send(req);
    if (!r) return r.error();
    return r->status;
  }

 private:
  std::string url_, secret_;
  signature_encoding encoding_;
  beast_transport transport_;
};

}  // namespace uniapi::testing

#endif
