// Member-by-member comparison of two decoded models, naming the first difference.
#ifndef UNIAPI_BENCHMARKS_PEERS_COMPARE_HPP
#define UNIAPI_BENCHMARKS_PEERS_COMPARE_HPP

#include "model_traits.hpp"

#include <boost/json/parse.hpp>

#include <algorithm>
#include <cmath>

namespace peers {

/// JSON equality where numbers compare as doubles to 12 significant digits: DOM libraries turn
/// integers beyond 2^64 into doubles, and not all of them round the last digit alike.
inline bool same_json(const boost::json::value& a, const boost::json::value& b) {
  if (a.is_number() && b.is_number()) {
    double x = a.to_number<double>(), y = b.to_number<double>();
    return x == y || std::abs(x - y) <= 1e-12 * std::max(std::abs(x), std::abs(y));
  }
  if (a.kind() != b.kind()) return false;
  if (a.is_array()) {
    const auto &x = a.get_array(), &y = b.get_array();
    if (x.size() != y.size()) return false;
    for (std::size_t i = 0; i < x.size(); ++i)
      if (!same_json(x[i], y[i])) return false;
    return true;
  }
  if (a.is_object()) {
    const auto &x = a.get_object(), &y = b.get_object();
    if (x.size() != y.size()) return false;
    for (const auto& kv : x) {
      const boost::json::value* other = y.if_contains(kv.key());
      if (!other || !same_json(kv.value(), *other)) return false;
    }
    return true;
  }
  return a == b;
}

/// The JSON path of the first member where `a` and `b` differ, or std::nullopt when equal.
///
/// `raw_json` members compare as JSON values (`same_json`), since a DOM library re-serialises
/// free-form values in its own spelling; everything else compares exactly, timestamps by instant
/// and by text.
template <class T>
std::optional<std::string> first_difference(const T& a, const T& b, const std::string& path = "$") {
  if constexpr (is_optional<T>::value) {
    if (a.has_value() != b.has_value()) return path + " (presence)";
    return a ? first_difference(*a, *b, path) : std::nullopt;
  } else if constexpr (std::is_same_v<T, uniapi::json::raw_json>) {
    if (a.text() == b.text()) return std::nullopt;
    if (!same_json(boost::json::parse(a.text()), boost::json::parse(b.text())))
      return path + " (" + a.text() + " vs " + b.text() + ")";
    return std::nullopt;
  } else if constexpr (std::is_same_v<T, uniapi::timestamp>) {
    if (a == b && a.text() == b.text()) return std::nullopt;
    return path + " (" + a.text() + " vs " + b.text() + ")";
  } else if constexpr (is_vector<T>::value) {
    if (a.size() != b.size()) return path + " (size)";
    for (std::size_t i = 0; i < a.size(); ++i)
      if (auto d = first_difference(a[i], b[i], path + "[" + std::to_string(i) + "]")) return d;
    return std::nullopt;
  } else if constexpr (is_map<T>::value) {
    if (a.size() != b.size()) return path + " (size)";
    for (const auto& [k, v] : a) {
      auto it = b.find(k);
      if (it == b.end()) return path + "." + k + " (presence)";
      if (auto d = first_difference(v, it->second, path + "." + k)) return d;
    }
    return std::nullopt;
  } else if constexpr (described_struct<T>) {
    std::optional<std::string> out;
    boost::mp11::mp_for_each<members_of<T>>([&](auto d) {
      if (!out)
        out = first_difference(a.*d.pointer, b.*d.pointer,
                               path + "." + std::string(uniapi::default_wire_name(d.name)));
    });
    return out;
  } else {
    if (a == b) return std::nullopt;
    return path;
  }
}

}  // namespace peers

#endif
