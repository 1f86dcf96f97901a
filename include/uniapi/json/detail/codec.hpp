// uniapi — per-type decoding tables driven by the SAX handler in decoder.hpp.
#ifndef UNIAPI_JSON_DETAIL_CODEC_HPP
#define UNIAPI_JSON_DETAIL_CODEC_HPP

#include <uniapi/core/open_enum.hpp>
#include <uniapi/core/timestamp.hpp>
#include <uniapi/core/wire_names.hpp>
#include <uniapi/json/detail/member_index.hpp>
#include <uniapi/json/raw_json.hpp>
#include <uniapi/json/value_traits.hpp>

#include <boost/describe/members.hpp>
#include <boost/describe/modifiers.hpp>
#include <boost/json/value.hpp>
#include <boost/mp11/algorithm.hpp>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace uniapi::json::detail {

/// The JSON kinds, for "expected X, got Y" messages.
enum class token : unsigned char { null_, boolean, number, string, array, object };

constexpr std::string_view token_name(token t) noexcept {
  switch (t) {
    case token::null_:
      return "null";
    case token::boolean:
      return "boolean";
    case token::number:
      return "number";
    case token::string:
      return "string";
    case token::array:
      return "array";
    case token::object:
      return "object";
  }
  return "value";
}

/// A number as the parser saw it: its value in the widest fitting type and its exact text.
struct number_token {
  enum kind_t : unsigned char { int64, uint64, floating } kind = int64;
  std::int64_t i = 0;
  std::uint64_t u = 0;
  double d = 0;
  std::string_view text;
};

struct vtable;
struct frame;

/// Where the next JSON value goes: a table for its C++ type and the object to fill. A null `vt`
/// means "skip this value".
struct slot {
  const vtable* vt = nullptr;
  void* obj = nullptr;
};

/// How a C++ type consumes JSON.
enum class shape : unsigned char {
  scalar,    ///< string, number or boolean
  optional,  ///< null resets, anything else is forwarded to `inner`
  object,    ///< keys select member slots
  array,     ///< each element gets a fresh slot
  raw,       ///< the whole value is captured as text into a raw_json
  dom,       ///< the whole value is built as a boost::json::value
};

/// The decoding table of one C++ type. Null entries mean "this JSON kind is a type error".
/// Conversion functions return false and set `err` (without path) when a value does not fit.
struct vtable {
  shape kind = shape::scalar;
  std::string_view expected;  ///< what the type expects, for messages ("string", "integer", …)
  bool (*on_string)(void*, std::string_view, std::string& err) = nullptr;
  bool (*on_number)(void*, const number_token&, std::string& err) = nullptr;
  bool (*on_bool)(void*, bool, std::string& err) = nullptr;
  // shape::optional (which may also forward scalars to its value's conversion above)
  void (*reset)(void*) = nullptr;
  void* (*emplace)(void*) = nullptr;
  /// The type inside: an optional's value type, an array's element type, a map's mapped type.
  const vtable* inner = nullptr;
  // shape::object
  void (*object_begin)(void*) = nullptr;
  slot (*key)(void*, std::string_view, frame&) = nullptr;
  /// Completes the object: members absent from the JSON get their default values. Returns the
  /// index of a required member that was absent, or -1.
  int (*object_end)(void*, const frame&) = nullptr;
  std::string_view (*member_name)(int) = nullptr;
  /// A struct's members: how many, and the table of member `i`.
  int member_count = 0;
  const vtable* (*member_vt)(int) = nullptr;
  // shape::array
  void (*array_begin)(void*) = nullptr;
  /// The slot of element `index`; elements left from a previous decode are reused in place.
  slot (*element)(void*, std::size_t index) = nullptr;
  /// Completes the array with `count` elements.
  void (*array_end)(void*, std::size_t count) = nullptr;
  /// Called once an element is complete, before the next begins; false stops decoding.
  bool (*element_end)(void*) = nullptr;
  /// Makes room for `count` elements in all, using at most `max_bytes` (a hint: the decoder's
  /// estimate from the size of the first element and the input left); null when the container
  /// has no use for it.
  void (*reserve)(void*, std::size_t count, std::size_t max_bytes) = nullptr;
  /// An object is accepted too: its members' values are the elements, its keys are dropped.
  bool accepts_object = false;
};

/// One open object or array on the decoder's stack.
struct frame {
  slot target;
  std::uint64_t seen = 0;          ///< struct members present so far (bit per member)
  std::size_t count = 0;           ///< array elements begun so far
  const char* first_at = nullptr;  ///< where the first element began, when known
  int member = -1;                 ///< struct member of the current key, -1 if none
  bool keyed = false;  ///< an array-shaped target fed from an object (see accepts_object)
  std::string key;     ///< map key of the current value
};

