// Peer decoder: simdjson On-Demand, walking the document straight into the model structs.
#ifndef UNIAPI_BENCHMARKS_PEERS_SIMDJSON_HPP
#define UNIAPI_BENCHMARKS_PEERS_SIMDJSON_HPP

#include "model_traits.hpp"

#include <simdjson.h>

#include <bit>
#include <cstdint>

namespace peers::simdjson_ondemand {

namespace od = simdjson::ondemand;

template <class T>
void from(od::value v, T& out);

template <class T>
void from_object(od::object o, T& out) {
  if constexpr (is_map<T>::value) {
    for (auto field : o) {
      std::string_view key = field.unescaped_key();
      from(field.value(), out[std::string(key)]);
    }
  } else {
    static_assert(described_struct<T>);
    std::uint64_t seen = 0;
    int previous = -1;
    for (auto field : o) {
      std::string_view key = field.unescaped_key();
      od::value fv = field.value();
      int i = dispatch_member<T>(key, previous, [&](auto d, int) { from(fv, out.*d.pointer); });
      if (i >= 0) {
        seen |= std::uint64_t{1} << i;
        previous = i;
      }
    }
    int index = 0;
    boost::mp11::mp_for_each<members_of<T>>([&](auto d) {
      using M = std::remove_cvref_t<decltype(out.*d.pointer)>;
      if (!is_optional<M>::value && !(seen & (std::uint64_t{1} << index)))
        throw decode_error("missing required key");
      ++index;
    });
  }
}

inline std::string_view trim_right(std::string_view s) {
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

template <class T>
void from(od::value v, T& out) {
  if constexpr (is_optional<T>::value) {
    if (v.is_null()) {
      out.reset();
    } else {
      from(v, out.emplace());
    }
  } else if constexpr (std::is_same_v<T, uniapi::json::raw_json>) {
    std::string_view raw;
    switch (v.type()) {
      case od::json_type::object: {
        od::object o = v.get_object();
        raw = o.raw_json();
        break;
      }
      case od::json_type::array: {
        od::array a = v.get_array();
        raw = a.raw_json();
        break;
      }
      default:
        raw = trim_right(v.raw_json_token());
    }
    out.text().assign(raw);
  } else if constexpr (is_string_like<T>) {
    assign_string(out, std::string_view(v.get_string()));
  } else if constexpr (std::is_same_v<T, bool>) {
    out = bool(v.get_bool());
  } else if constexpr (std::is_integral_v<T>) {
    std::int64_t i;
    if (!v.get_int64().get(i) && std::in_range<T>(i)) {
      out = static_cast<T>(i);
      return;
    }
    std::uint64_t u = v.get_uint64();
    if (!std::in_range<T>(u)) throw decode_error("integer out of range");
    out = static_cast<T>(u);
  } else if constexpr (std::is_floating_point_v<T>) {
    out = static_cast<T>(double(v.get_double()));
  } else if constexpr (is_vector<T>::value) {
    out.clear();
    for (auto element : v.get_array())
      from(element.value(), out.emplace_back());
  } else {
    from_object(v.get_object(), out);
  }
}

/// Decodes `text` (with at least `simdjson::SIMDJSON_PADDING` readable bytes after it) into a
/// fresh `T`, reusing `parser`.
template <class T>
T decode(od::parser& parser, simdjson::padded_string_view text) {
  od::document doc = parser.iterate(text);
  T out{};
  from_object(doc.get_object(), out);
  return out;
}

}  // namespace peers::simdjson_ondemand

#endif
