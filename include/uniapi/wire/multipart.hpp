// uniapi — multipart/form-data request bodies.
#ifndef UNIAPI_WIRE_MULTIPART_HPP
#define UNIAPI_WIRE_MULTIPART_HPP

#include <uniapi/core/file_part.hpp>
#include <uniapi/core/wire_names.hpp>
#include <uniapi/json/encode.hpp>

#include <boost/describe/members.hpp>
#include <boost/mp11/algorithm.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

namespace uniapi {

/// True for described structs with at least one `file_part` member: such bodies are sent as
/// multipart/form-data, others as JSON.
template <class T>
constexpr bool is_multipart_body() {
  if constexpr (!boost::describe::has_describe_members<T>::value) {
    return false;
  } else {
    bool any = false;
    boost::mp11::mp_for_each<boost::describe::describe_members<T, boost::describe::mod_public>>(
        [&](auto d) {
          using M = std::remove_cvref_t<decltype(std::declval<T&>().*d.pointer)>;
          if (std::is_same_v<M, file_part> || std::is_same_v<M, std::optional<file_part>>)
            any = true;
        });
    return any;
  }
}

namespace detail {

/// A boundary of 32 letters and digits, different at every call (a counter and the clock mixed
/// by splitmix64): uniqueness is what a boundary needs, and the encoder checks that it occurs in
/// no part.
inline std::string make_boundary() {
  static std::atomic<std::uint64_t> counter{0};
  std::uint64_t x =
      counter.fetch_add(1, std::memory_order_relaxed) * 0x9e3779b97f4a7c15ull ^
      static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()) ^
      reinterpret_cast<std::uintptr_t>(&counter);
  static constexpr char alnum[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  std::string b = "uniapi-";
  for (int i = 0; i < 4; ++i) {
    x += 0x9e3779b97f4a7c15ull;  // splitmix64
    std::uint64_t z = x;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    z ^= z >> 31;
    for (int j = 0; j < 8; ++j, z >>= 8)
      b += alnum[(z & 0xff) % 36];
  }
  return b;
}

}  // namespace detail

/// A multipart/form-data body and its Content-Type (with the boundary).
struct multipart_body {
  std::string content_type;
  std::string data;
};

/// Encodes the described struct `body` as multipart/form-data: one part per set member, named
/// after it; `file_part` members as files, strings as text, anything else as JSON text.
template <class T>
multipart_body encode_multipart(const T& body) {
  multipart_body out;
  std::string boundary;
  std::size_t parts = 0;  // delimiters written: the boundary's only legitimate occurrences
  auto quoted = [](std::string_view s) {
    std::string q;
    for (char c : s) {
      if (c == '"' || c == '\\') q += '\\';
      if (c == '\r' || c == '\n') c = ' ';
      q += c;
    }
    return q;
  };
  auto part = [&](std::string_view name, const std::string* filename, std::string_view type,
                  std::string_view data) {
    ++parts;
    out.data +=
        "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + quoted(name) + "\"";
    if (filename) out.data += "; filename=\"" + quoted(*filename) + "\"";
    out.data += "\r\n";
    if (!type.empty()) out.data += "Content-Type: " + std::string(type) + "\r\n";
    out.data += "\r\n";
    out.data.append(data);
    out.data += "\r\n";
  };
  auto encode_parts = [&] {
    boost::mp11::mp_for_each<boost::describe::describe_members<T, boost::describe::mod_public>>(
        [&](auto d) {
          const auto& m = body.*d.pointer;
          auto name = uniapi::wire_name<T>(d.name);
          auto one = [&](const auto& v) {
            using V = std::remove_cvref_t<decltype(v)>;
            if constexpr (std::is_same_v<V, file_part>)
              part(name, &v.filename, v.content_type, v.data);
            else if constexpr (std::is_same_v<V, std::string>)
              part(name, nullptr, {}, v);
            else
              part(name, nullptr, "application/json", json::encode(v));
          };
          using M = std::remove_cvref_t<decltype(m)>;
          if constexpr (requires {
                          m.has_value();
                          *m;
                        } &&
                        !std::is_same_v<M, std::string>) {
            if (m) one(*m);
          } else {
            one(m);
          }
        });
  };
  // A boundary that occurs inside a part would cut it: draw another one (a fresh 32-character
  // boundary in file data is all but impossible, but file data is arbitrary).
  for (;;) {
    boundary = detail::make_boundary();
    out.data.clear();
    parts = 0;
    encode_parts();
    std::size_t seen = 0;
    std::string_view d = out.data;
    for (auto at = d.find(boundary); at != std::string_view::npos; at = d.find(boundary, at + 1))
      ++seen;
    if (seen == parts) break;
  }
  out.content_type = "multipart/form-data; boundary=" + boundary;
  out.data += "--" + boundary + "--\r\n";
  return out;
}

}  // namespace uniapi

#endif
