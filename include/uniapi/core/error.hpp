// uniapi — error types shared by every layer.
#ifndef UNIAPI_CORE_ERROR_HPP
#define UNIAPI_CORE_ERROR_HPP

#include <boost/assert/source_location.hpp>
#include <boost/throw_exception.hpp>

#include <chrono>
#include <iosfwd>
#include <optional>
#include <stdexcept>
#include <string>
#include <system_error>

namespace uniapi {

/// What went wrong, independent of which layer noticed it.
///
/// The values group into the classes a caller acts on: an API answered with an error status
/// (`api_error`), the caller asked for something impossible (`invalid_argument`), the bytes did
/// not arrive intact (`connection_failed` … `body_too_large`), or they arrived but do not match
/// the model (`decode_failed`).
enum class errc {
  api_error = 1,      ///< The server answered with a non-2xx status.
  invalid_argument,   ///< A request could not be built from the caller's input; nothing was sent.
  connection_failed,  ///< Resolve, connect, write or read failed, or the peer closed early.
  tls_failed,         ///< TLS handshake or certificate verification failed.
  timeout,            ///< An attempt took longer than its deadline.
  truncated_body,     ///< The connection ended before the announced body was complete.
  body_too_large,     ///< The response exceeded the configured size limit.
  redirect_refused,   ///< A redirect could not be followed safely.
  decode_failed,      ///< The body is not valid JSON or does not match the model.
  repeated_cursor,    ///< A paginated listing returned a cursor it had returned before.
  sink_failed,        ///< The caller's sink refused data (for example, disk full).
  stopped,            ///< The caller's item callback asked to stop.
  cancelled,          ///< An asynchronous operation was cancelled (Asio cancellation slot).
  invalid_signature,  ///< A webhook's signature header is missing, malformed or does not match.
  stale_event,        ///< A webhook event is older than the replay window (or from the future).
};

/// The `std::error_category` of `uniapi::errc`.
inline const std::error_category& error_category() noexcept {
  struct category final : std::error_category {
    const char* name() const noexcept override { return "uniapi"; }
    std::string message(int ev) const override {
      switch (static_cast<errc>(ev)) {
        case errc::api_error:
          return "API error";
        case errc::invalid_argument:
          return "invalid argument";
        case errc::connection_failed:
          return "connection failed";
        case errc::tls_failed:
          return "TLS failed";
        case errc::timeout:
          return "timed out";
        case errc::truncated_body:
          return "truncated body";
        case errc::body_too_large:
          return "body too large";
        case errc::redirect_refused:
          return "redirect refused";
        case errc::decode_failed:
          return "decode failed";
        case errc::repeated_cursor:
          return "repeated cursor";
        case errc::sink_failed:
          return "sink failed";
        case errc::stopped:
          return "stopped by the caller";
        case errc::cancelled:
          return "cancelled";
        case errc::invalid_signature:
          return "invalid signature";
        case errc::stale_event:
          return "stale event";
      }
      return "unknown uniapi error";
    }
  };
  static const category instance;
  return instance;
}

/// Makes `errc` values usable as `std::error_code`.
inline std::error_code make_error_code(errc e) noexcept {
  return {static_cast<int>(e), error_category()};
}

/// An error from any uniapi operation.
///
/// Carries enough to decide what to do next without parsing text: the code, the HTTP status
/// (0 when no response was received), the server's message, the raw error body and the delay the
/// server asked for. `message` never contains the bearer token or other credentials: every layer
/// builds it from the URL path (without the query) and the server's own words.
struct error {
  std::error_code code;  ///< Usually a `uniapi::errc`.
  int http_status = 0;   ///< HTTP status, 0 if none was received.
  std::string message;   ///< Human-readable, one line, token-free.
  std::string body;      ///< Raw error body as received (may be empty).
  std::optional<std::chrono::seconds>
      retry_after;  ///< From `Retry-After`, when the server sent it.

  /// The code as a `uniapi::errc` (zero-initialised if it belongs to another category).
  errc condition() const noexcept {
    return code.category() == error_category() ? static_cast<errc>(code.value()) : errc{};
  }

  /// "what: message" as printed by the command-line tool and by `exception::what()`.
  std::string to_string() const {
    std::string s = code.message();
    if (http_status != 0) s += " (HTTP " + std::to_string(http_status) + ")";
    if (!message.empty()) s += ": " + message;
    return s;
  }

  /// Writes `to_string()`.
  template <class Ch, class Tr>
  friend std::basic_ostream<Ch, Tr>& operator<<(std::basic_ostream<Ch, Tr>& os, const error& e) {
    return os << e.to_string();  // (a dependent call: <ostream> is the caller's)
  }
};

/// Builds an error with a code and a message.
inline error make_error(errc e, std::string message, int http_status = 0) {
  return error{make_error_code(e), http_status, std::move(message), {}, std::nullopt};
}

/// Thrown by `result<T>::value()` when the result holds an error.
class exception : public std::system_error {
 public:
  explicit exception(uniapi::error e)
      : std::system_error(e.code, e.to_string()), error_(std::move(e)) {}
  /// The error that was thrown.
  const uniapi::error& error() const noexcept { return error_; }

 private:
  uniapi::error error_;
};

/// Customisation point used by `boost::system::result<T, error>::value()`.
[[noreturn]] inline void throw_exception_from_error(const error& e,
                                                    const boost::source_location& loc) {
  boost::throw_exception(exception(e), loc);
}

}  // namespace uniapi

template <>
struct std::is_error_code_enum<uniapi::errc> : std::true_type {};

#endif
