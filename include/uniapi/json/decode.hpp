// uniapi — JSON text to C++ objects.
#ifndef UNIAPI_JSON_DECODE_HPP
#define UNIAPI_JSON_DECODE_HPP

#include <uniapi/core/result.hpp>
#include <uniapi/json/detail/decoder.hpp>

#include <memory>
#include <string_view>

namespace uniapi::json {

/// Types `decode` supports: strings, booleans, integers (range-checked), floating point,
/// `std::optional`, `std::vector`, `std::map<std::string, T, std::less<>>`, `timestamp`,
/// `open_enum`, described enums, `raw_json`, `boost::json::value`, structs described with
/// `BOOST_DESCRIBE_STRUCT` whose members are all decodable (JSON keys per `uniapi::wire_names`),
/// and any type with a `json::value_traits` specialisation.
template <class T>
concept decodable = detail::has_codec<T>;

/// Decodes a JSON document incrementally, as it arrives, into a `T`.
///
/// Rules: unknown keys are ignored; a missing or `null` optional member becomes `std::nullopt`;
/// a missing non-optional member, a wrong JSON type, an out-of-range integer or a malformed
/// date-time is an error whose message starts with the JSON path (`result[3].candidate.id:
/// expected string, got number`); malformed or truncated JSON is an error with its byte offset.
/// Memory use is the decoded object plus the longest single string, whatever the chunking.
/// Parser state is borrowed from a small per-thread pool, so a loop over pages does not rebuild it.
template <class T>
class stream_decoder {
  static_assert(detail::check_codable<T>());

 public:
  /// Decodes into a fresh `T`.
  stream_decoder() : stream_decoder(std::make_unique<T>()) {}

  /// Decodes into `value`, reusing its storage; `finish()` hands it back.
  explicit stream_decoder(T value) : stream_decoder(std::make_unique<T>(std::move(value))) {}

  /// Feeds the next chunk; an error ends decoding (later calls return the same error). Chunks
  /// under 8 KiB are gathered (up to 16 KiB) before they are parsed, which is cheaper than
  /// parsing each; `flush()` parses what was gathered.
  result<void> write(std::string_view chunk) {
    if (!impl_->write(chunk)) return impl_->error();
    return {};
  }

  /// The document's size in bytes, when known beforehand (an HTTP `Content-Length`): a page's
  /// records are then sized once, as for a whole buffer, instead of growing chunk by chunk. A
  /// wrong size costs only memory or element moves, never correctness. Without it, a page is
  /// sized from the previous page of its kind decoded on this thread (a listing's pages are
  /// alike), and the first one grows.
  void expect_size(std::size_t bytes) noexcept { impl_->expect_size(bytes); }

  /// With `false`, every chunk is parsed as it comes (lowest latency for an `item_stream`, more
  /// work per byte for small chunks); `true` (the default) gathers small chunks.
  void gather_small_chunks(bool on) noexcept { impl_->gather_small_chunks(on); }

  /// Parses the chunks gathered so far now (for example before giving up on a failed transfer,
  /// so that every item that arrived whole reaches an `item_stream`).
  result<void> flush() {
    if (!impl_->flush()) return impl_->error();
    return {};
  }

  /// Ends the document and returns the value, or the first error.
  result<T> finish() {
    if (!impl_->finish()) return impl_->error();
    return std::move(*value_);
  }

 private:
  explicit stream_decoder(std::unique_ptr<T> v)
      : value_(std::move(v)), impl_(detail::acquire_decoder()) {
    impl_->start({&detail::codec<T>::vt, value_.get()});
  }

  std::unique_ptr<T> value_;
  detail::pooled_decoder impl_;
};

/// Decodes `into`, overwriting it, from the whole document `text`.
///
/// The result equals a fresh decode, but `into`'s storage is reused: elements already in its
/// vectors are decoded over, strings keep their capacity, members absent from `text` are reset.
/// A loop that decodes page after page into one object therefore allocates only when a string
/// outgrows its buffer. On error `into` holds a partly decoded value. Re-entrant: an
/// `item_stream` callback may itself decode (parser state comes from the per-thread pool).
template <class T>
result<void> decode_into(T& into, std::string_view text) {
  static_assert(detail::check_codable<T>());
  // A decoder from the pool, not one per type: a callback may decode while this one runs.
  auto d = detail::acquire_decoder();
  d->start({&detail::codec<T>::vt, &into});
  d->expect_size(text.size());
  if (!d->write(text) || !d->finish()) return d->error();
  return {};
}

/// Decodes a `T` from the whole document `text`.
template <class T>
result<T> decode(std::string_view text) {
  static_assert(detail::check_codable<T>());
  T value{};
  if (auto r = decode_into(value, text); !r) return r.error();
  return value;
}

}  // namespace uniapi::json

#endif
