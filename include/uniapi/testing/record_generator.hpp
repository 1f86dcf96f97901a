// uniapi — deterministic, realistically messy JSON records for any described model.
#ifndef UNIAPI_TESTING_RECORD_GENERATOR_HPP
#define UNIAPI_TESTING_RECORD_GENERATOR_HPP

#include <uniapi/core/open_enum.hpp>
#include <uniapi/core/timestamp.hpp>
#include <uniapi/core/wire_names.hpp>
#include <uniapi/json/raw_json.hpp>
#include <uniapi/json/write.hpp>
#include <uniapi/testing/file_bytes.hpp>
#include <uniapi/testing/json_record.hpp>

#include <boost/describe/members.hpp>
#include <boost/mp11/algorithm.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace uniapi::testing {

namespace detail {

inline std::uint64_t mix(std::uint64_t a, std::uint64_t b) {
  std::uint64_t x = a * 0x9E3779B97F4A7C15ull ^ (b + 0x632BE59BD9B4E019ull);
  x ^= x >> 31;
  x *= 0xBF58476D1CE4E5B9ull;
  x ^= x >> 29;
  return x;
}

inline std::uint64_t hash_name(std::string_view s) {
  return file_seed(s);
}

template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};
template <class T>
struct is_vector : std::false_type {};
template <class T>
struct is_vector<std::vector<T>> : std::true_type {};
template <class T>
struct is_open_enum : std::false_type {};
template <class E>
struct is_open_enum<open_enum<E>> : std::true_type {
  using enum_type = E;
};

// Writes a JSON value of C++ type T, seeded by `seed`, for the member `name` of record `id`.
template <class T>
void write_value(std::string& out, std::uint64_t seed, std::string_view name, std::string_view id,
                 int depth);

template <class T>
void write_record(std::string& out, std::uint64_t seed, std::string_view id, int depth,
                  bool top_level) {
  out += '{';
  bool first = true;
  boost::mp11::mp_for_each<boost::describe::describe_members<T, boost::describe::mod_public>>(
      [&](auto d) {
        using M = std::remove_cvref_t<decltype(std::declval<T&>().*d.pointer)>;
        std::string_view key = uniapi::wire_name<T>(d.name);
        std::uint64_t s = mix(seed, hash_name(key));
        if constexpr (is_optional<M>::value) {
          // Real data: some optional fields are missing, some null.
          if (key != "id" && s % 9 == 0) return;
        }
        if (!first) out += ',';
        first = false;
        uniapi::json::write_string(out, key);
        out += ':';
        if constexpr (is_optional<M>::value) {
          if (key != "id" && s % 9 == 1) {
            out += "null";
            return;
          }
          write_value<typename M::value_type>(out, s, key, id, depth + 1);
        } else {
          write_value<M>(out, s, key, id, depth + 1);
        }
      });
  // Providers add keys the schema does not know.
  if (!first) out += ',';
  out += top_level ? R"("x_provider_field":{"a":[1,{"b":null}],"c":"\ud83d\ude00"})"
                   : R"("x_extra":true)";
  out += '}';
}

