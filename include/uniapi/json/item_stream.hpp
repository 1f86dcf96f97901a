// uniapi — a JSON array decoded one element at a time into a callback.
#ifndef UNIAPI_JSON_ITEM_STREAM_HPP
#define UNIAPI_JSON_ITEM_STREAM_HPP

#include <uniapi/json/detail/codec.hpp>

#include <cstddef>
#include <functional>
#include <utility>

namespace uniapi::json {

/// A JSON array member whose elements are handed to a callback as each is decoded, instead of
/// being stored: memory stays at one element however long the array is.
///
/// Declare it where a `std::vector<T>` would be (for example the `result` of a page). Each element
/// is decoded into the same `T`, reusing its buffers, and passed to `on_item` once complete; the
/// callback may move from it. Returning `false` stops decoding with `errc::stopped`. Elements are
/// delivered in order, each exactly once; an element that fails to decode is not delivered.
/// An object is accepted where the array would be (a page keyed by a field, as Truto's
/// `truto_key_by` returns): its members' values are the elements, in document order.
template <class T>
class item_stream {
 public:
  using callback = std::function<bool(T&)>;

  /// Drops the elements (they are still decoded and checked).
  item_stream() = default;
  /// Hands each element to `on_item`.
  explicit item_stream(callback on_item) : on_item_(std::move(on_item)) {}

  /// Elements delivered so far.
  std::size_t delivered() const noexcept { return delivered_; }

 private:
  friend struct detail::codec<item_stream>;

  callback on_item_;
  T item_{};
  std::size_t delivered_ = 0;
};

namespace detail {

template <class T>
struct codec<item_stream<T>, std::enable_if_t<has_codec<T>>> {
  static void begin(void*) {}
  static slot element(void* p, std::size_t) {
    return {&codec<T>::vt, &static_cast<item_stream<T>*>(p)->item_};
  }
  static bool element_end(void* p) {
    auto& s = *static_cast<item_stream<T>*>(p);
    ++s.delivered_;
    return !s.on_item_ || s.on_item_(s.item_);
  }
  static void end(void*, std::size_t) {}
  static constexpr vtable vt{.kind = shape::array,
                             .expected = "array",
                             .inner = &codec<T>::vt,
                             .array_begin = &begin,
                             .element = &element,
                             .array_end = &end,
                             .element_end = &element_end,
                             .accepts_object = true};
};

}  // namespace detail
}  // namespace uniapi::json

#endif