/// The codec of `T`; specialised below for every supported kind of type.
template <class T, class = void>
struct codec;

template <class T>
concept has_codec = requires {
  codec<T>::vt;
};

template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};

template <class T>
concept described_struct = std::is_class_v<T> && boost::describe::has_describe_members<T>::value;

// ---- scalars ---------------------------------------------------------------------------------

template <>
struct codec<std::string> {
  static bool str(void* p, std::string_view s, std::string&) {
    static_cast<std::string*>(p)->assign(s);
    return true;
  }
  static constexpr vtable vt{.kind = shape::scalar, .expected = "string", .on_string = &str};
};

template <>
struct codec<bool> {
  static bool b(void* p, bool v, std::string&) {
    *static_cast<bool*>(p) = v;
    return true;
  }
  static constexpr vtable vt{.kind = shape::scalar, .expected = "boolean", .on_bool = &b};
};

template <class I>
struct codec<I, std::enable_if_t<std::is_integral_v<I> && !std::is_same_v<I, bool>>> {
  // [lowest, limit) is exactly representable as doubles for every integer type.
  static constexpr double lowest = static_cast<double>(std::numeric_limits<I>::min());
  static constexpr double limit = 2.0 * static_cast<double>(std::numeric_limits<I>::max() / 2 + 1);

  static bool num(void* p, const number_token& n, std::string& err) {
    auto& out = *static_cast<I*>(p);
    switch (n.kind) {
      case number_token::int64:
        if (std::in_range<I>(n.i)) return out = static_cast<I>(n.i), true;
        break;
      case number_token::uint64:
        if (std::in_range<I>(n.u)) return out = static_cast<I>(n.u), true;
        break;
      case number_token::floating:
        if (std::trunc(n.d) != n.d) {
          err = "expected integer, got number " + std::string(n.text);
          return false;
        }
        if (n.d >= lowest && n.d < limit) return out = static_cast<I>(n.d), true;
        break;
    }
    err = "integer out of range: " + std::string(n.text);
    return false;
  }
  static constexpr vtable vt{.kind = shape::scalar, .expected = "integer", .on_number = &num};
};

/// The message for a number past the range of the type it goes to (its first 40 characters).
inline std::string number_out_of_range(std::string_view text) {
  return "number out of range: " + std::string(text.substr(0, 40));
}

template <class F>
struct codec<F, std::enable_if_t<std::is_floating_point_v<F>>> {
  static bool num(void* p, const number_token& n, std::string& err) {
    auto& out = *static_cast<F*>(p);
    switch (n.kind) {
      case number_token::int64:
        out = static_cast<F>(n.i);
        break;
      case number_token::uint64:
        out = static_cast<F>(n.u);
        break;
      case number_token::floating:
        out = static_cast<F>(n.d);
        if (std::isinf(out)) [[unlikely]] {
          err = number_out_of_range(n.text);
          return false;
        }
        break;
    }
    return true;
  }
  static constexpr vtable vt{.kind = shape::scalar, .expected = "number", .on_number = &num};
};

template <>
struct codec<timestamp> {
  static bool str(void* p, std::string_view s, std::string& err) {
    if (static_cast<timestamp*>(p)->assign(s)) return true;
    err = "expected ISO 8601 date-time, got \"" + std::string(s.substr(0, 40)) + "\"";
    return false;
  }
  static constexpr vtable vt{
      .kind = shape::scalar, .expected = "date-time string", .on_string = &str};
};

template <class E>
struct codec<open_enum<E>> {
  static bool str(void* p, std::string_view s, std::string&) {
    static_cast<open_enum<E>*>(p)->assign(s);
    return true;
  }
  static constexpr vtable vt{.kind = shape::scalar, .expected = "string", .on_string = &str};
};

template <class E>
struct codec<E, std::enable_if_t<described_enum<E> && !has_value_traits<E>>> {
  static bool str(void* p, std::string_view s, std::string& err) {
    if (auto e = enum_from_name<E>(s)) {
      *static_cast<E*>(p) = *e;
      return true;
    }
    err = "unknown value \"" + std::string(s.substr(0, 40)) + "\"";
    return false;
  }
  static constexpr vtable vt{.kind = shape::scalar, .expected = "string", .on_string = &str};
};

template <>
struct codec<raw_json> {
  static constexpr vtable vt{.kind = shape::raw, .expected = "JSON value"};
};

template <>
struct codec<boost::json::value> {
  static constexpr vtable vt{.kind = shape::dom, .expected = "JSON value"};
};

// ---- wrappers and containers -----------------------------------------------------------------

