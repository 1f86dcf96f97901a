// uniapi — verifying Truto's webhook deliveries (a server-side helper: no HTTP server needed).
#ifndef UNIAPI_TRUTO_WEBHOOK_HPP
#define UNIAPI_TRUTO_WEBHOOK_HPP

#include <uniapi/core/detail/sha256.hpp>
#include <uniapi/core/error.hpp>
#include <uniapi/core/result.hpp>
#include <uniapi/core/timestamp.hpp>
#include <uniapi/json/decode.hpp>
#include <uniapi/json/raw_json.hpp>

#include <boost/describe/class.hpp>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace uniapi::truto {

/// A Truto webhook event: the JSON body of a delivery.
struct webhook_event {
  std::string id;                             ///< unique per event: de-duplicate on it
  std::optional<std::string> event;           ///< `entity:action`, e.g. `record:created`
  std::optional<std::string> event_type;      ///< the same, under the name some docs use
  std::optional<json::raw_json> payload;      ///< the event's data, as received
  std::optional<std::string> environment_id;  ///< environment of the event
  std::optional<std::string> webhook_id;      ///< the subscription that delivered it
  std::optional<timestamp> created_at;        ///< when Truto generated it
  BOOST_DESCRIBE_CLASS(webhook_event, (),
                       (id, event, event_type, payload, environment_id, webhook_id, created_at), (),
                       ())

  /// The event name: `event`, else `event_type` (sources disagree on the key; both are read).
  std::string_view name() const noexcept {
    if (event) return *event;
    if (event_type) return *event_type;
    return {};
  }
};

/// Settings of `verify_webhook`.
struct webhook_verify_options {
  /// Oldest `created_at` accepted (replay window); zero: not checked. Keep it above Truto's
  /// retry span (about 30 s) plus clock skew.
  std::chrono::seconds max_age{300};
  /// How far in the future `created_at` may be (clock skew).
  std::chrono::seconds max_skew{60};
  /// The clock; defaults to the system clock.
  std::function<std::chrono::system_clock::time_point()> now;
};

namespace detail {
inline int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

inline int base64_value(char c) noexcept {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+' || c == '-') return 62;
  if (c == '/' || c == '_') return 63;
  return -1;
}

// The 32-byte digest written as 64 hex digits or base64 (padded or not, the standard or the URL
// alphabet but not both, no bits set past the digest).
inline std::optional<std::array<unsigned char, 32>> decode_digest(std::string_view v) {
  std::array<unsigned char, 32> out{};
  if (v.size() == 64) {
    for (std::size_t i = 0; i < 32; ++i) {
      int hi = hex_value(v[2 * i]), lo = hex_value(v[2 * i + 1]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out[i] = static_cast<unsigned char>(hi << 4 | lo);
    }
    return out;
  }
  if (v.size() == 44 && v[43] == '=') v.remove_suffix(1);
  if (v.size() != 43) return std::nullopt;
  std::uint32_t acc = 0;
  int bits = 0;
  std::size_t n = 0;
  bool standard = false, url_safe = false;  // one alphabet or the other, never both
  for (char c : v) {
    int x = base64_value(c);
    if (x < 0) return std::nullopt;
    standard |= c == '+' || c == '/';
    url_safe |= c == '-' || c == '_';
    if (standard && url_safe) return std::nullopt;
    acc = acc << 6 | static_cast<std::uint32_t>(x);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      if (n == 32) return std::nullopt;
      out[n++] = static_cast<unsigned char>(acc >> bits);
    }
  }
  if (n != 32 || (acc & ((1u << bits) - 1)) != 0) return std::nullopt;  // non-canonical tail
  return out;
}
}  // namespace detail

/// Checks `signature_header` (the `X-Truto-Signature` value, `format=sha256,v=<signature>`)
/// against HMAC-SHA256 of the raw `body` keyed by the webhook's `secret`.
///
/// The signature may be hex (64 digits) or base64 — Truto's own examples disagree — and is compared
/// in constant time. Items are split on `,` and `=`; `format`, when present, must be `sha256`.
/// Missing, malformed or mismatched: `errc::invalid_signature`, with a reason that never holds the
/// secret. Hash the body exactly as received (never a re-serialised JSON). The HMAC is uniapi's
/// own SHA-256 (checked against FIPS 180 and RFC 4231 vectors and OpenSSL), so the core needs no
/// OpenSSL.
inline result<void> verify_webhook_signature(std::string_view secret,
                                             std::string_view signature_header,
                                             std::string_view body) {
  auto fail = [](std::string why) { return make_error(errc::invalid_signature, std::move(why)); };
  if (signature_header.empty()) return fail("no X-Truto-Signature header");
  std::optional<std::string_view> format, v;
  std::string_view rest = signature_header;
  while (!rest.empty()) {
    auto comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    while (!item.empty() && item.front() == ' ')
      item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ')
      item.remove_suffix(1);
    if (item.empty()) continue;
    auto eq = item.find('=');
    if (eq == std::string_view::npos)
      return fail("malformed X-Truto-Signature (an item has no '=')");
    std::string_view key = item.substr(0, eq), value = item.substr(eq + 1);
    if (key == "format")
      format = value;
    else if (key == "v")
      v = value;
  }
  if (format && *format != "sha256")
    return fail("unsupported signature format \"" + std::string(format->substr(0, 16)) + "\"");
  if (!v || v->empty()) return fail("malformed X-Truto-Signature (no v=<signature>)");
  auto given = detail::decode_digest(*v);
  if (!given)
    return fail("malformed X-Truto-Signature (v is neither 64 hex digits nor a base64 SHA-256)");
  auto expected = uniapi::detail::hmac_sha256(secret, body);
  unsigned char diff = 0;
  for (std::size_t i = 0; i < expected.size(); ++i)
    diff |= static_cast<unsigned char>(expected[i] ^ (*given)[i]);
  if (diff != 0) return fail("signature does not match the body (wrong secret or modified body)");
  return {};
}

/// Verifies a delivery and returns its event: the signature (see `verify_webhook_signature`), the
/// body decoded as a `webhook_event` (`errc::decode_failed`), and `created_at` within the replay
/// window (`errc::stale_event`; an event without `created_at` is stale when a window is set).
/// De-duplicate on the returned `id`: Truto retries a failed delivery with the same event.
inline result<webhook_event> verify_webhook(std::string_view secret,
                                            std::string_view signature_header,
                                            std::string_view body,
                                            const webhook_verify_options& options = {}) {
  if (auto s = verify_webhook_signature(secret, signature_header, body); !s) return s.error();
  auto ev = json::decode<webhook_event>(body);
  if (!ev) return ev.error();
  if (options.max_age.count() > 0) {
    if (!ev->created_at) return make_error(errc::stale_event, "the event has no created_at");
    auto now = options.now ? options.now() : std::chrono::system_clock::now();
    auto at = ev->created_at->time();
    if (at < now - options.max_age)
      return make_error(errc::stale_event, "the event was created at " + ev->created_at->text() +
                                               ", outside the replay window");
    if (at > now + options.max_skew)
      return make_error(errc::stale_event,
                        "the event was created at " + ev->created_at->text() + ", in the future");
  }
  return ev;
}

}  // namespace uniapi::truto

#endif
