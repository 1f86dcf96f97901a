// Peer decoder: boost::json::parse into a DOM, then a walk of the DOM into the model structs.
#ifndef UNIAPI_BENCHMARKS_PEERS_BOOST_DOM_HPP
#define UNIAPI_BENCHMARKS_PEERS_BOOST_DOM_HPP

#include "model_traits.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace peers::boost_dom {

template <class T>
void from(const boost::json::value& v, T& out);

template <class T>
void from(const boost::json::value& v, T& out) {
  if constexpr (is_optional<T>::value) {
    if (v.is_null()) {
      out.reset();
    } else {
      from(v, out.emplace());
    }
  } else if constexpr (std::is_same_v<T, uniapi::json::raw_json>) {
    out = uniapi::json::raw_json(boost::json::serialize(v));
  } else if constexpr (is_string_like<T>) {
    const boost::json::string* s = v.if_string();
    if (!s) throw decode_error("expected string");
    assign_string(out, *s);
  } else if constexpr (std::is_same_v<T, bool>) {
    out = v.as_bool();
  } else if constexpr (std::is_integral_v<T> || std::is_floating_point_v<T>) {
    out = v.to_number<T>();
  } else if constexpr (is_vector<T>::value) {
    const auto& a = v.as_array();
    out.resize(a.size());
    for (std::size_t i = 0; i < a.size(); ++i)
      from(a[i], out[i]);
  } else if constexpr (is_map<T>::value) {
    for (const auto& kv : v.as_object())
      from(kv.value(), out[std::string(kv.key())]);
  } else {
    static_assert(described_struct<T>);
    const auto& o = v.as_object();
    boost::mp11::mp_for_each<members_of<T>>([&](auto d) {
      auto& m = out.*d.pointer;
      if (const boost::json::value* mv = o.if_contains(uniapi::default_wire_name(d.name))) {
        from(*mv, m);
      } else if constexpr (!is_optional<std::remove_cvref_t<decltype(m)>>::value) {
        throw decode_error("missing required key");
      }
    });
  }
}

/// Decodes `text` into a fresh `T`.
template <class T>
T decode(std::string_view text) {
  boost::json::value v = boost::json::parse(text);
  T out{};
  from(v, out);
  return out;
}

}  // namespace peers::boost_dom

#endif