template <class T>
struct codec<std::optional<T>, std::enable_if_t<has_codec<T>>> {
  static void reset(void* p) { static_cast<std::optional<T>*>(p)->reset(); }
  static void* emplace(void* p) {
    auto& o = *static_cast<std::optional<T>*>(p);
    if (!o) o.emplace();
    return &*o;
  }
  // A string, number or boolean goes straight to the value's conversion, so the decoder does
  // not unwrap the optional through the table for each scalar value.
  static constexpr const vtable& in = codec<T>::vt;
  static constexpr bool forwards = in.kind == shape::scalar;
  static bool str(void* p, std::string_view s, std::string& err) {
    return in.on_string(emplace(p), s, err);
  }
  static bool num(void* p, const number_token& n, std::string& err) {
    return in.on_number(emplace(p), n, err);
  }
  static bool b(void* p, bool v, std::string& err) { return in.on_bool(emplace(p), v, err); }
  static constexpr vtable vt{.kind = shape::optional,
                             .expected = in.expected,
                             .on_string = forwards && in.on_string ? &str : nullptr,
                             .on_number = forwards && in.on_number ? &num : nullptr,
                             .on_bool = forwards && in.on_bool ? &b : nullptr,
                             .reset = &reset,
                             .emplace = &emplace,
                             .inner = &in};
};

// Elements already in the vector are decoded over (keeping their buffers); extra ones are
// dropped at the end.
template <class T>
struct codec<std::vector<T>, std::enable_if_t<has_codec<T>>> {
  static void begin(void*) {}
  static slot element(void* p, std::size_t index) {
    auto& v = *static_cast<std::vector<T>*>(p);
    if (index < v.size()) return {&codec<T>::vt, &v[index]};
    return {&codec<T>::vt, &v.emplace_back()};
  }
  static void end(void* p, std::size_t count) {
    auto& v = *static_cast<std::vector<T>*>(p);
    if (count < v.size()) v.erase(v.begin() + static_cast<std::ptrdiff_t>(count), v.end());
  }
  static void reserve(void* p, std::size_t count, std::size_t max_bytes) {
    static_cast<std::vector<T>*>(p)->reserve(std::min(count, max_bytes / sizeof(T)));
  }
  static constexpr vtable vt{.kind = shape::array,
                             .expected = "array",
                             .inner = &codec<T>::vt,
                             .array_begin = &begin,
                             .element = &element,
                             .array_end = &end,
                             .reserve = &reserve};
};

template <class T>
struct codec<std::map<std::string, T, std::less<>>, std::enable_if_t<has_codec<T>>> {
  using map_type = std::map<std::string, T, std::less<>>;
  static void begin(void* p) { static_cast<map_type*>(p)->clear(); }
  static slot key(void* p, std::string_view k, frame& f) {
    f.member = -1;
    f.key.assign(k);
    auto& m = *static_cast<map_type*>(p);
    auto it = m.try_emplace(f.key).first;
    it->second = T{};
    return {&codec<T>::vt, &it->second};
  }
  static int end(void*, const frame&) { return -1; }
  static constexpr vtable vt{.kind = shape::object,
                             .expected = "object",
                             .inner = &codec<T>::vt,
                             .object_begin = &begin,
                             .key = &key,
                             .object_end = &end};
};

// Members are written in place. Keys usually arrive in declaration order, so the member after
// the previous key's is tried first; otherwise a compile-time perfect hash finds the member.
// Members absent from the JSON are reset to their values in a default-constructed `T`, so a
// reused object ends up as a fresh one would, with its buffers kept.
template <class T>
struct codec<T, std::enable_if_t<described_struct<T> && !has_value_traits<T>>> {
  using members = boost::describe::describe_members<T, boost::describe::mod_public |
                                                           boost::describe::mod_inherited>;
  static constexpr std::size_t size = boost::mp11::mp_size<members>::value;
  static_assert(size <= 64, "uniapi decodes structs of at most 64 members");

  template <std::size_t I>
  using member_type =
      std::remove_cvref_t<decltype(std::declval<T&>().*boost::mp11::mp_at_c<members, I>::pointer)>;

  struct entry {
    std::string_view name;
    const vtable* vt;
    void* (*get)(void*);
    void (*reset)(void*);
    bool required;
  };

  template <std::size_t I>
  static void* get(void* p) {
    return &(static_cast<T*>(p)->*boost::mp11::mp_at_c<members, I>::pointer);
  }

  static const T& defaults() {
    static const T d{};
    return d;
  }

  template <std::size_t I>
  static void reset(void* p) {
    constexpr auto ptr = boost::mp11::mp_at_c<members, I>::pointer;
    if constexpr (is_optional<member_type<I>>::value)
      if (defaults().*ptr == std::nullopt) return (static_cast<T*>(p)->*ptr).reset();
    static_cast<T*>(p)->*ptr = defaults().*ptr;
  }

