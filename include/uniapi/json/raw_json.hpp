// uniapi — free-form JSON kept exactly as received.
#ifndef UNIAPI_JSON_RAW_JSON_HPP
#define UNIAPI_JSON_RAW_JSON_HPP

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <string>
#include <string_view>

namespace uniapi::json {

/// A JSON value held as JSON text.
///
/// Used for free-form members such as `remote_data`. An object or array is kept byte for byte as
/// received (the decoder slices it from the input, across chunks, without building a DOM): numbers
/// keep their exact digits (an integer beyond 2^64 or a 30-digit decimal survives a round trip),
/// strings their escapes, and inner whitespace stays in `text()` (`json::encode` drops it, so an
/// encoded record is always one line). A bare string, number or literal is kept
/// as compact text with string escapes normalised. `parse()` gives a `boost::json::value` when the
/// caller wants to inspect it (big numbers then become doubles, as Boost.JSON does).
class raw_json {
 public:
  /// JSON `null`.
  raw_json() = default;
  /// Wraps text the caller vouches is one valid JSON value.
  explicit raw_json(std::string text) : text_(std::move(text)) {}
  /// Serialises `v`.
  static raw_json from_value(const boost::json::value& v) {
    return raw_json(boost::json::serialize(v));
  }

  /// The JSON text.
  const std::string& text() const noexcept { return text_; }
  /// Mutable access for decoders that reuse the buffer.
  std::string& text() noexcept { return text_; }
  /// The value as a Boost.JSON DOM.
  boost::json::value parse() const { return boost::json::parse(text_); }
  /// True when the value is JSON `null`.
  bool is_null() const noexcept { return text_ == "null"; }

  friend bool operator==(const raw_json&, const raw_json&) = default;

 private:
  std::string text_ = "null";
};

}  // namespace uniapi::json

#endif
