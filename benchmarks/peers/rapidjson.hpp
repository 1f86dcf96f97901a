// Peer decoder: a RapidJSON Document (its in-situ-free default parse), then a walk into the
// structs.
#ifndef UNIAPI_BENCHMARKS_PEERS_RAPIDJSON_HPP
#define UNIAPI_BENCHMARKS_PEERS_RAPIDJSON_HPP

#include "model_traits.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <limits>

namespace peers::rapidjson_dom {

template <class T>
void from(const rapidjson::Value& v, T& out) {
  if constexpr (is_optional<T>::value) {
    if (v.IsNull()) {
      out.reset();
    } else {
      from(v, out.emplace());
    }
  } else if constexpr (std::is_same_v<T, uniapi::json::raw_json>) {
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    v.Accept(w);
    out = uniapi::json::raw_json(std::string(buf.GetString(), buf.GetSize()));
  } else if constexpr (is_string_like<T>) {
    if (!v.IsString()) throw decode_error("expected string");
    assign_string(out, std::string_view(v.GetString(), v.GetStringLength()));
  } else if constexpr (std::is_same_v<T, bool>) {
    if (!v.IsBool()) throw decode_error("expected boolean");
    out = v.GetBool();
  } else if constexpr (std::is_integral_v<T>) {
    if (v.IsInt64() && std::in_range<T>(v.GetInt64())) {
      out = static_cast<T>(v.GetInt64());
    } else if (v.IsUint64() && std::in_range<T>(v.GetUint64())) {
      out = static_cast<T>(v.GetUint64());
    } else {
      throw decode_error("expected integer");
    }
  } else if constexpr (std::is_floating_point_v<T>) {
    if (!v.IsNumber()) throw decode_error("expected number");
    out = static_cast<T>(v.GetDouble());
  } else if constexpr (is_vector<T>::value) {
    if (!v.IsArray()) throw decode_error("expected array");
    out.resize(v.Size());
    for (rapidjson::SizeType i = 0; i < v.Size(); ++i)
      from(v[i], out[i]);
  } else if constexpr (is_map<T>::value) {
    if (!v.IsObject()) throw decode_error("expected object");
    for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it)
      from(it->value, out[std::string(it->name.GetString(), it->name.GetStringLength())]);
  } else {
    static_assert(described_struct<T>);
    if (!v.IsObject()) throw decode_error("expected object");
    boost::mp11::mp_for_each<members_of<T>>([&](auto d) {
      auto& m = out.*d.pointer;
      std::string_view name = uniapi::default_wire_name(d.name);
      rapidjson::Value key(
          rapidjson::StringRef(name.data(), static_cast<rapidjson::SizeType>(name.size())));
      auto it = v.FindMember(key);
      if (it != v.MemberEnd()) {
        from(it->value, m);
      } else if constexpr (!is_optional<std::remove_cvref_t<decltype(m)>>::value) {
        throw decode_error("missing required key");
      }
    });
  }
}

/// Decodes `text` into a fresh `T`.
template <class T>
T decode(std::string_view text) {
  rapidjson::Document d;
  d.Parse(text.data(), text.size());
  if (d.HasParseError()) throw decode_error("malformed JSON");
  T out{};
  from(d, out);
  return out;
}

}  // namespace peers::rapidjson_dom

#endif