  template <std::size_t... I>
  static constexpr std::array<entry, size> make_table(std::index_sequence<I...>) {
    return {{entry{uniapi::wire_name<T>(boost::mp11::mp_at_c<members, I>::name),
                   &codec<member_type<I>>::vt, &get<I>, &reset<I>,
                   !is_optional<member_type<I>>::value}...}};
  }
  static constexpr std::array<entry, size> table = make_table(std::make_index_sequence<size>{});

  static constexpr member_index<size> index{[] {
    std::array<std::string_view, size> names{};
    for (std::size_t i = 0; i < size; ++i)
      names[i] = table[i].name;
    return names;
  }()};

  static constexpr std::uint64_t all_mask =
      size == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << size) - 1;
  static constexpr std::uint64_t required_mask = [] {
    std::uint64_t m = 0;
    for (std::size_t i = 0; i < size; ++i)
      if (table[i].required) m |= std::uint64_t{1} << i;
    return m;
  }();

  static void begin(void*) {}

  static slot key(void* p, std::string_view k, frame& f) {
    auto next = static_cast<std::size_t>(f.member + 1);
    int i;
    if (next < size && same_key(table[next].name, k))
      i = static_cast<int>(next);
    else if (i = index.find(k); i < 0)
      return f.member = -1, slot{};
    f.member = i;
    f.seen |= std::uint64_t{1} << i;
    const entry& e = table[static_cast<std::size_t>(i)];
    return {e.vt, e.get(p)};
  }

  static int end(void* p, const frame& f) {
    std::uint64_t absent = all_mask & ~f.seen;
    if (std::uint64_t missing = absent & required_mask) return std::countr_zero(missing);
    for (; absent; absent &= absent - 1)
      table[static_cast<std::size_t>(std::countr_zero(absent))].reset(p);
    return -1;
  }

  static std::string_view name(int i) { return table[static_cast<std::size_t>(i)].name; }
  static const vtable* member_table(int i) { return table[static_cast<std::size_t>(i)].vt; }

  static constexpr vtable vt{.kind = shape::object,
                             .expected = "object",
                             .object_begin = &begin,
                             .key = &key,
                             .object_end = &end,
                             .member_name = &name,
                             .member_count = static_cast<int>(size),
                             .member_vt = &member_table};
};

// A type with `json::value_traits`: decoded as its wire type, then converted.
template <class T>
struct codec<T, std::enable_if_t<has_value_traits<T>>> {
  using traits = value_traits<T>;
  using wire = std::remove_cvref_t<typename traits::wire_type>;
  static_assert(has_codec<wire> && codec<wire>::vt.kind == shape::scalar,
                "uniapi::json::value_traits<T>::wire_type must be a string, integer, "
                "floating-point or boolean type");

  static bool convert(void* p, wire& w, std::string& err) {
    err.clear();
    if (traits::from_wire(w, *static_cast<T*>(p), err)) return true;
    if (err.empty()) err = "invalid value";
    return false;
  }
  static bool str(void* p, std::string_view s, std::string& err) {
    wire w{};
    return codec<wire>::vt.on_string(&w, s, err) && convert(p, w, err);
  }
  static bool num(void* p, const number_token& n, std::string& err) {
    wire w{};
    return codec<wire>::vt.on_number(&w, n, err) && convert(p, w, err);
  }
  static bool b(void* p, bool v, std::string& err) {
    wire w{};
    return codec<wire>::vt.on_bool(&w, v, err) && convert(p, w, err);
  }
  static constexpr vtable vt{.kind = shape::scalar,
                             .expected = codec<wire>::vt.expected,
                             .on_string = codec<wire>::vt.on_string ? &str : nullptr,
                             .on_number = codec<wire>::vt.on_number ? &num : nullptr,
                             .on_bool = codec<wire>::vt.on_bool ? &b : nullptr};
};

// Says in the first error line that a struct the codec has no other way to read or write is not
// described.
template <class T>
constexpr bool check_described() {
  static_assert(
      !std::is_class_v<T> || has_codec<T> || boost::describe::has_describe_members<T>::value,
      "uniapi::json: this struct is not described: add BOOST_DESCRIBE_STRUCT (or "
      "BOOST_DESCRIBE_CLASS) for it, or specialise uniapi::json::value_traits");
  return true;
}

// Says in the first error line why a type cannot be decoded.
template <class T>
constexpr bool check_codable() {
  static_assert(check_described<T>());
  static_assert(has_codec<T>,
                "uniapi::json: no codec for this type: use a supported type (see "
                "uniapi::json::decodable) or specialise uniapi::json::value_traits");
  return true;
}

}  // namespace uniapi::json::detail

#endif
