// uniapi — HTTP request and response values, independent of any HTTP library.
#ifndef UNIAPI_CORE_HTTP_HPP
#define UNIAPI_CORE_HTTP_HPP

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace uniapi {

/// The HTTP methods unified APIs use.
enum class http_method { get, post, put, patch, delete_ };

/// The method's name on the wire ("GET", "POST", …).
constexpr std::string_view to_string(http_method m) noexcept {
  switch (m) {
    case http_method::get:
      return "GET";
    case http_method::post:
      return "POST";
    case http_method::put:
      return "PUT";
    case http_method::patch:
      return "PATCH";
    case http_method::delete_:
      return "DELETE";
  }
  return "GET";
}

/// Case-insensitive ASCII comparison, as HTTP field names need.
constexpr bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

/// An ordered list of HTTP header fields with case-insensitive lookup.
class http_headers {
 public:
  using field = std::pair<std::string, std::string>;

  /// The value of the first field named `name`, if any.
  std::optional<std::string_view> find(std::string_view name) const {
    auto it = std::find_if(fields_.begin(), fields_.end(),
                           [&](const field& f) { return iequals(f.first, name); });
    if (it == fields_.end()) return std::nullopt;
    return std::string_view(it->second);
  }
  /// Appends a field, keeping any existing field of the same name.
  void add(std::string name, std::string value) {
    fields_.emplace_back(std::move(name), std::move(value));
  }
  /// Replaces every field named `name` with one field.
  void set(std::string name, std::string value) {
    erase(name);
    add(std::move(name), std::move(value));
  }
  /// Removes every field named `name`.
  void erase(std::string_view name) {
    std::erase_if(fields_, [&](const field& f) { return iequals(f.first, name); });
  }
  auto begin() const noexcept { return fields_.begin(); }
  auto end() const noexcept { return fields_.end(); }
  std::size_t size() const noexcept { return fields_.size(); }
  bool empty() const noexcept { return fields_.empty(); }

 private:
  std::vector<field> fields_;
};

/// A request, as a transport sends it.
///
/// `url` is absolute (`https://host[:port]/path?query`), already percent-encoded. Secrets travel
/// only in `headers` (never in `url`), so an error message may quote the URL's path safely.
struct http_request {
  http_method method = http_method::get;
  std::string url;
  http_headers headers;
  std::string body;
  /// Bound on this request (connect, send and receive), replacing the transport's own request
  /// timeout; none: the transport's.
  std::optional<std::chrono::milliseconds> timeout;

  /// True when sending the request twice has the effect of sending it once: GET, PUT and DELETE,
  /// and POST or PATCH that carry an `Idempotency-Key` header.
  bool idempotent() const {
    if (method == http_method::post || method == http_method::patch)
      return headers.find("Idempotency-Key").has_value();
    return true;
  }
};

/// A response. `body` is empty when the body went to a `body_sink` instead.
struct http_response {
  int status = 0;
  http_headers headers;
  std::string body;
};

/// True for 2xx statuses.
constexpr bool is_success(int status) noexcept {
  return status >= 200 && status < 300;
}

}  // namespace uniapi

#endif
