// Peer decoder: nlohmann::json::parse into its DOM, then a walk of the DOM into the model structs.
#ifndef UNIAPI_BENCHMARKS_PEERS_NLOHMANN_HPP
#define UNIAPI_BENCHMARKS_PEERS_NLOHMANN_HPP

#include "model_traits.hpp"

#include <nlohmann/json.hpp>

namespace peers::nlohmann_dom {

template <class T>
void from(const nlohmann::json& v, T& out) {
  if constexpr (is_optional<T>::value) {
    if (v.is_null()) {
      out.reset();
    } else {
      from(v, out.emplace());
    }
  } else if constexpr (std::is_same_v<T, uniapi::json::raw_json>) {
    out = uniapi::json::raw_json(v.dump());
  } else if constexpr (is_string_like<T>) {
    const auto* s = v.get_ptr<const nlohmann::json::string_t*>();
    if (!s) throw decode_error("expected string");
    assign_string(out, *s);
  } else if constexpr (std::is_same_v<T, bool>) {
    out = v.get<bool>();
  } else if constexpr (std::is_integral_v<T> || std::is_floating_point_v<T>) {
    if (!v.is_number()) throw decode_error("expected number");
    out = v.get<T>();
  } else if constexpr (is_vector<T>::value) {
    if (!v.is_array()) throw decode_error("expected array");
    out.resize(v.size());
    for (std::size_t i = 0; i < v.size(); ++i)
      from(v[i], out[i]);
  } else if constexpr (is_map<T>::value) {
    if (!v.is_object()) throw decode_error("expected object");
    for (const auto& [k, mv] : v.items())
      from(mv, out[k]);
  } else {
    static_assert(described_struct<T>);
    if (!v.is_object()) throw decode_error("expected object");
    boost::mp11::mp_for_each<members_of<T>>([&](auto d) {
      auto& m = out.*d.pointer;
      auto it = v.find(uniapi::default_wire_name(d.name));
      if (it != v.end()) {
        from(*it, m);
      } else if constexpr (!is_optional<std::remove_cvref_t<decltype(m)>>::value) {
        throw decode_error("missing required key");
      }
    });
  }
}

/// Decodes `text` into a fresh `T`.
template <class T>
T decode(std::string_view text) {
  nlohmann::json v = nlohmann::json::parse(text);
  T out{};
  from(v, out);
  return out;
}

}  // namespace peers::nlohmann_dom

#endif