template <class T>
void write_value(std::string& out, std::uint64_t seed, std::string_view name, std::string_view id,
                 int depth) {
  if constexpr (std::is_same_v<T, std::string>) {
    if (name == "id") {
      uniapi::json::write_string(out, id);
      return;
    }
    static constexpr std::string_view samples[] = {"plain",          R"(caf\u00e9 \"quoted\")",
                                                   "line\\nbreak",   "\\ud83d\\ude80 rocket",
                                                   "\\u4e2d\\u6587", "a/b?c=d&e"};
    out += '"';
    out.append(name);
    out += ' ';
    out.append(samples[seed % std::size(samples)]);
    out += '"';
  } else if constexpr (std::is_same_v<T, bool>) {
    out += seed % 2 ? "true" : "false";
  } else if constexpr (std::is_integral_v<T>) {
    out += std::to_string(static_cast<std::int64_t>(seed % 1000));
  } else if constexpr (std::is_floating_point_v<T>) {
    static constexpr std::string_view samples[] = {"0.5", "120000", "99999.99", "1e3"};
    out.append(samples[seed % std::size(samples)]);
  } else if constexpr (std::is_same_v<T, timestamp>) {
    static constexpr std::string_view samples[] = {
        "2024-01-02T03:04:05Z", "2024-01-02T05:04:05.123+02:00", "2023-12-31T22:04:05.123456-05:00",
        "2024-02-29T00:00:00.5Z", "9999-12-31T23:59:59Z"};
    out += '"';
    out.append(samples[seed % std::size(samples)]);
    out += '"';
  } else if constexpr (is_open_enum<T>::value) {
    using E = typename is_open_enum<T>::enum_type;
    std::vector<std::string_view> names;
    boost::mp11::mp_for_each<boost::describe::describe_enumerators<E>>(
        [&](auto e) { names.push_back(uniapi::wire_name<E>(e.name)); });
    // One value in five is outside the spec, as providers send.
    if (seed % 5 == 4)
      out += R"("provider_specific_value")";
    else
      uniapi::json::write_string(out, names[seed % names.size()]);
  } else if constexpr (std::is_same_v<T, uniapi::json::raw_json>) {
    out += "{\"id\":9" + std::to_string(seed % 1000) +
           "123456789012345678901234567890,\"ratio\":0.1000000000000000055511151231257827,"
           "\"tags\":[\"a\",\"\\u00e9\"],\"nested\":{\"deep\":[{\"k\":null,\"t\":true}]},"
           "\"text\":\"line\\nbreak\"}";
  } else if constexpr (is_optional<T>::value) {  // an array element that may be null
    if (seed % 4 == 3)
      out += "null";
    else
      write_value<typename T::value_type>(out, mix(seed, 1), name, id, depth);
  } else if constexpr (is_vector<T>::value) {
    out += '[';
    std::size_t n = depth > 3 ? 0 : seed % 3;
    for (std::size_t k = 0; k < n; ++k) {
      if (k) out += ',';
      write_value<typename T::value_type>(out, mix(seed, k), name, id, depth + 1);
    }
    out += ']';
  } else {
    static_assert(boost::describe::has_describe_members<T>::value, "unsupported model member");
    std::string nested_id = std::string(name) + "_" + std::to_string(seed % 97);
    write_record<T>(out, seed, nested_id, depth, false);
  }
}

}  // namespace detail

/// Record number `index` of the described model `T`, as a provider behind Truto might send it,
/// as (key, JSON text) pairs: the id is `<prefix>_<index>`, optional fields are sometimes absent
/// and sometimes null, enums sometimes hold values outside the spec, strings carry escapes and
/// non-ASCII text, timestamps vary in offset and precision, `raw_json` members hold integers
/// beyond 2^64, and every object has a key the schema does not know. Same inputs, same record.
template <class T>
json_record generate_record(std::string_view prefix, std::size_t index) {
  std::string id = std::string(prefix) + "_" + std::to_string(index);
  std::string text;
  detail::write_record<T>(text, detail::mix(detail::hash_name(prefix), index), id, 0, true);
  // Split the top-level object into its members (values are balanced JSON texts).
  json_record out;
  std::size_t i = 1;
  while (i < text.size() - 1) {
    std::size_t key_end = text.find("\":", i + 1);
    std::string key = text.substr(i + 1, key_end - i - 1);
    std::size_t v = key_end + 2, depth = 0;
    bool in_string = false;
    std::size_t j = v;
    for (; j < text.size() - 1; ++j) {
      char c = text[j];
      if (in_string) {
        if (c == '\\')
          ++j;
        else if (c == '"')
          in_string = false;
      } else if (c == '"') {
        in_string = true;
      } else if (c == '{' || c == '[') {
        ++depth;
      } else if (c == '}' || c == ']') {
        --depth;
      } else if (c == ',' && depth == 0) {
        break;
      }
    }
    out.emplace_back(std::move(key), text.substr(v, j - v));
    i = j + 1;
  }
  return out;
}

}  // namespace uniapi::testing

#endif
