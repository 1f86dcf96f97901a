// uniapi — error types shared by every layer.
#ifndef UNIAPI_CORE_ERROR_HPP
#define UNIAPI_CORE_ERROR_HPP

#include <boost/assert/source_location.hpp>
#include <boost/throw_exception.hpp>

#include <atomic>
#include <chrono>
#include <iosfwd>
#include <optional>
#include <stdexcept>
#include <string>
#include <system_error>

namespace uniapi {

/// What went wrong, independent of which layer noticed it: an error *condition*.
///
/// The values group into the classes a caller acts on: an API answered with an error status
/// (`api_error`), the caller asked for something impossible (`invalid_argument`), the bytes did
/// not arrive intact (`connection_failed` … `body_too_large`), or they arrived but do not match
/// the model (`decode_failed`). An `error::code` keeps the code that caused it (Asio's
/// `connection_refused`, Beast's `timeout`, an X.509 verification result, …) and compares equal
/// to its condition: `e.code == errc::timeout` holds for Beast's and Asio's timeouts alike.
/// Errors the library raises itself carry `make_error_code(errc)`.
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

/// Says which `errc` a code of a category other than uniapi's belongs to, or `errc{}` when it
/// does not know the code.
using error_classifier = errc (*)(const std::error_code&) noexcept;

namespace detail {
inline constexpr std::size_t max_error_classifiers = 8;
inline std::atomic<error_classifier> error_classifiers[max_error_classifiers];
}  // namespace detail

/// Teaches the conditions of `errc` the codes `f` knows (a transport's own categories). Safe
/// from any thread, idempotent; returns false when the table is full. The Beast transports
/// register theirs.
inline bool add_error_classifier(error_classifier f) noexcept {
  for (auto& slot : detail::error_classifiers) {
    error_classifier seen = nullptr;
    if (slot.compare_exchange_strong(seen, f) || seen == f) return true;
  }
  return false;
}

const std::error_category& error_category() noexcept;

/// The condition `code` belongs to: its own value for uniapi's codes; for others what a
/// registered classifier says, else, for system and generic codes, `timeout` (timed out),
/// `cancelled` (operation cancelled) or `connection_failed` (any other I/O error); `errc{}` for a
/// code nothing knows.
inline errc classify(const std::error_code& code) noexcept {
  if (!code) return errc{};
  if (code.category() == error_category()) return static_cast<errc>(code.value());
  for (auto& slot : detail::error_classifiers) {
    auto f = slot.load(std::memory_order_acquire);
    if (!f) break;
    if (errc e = f(code); e != errc{}) return e;
  }
  if (code.category() == std::system_category() || code.category() == std::generic_category()) {
    auto c = code.default_error_condition();
    if (c == std::errc::timed_out) return errc::timeout;
    if (c == std::errc::operation_canceled) return errc::cancelled;
    return errc::connection_failed;
  }
  return errc{};
}

/// The `std::error_category` of `uniapi::errc`: of the codes the library raises and of the
/// conditions every code is compared with.
inline const std::error_category& error_category() noexcept {
  struct category final : std::error_category {
    const char* name() const noexcept override { return "uniapi"; }
    bool equivalent(const std::error_code& code, int condition) const noexcept override {
      return classify(code) == static_cast<errc>(condition);
    }
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

/// The code of an error the library raises itself.
inline std::error_code make_error_code(errc e) noexcept {
  return {static_cast<int>(e), error_category()};
}

/// Makes `errc` values usable as `std::error_condition` (`code == errc::timeout`).
inline std::error_condition make_error_condition(errc e) noexcept {
  return {static_cast<int>(e), error_category()};
}

/// An error from any uniapi operation.
///
/// Carries enough to decide what to do next without parsing text: the code, the HTTP status
/// (0 when no response was received), the server's message, the raw error body and the delay the
/// server asked for. `message` never contains the bearer token or other credentials: every layer
/// builds it from the URL path (without the query) and the server's own words.
struct error {
  std::error_code code;  ///< What caused it; compares equal to its `errc` condition.
  int http_status = 0;   ///< HTTP status, 0 if none was received.
  std::string message;   ///< Human-readable, one line, token-free.
  std::string body;      ///< Raw error body as received (may be empty).
  std::optional<std::chrono::seconds>
      retry_after;  ///< From `Retry-After`, when the server sent it.

  /// The condition of `code` (see `classify`): zero-initialised for a code nothing knows.
  errc condition() const noexcept { return classify(code); }

  /// "what: message" as printed by the command-line tool and by `exception::what()`: what is
  /// the condition's name (the code's own message is in `message`).
  std::string to_string() const {
    errc c = condition();
    std::string s = c != errc{} ? make_error_code(c).message() : code.message();
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
      : std::system_error(e.code), what_(e.to_string()), error_(std::move(e)) {}
  /// The error that was thrown.
  const uniapi::error& error() const noexcept { return error_; }
  /// `error().to_string()`: the cause is named once.
  const char* what() const noexcept override { return what_.c_str(); }

 private:
  std::string what_;
  uniapi::error error_;
};

/// Customisation point used by `boost::system::result<T, error>::value()`.
[[noreturn]] inline void throw_exception_from_error(const error& e,
                                                    const boost::source_location& loc) {
  boost::throw_exception(exception(e), loc);
}

}  // namespace uniapi

template <>
struct std::is_error_condition_enum<uniapi::errc> : std::true_type {};

#endif
