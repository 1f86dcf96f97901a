// uniapi — C++ objects to JSON text.
#ifndef UNIAPI_JSON_ENCODE_HPP
#define UNIAPI_JSON_ENCODE_HPP

#include <uniapi/core/open_enum.hpp>
#include <uniapi/core/timestamp.hpp>
#include <uniapi/core/wire_names.hpp>
#include <uniapi/json/detail/codec.hpp>
#include <uniapi/json/raw_json.hpp>
#include <uniapi/json/value_traits.hpp>
#include <uniapi/json/write.hpp>

#include <boost/describe/members.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <boost/mp11/algorithm.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace uniapi::json {
namespace detail {

inline void encode_to(std::string& out, const std::string& s) {
  write_string(out, s);
}
inline void encode_to(std::string& out, std::string_view s) {
  write_string(out, s);
}
inline void encode_to(std::string& out, bool b) {
  out += b ? "true" : "false";
}
template <class I>
requires(std::is_integral_v<I> && !std::is_same_v<I, bool>) void encode_to(std::string& out, I i) {
  write_integer(out, i);
}
template <class F>
requires std::is_floating_point_v<F>
void encode_to(std::string& out, F f) {
  write_double(out, static_cast<double>(f));
}
inline void encode_to(std::string& out, const timestamp& t) {
  out += '"';
  t.append_text(out);  // digits, '-', ':', '.', ',', '+', 'T', 'Z', ' ': nothing to escape
  out += '"';
}
template <class E>
void encode_to(std::string& out, const open_enum<E>& e) {
  write_string(out, e.str());
}
template <described_enum E>
requires(!has_value_traits<E>) void encode_to(std::string& out, E e) {
  write_string(out, enum_name(e));
}
template <has_value_traits T>
void encode_to(std::string& out, const T& v) {
  encode_to(out, value_traits<T>::to_wire(v));
}
inline void encode_to(std::string& out, const raw_json& r) {
  write_compact(out, r.text());
}
inline void encode_to(std::string& out, const boost::json::value& v) {
  out += boost::json::serialize(v);
}
template <class T>
void encode_to(std::string& out, const std::optional<T>& o);
template <class T>
void encode_to(std::string& out, const std::vector<T>& v);
template <class T>
void encode_to(std::string& out, const std::map<std::string, T, std::less<>>& m);
template <described_struct T>
requires(!has_value_traits<T>) void encode_to(std::string& out, const T& v);

template <class T>
void encode_to(std::string& out, const std::optional<T>& o) {
  if (o)
    encode_to(out, *o);
  else
    out += "null";
}

template <class T>
void encode_to(std::string& out, const std::vector<T>& v) {
  out.push_back('[');
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i) out.push_back(',');
    encode_to(out, v[i]);
  }
  out.push_back(']');
}

template <class T>
void encode_to(std::string& out, const std::map<std::string, T, std::less<>>& m) {
  out.push_back('{');
  bool first = true;
  for (const auto& [k, v] : m) {
    if (!first) out.push_back(',');
    first = false;
    write_string(out, k);
    out.push_back(':');
    encode_to(out, v);
  }
  out.push_back('}');
}

template <described_struct T>
requires(!has_value_traits<T>) void encode_to(std::string& out, const T& v) {
  using members = boost::describe::describe_members<T, boost::describe::mod_public |
                                                           boost::describe::mod_inherited>;
  out.push_back('{');
  bool first = true;
  boost::mp11::mp_for_each<members>([&](auto d) {
    const auto& m = v.*d.pointer;
    if constexpr (is_optional<std::remove_cvref_t<decltype(m)>>::value) {
      if (!m) return;
    }
    if (!first) out.push_back(',');
    first = false;
    write_string(out, uniapi::wire_name<T>(d.name));
    out.push_back(':');
    encode_to(out, m);
  });
  out.push_back('}');
}

}  // namespace detail

/// Appends the JSON encoding of `value` to `out`. Empty optional members are omitted (not written
/// as `null`); `timestamp` and `open_enum` are written as the text they were decoded from;
/// `raw_json` is written compactly: its insignificant whitespace (newlines, indentation) is dropped
/// and every other byte is kept as received, so the encoding is always one line.
template <class T>
void encode_to(std::string& out, const T& value) {
  if constexpr (requires { detail::encode_to(out, value); }) {
    detail::encode_to(out, value);
  } else {
    static_assert(detail::check_described<T>());
    static_assert(detail::check_described<T>() && !sizeof(T),
                  "uniapi::json: no encoding for this type: use a supported type or specialise "
                  "uniapi::json::value_traits");
  }
}

/// The JSON encoding of `value` (see `encode_to`).
template <class T>
std::string encode(const T& value) {
  std::string out;
  json::encode_to(out, value);
  return out;
}

}  // namespace uniapi::json

#endif
