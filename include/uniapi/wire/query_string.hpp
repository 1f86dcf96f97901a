// uniapi — query strings in the bracket notation unified APIs use.
#ifndef UNIAPI_WIRE_QUERY_STRING_HPP
#define UNIAPI_WIRE_QUERY_STRING_HPP

#include <uniapi/core/detail/config.hpp>
#include <uniapi/core/error.hpp>
#include <uniapi/core/open_enum.hpp>
#include <uniapi/core/result.hpp>
#include <uniapi/core/timestamp.hpp>
#include <uniapi/core/wire_names.hpp>
#include <uniapi/json/value_traits.hpp>
#include <uniapi/json/write.hpp>

#include <boost/describe/members.hpp>
#include <boost/json/value.hpp>
#include <boost/mp11/algorithm.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace uniapi {

/// `text` percent-encoded (UTF-8 bytes as `%XX`) except RFC 3986 unreserved characters
/// (`A-Z a-z 0-9 - . _ ~`): safe as a query key segment, a query value or one path segment.
UNIAPI_DECL std::string percent_encode(std::string_view text);

/// `segment` percent-encoded as one URL path segment: as by `percent_encode`, and `.` and `..`
/// (which URL parsers resolve) as `%2E` and `%2E%2E`, so no segment can climb a level.
inline std::string encode_path_segment(std::string_view segment) {
  if (segment == ".") return "%2E";
  if (segment == "..") return "%2E%2E";
  return percent_encode(segment);
}

/// How reading one value into a member went; the return type of a type's own
/// `read_query`, the inverse of its `append_query` (see `read_query_parameter`).
enum class query_read {
  ok,           ///< the member was set
  unknown_key,  ///< the key names no member of this type: nothing was set
  bad_value     ///< the member exists but cannot hold the value: nothing was set
};

/// An encoded query string built parameter by parameter.
///
/// Keys are written in bracket notation with raw brackets — `a=1`, `a[b][c]=x`, `a[]=y` —
/// and every key segment and value is percent-encoded except RFC 3986 unreserved characters,
/// so no input can add a parameter, a bracket level or a fragment.
class query_string {
 public:
  /// A key as segments: `{"a", "b", ""}` is written `a[b][]`.
  using key_path = std::vector<std::string_view>;

  /// Appends `key=value`.
  void add(std::string_view key, std::string_view value) { add(key_path{key}, value); }

  /// Appends `path[0][path[1]]...=value`.
  void add(const key_path& path, std::string_view value) {
    if (!encoded_.empty()) encoded_ += '&';
    for (std::size_t i = 0; i < path.size(); ++i) {
      if (i) encoded_ += '[';
      encoded_ += percent_encode(path[i]);
      if (i) encoded_ += ']';
    }
    encoded_ += '=';
    encoded_ += percent_encode(value);
  }

  /// Appends `key=value` where `key` is written in bracket notation already (`created_at[gte]`,
  /// `truto_exclude_fields[]`, `remote_query[a][b]`): each segment is encoded as by `add`, the
  /// brackets are kept. Returns false, adding nothing, when the brackets are not balanced pairs
  /// after a non-empty name (see `parse_bracketed_key`).
  bool add_bracketed(std::string_view key, std::string_view value);

  /// The encoded query, without a leading `?`.
  const std::string& str() const noexcept { return encoded_; }
  bool empty() const noexcept { return encoded_.empty(); }

 private:
  std::string encoded_;
};

/// The segments of a key in bracket notation: `a` is `{"a"}`, `a[b][c]` is `{"a", "b", "c"}`,
/// `a[]` is `{"a", ""}`. `std::nullopt` when the name before the first bracket is empty or the
/// brackets are not balanced pairs one after another (`a[b`, `a[b]c`, `a[[b]]`). The segments view
/// `key`.
inline std::optional<query_string::key_path> parse_bracketed_key(std::string_view key) {
  query_string::key_path path;
  auto b = key.find('[');
  path.push_back(key.substr(0, b));
  if (path.front().empty()) return std::nullopt;
  while (b != std::string_view::npos) {
    auto e = key.find(']', b);
    if (e == std::string_view::npos) return std::nullopt;
    std::string_view segment = key.substr(b + 1, e - b - 1);
    if (segment.find('[') != std::string_view::npos) return std::nullopt;
    path.push_back(segment);
    b = e + 1;
    if (b == key.size()) break;
    if (key[b] != '[') return std::nullopt;
  }
  return path;
}

inline bool query_string::add_bracketed(std::string_view key, std::string_view value) {
  auto path = parse_bracketed_key(key);
  if (!path) return false;
  add(*path, value);
  return true;
}

/// Appends `extra` (parameters a query type does not model, keys in bracket notation) to `q` in
/// order; fails with `errc::invalid_argument`, naming the key, on the first malformed key.
inline result<void> append_bracketed(
    query_string& q, const std::vector<std::pair<std::string, std::string>>& extra) {
  for (const auto& [k, v] : extra)
    if (!q.add_bracketed(k, v))
      return make_error(errc::invalid_argument,
                        "malformed query parameter name \"" + k.substr(0, 64) + "\"");
  return {};
}

namespace detail {

template <class T>
struct is_std_optional : std::false_type {};
template <class T>
struct is_std_optional<std::optional<T>> : std::true_type {};

template <class T>
void add_query_value(query_string& q, query_string::key_path& key, const T& v);

inline void add_json_value(query_string& q, query_string::key_path& key,
                           const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::object:
      for (const auto& kv : v.get_object()) {
        key.push_back(kv.key());
        add_json_value(q, key, kv.value());
        key.pop_back();
      }
      break;
    case boost::json::kind::array:
      key.push_back("");
      for (const auto& e : v.get_array())
        add_json_value(q, key, e);
      key.pop_back();
      break;
    case boost::json::kind::string:
      q.add(key, v.get_string());
      break;
    case boost::json::kind::bool_:
      q.add(key, v.get_bool() ? "true" : "false");
      break;
    case boost::json::kind::null:
      q.add(key, "");
      break;
    case boost::json::kind::int64:
    case boost::json::kind::uint64:
    case boost::json::kind::double_: {
      std::string s;
      if (v.is_int64())
        json::write_integer(s, v.get_int64());
      else if (v.is_uint64())
        json::write_integer(s, v.get_uint64());
      else
        json::write_double(s, v.get_double());
      q.add(key, s);
      break;
    }
  }
}

template <class T>
void add_query_value(query_string& q, query_string::key_path& key, const T& v) {
  if constexpr (is_std_optional<T>::value) {
    if (v) add_query_value(q, key, *v);
  } else if constexpr (json::has_value_traits<T>) {
    add_query_value(q, key, json::value_traits<T>::to_wire(v));
  } else if constexpr (requires { v.append_query(q, key); }) {
    v.append_query(q, key);
  } else if constexpr (std::is_same_v<T, std::string> || std::is_same_v<T, std::string_view>) {
    q.add(key, v);
  } else if constexpr (std::is_same_v<T, bool>) {
    q.add(key, v ? "true" : "false");
  } else if constexpr (std::is_arithmetic_v<T>) {
    std::string s;
    if constexpr (std::is_integral_v<T>)
      json::write_integer(s, v);
    else
      json::write_double(s, static_cast<double>(v));
    q.add(key, s);
  } else if constexpr (std::is_same_v<T, timestamp>) {
    q.add(key, v.text());
  } else if constexpr (described_enum<T>) {
    q.add(key, enum_name(v));
  } else if constexpr (requires { v.str(); }) {
    q.add(key, v.str());
  } else if constexpr (std::is_same_v<T, boost::json::value>) {
    add_json_value(q, key, v);
  } else if constexpr (std::is_same_v<T, boost::json::object>) {
    add_json_value(q, key, boost::json::value(v));
  } else if constexpr (requires {
                         typename T::mapped_type;
                         v.begin()->first;
                       }) {
    for (const auto& [k, e] : v) {
      key.push_back(k);
      add_query_value(q, key, e);
      key.pop_back();
    }
  } else if constexpr (requires {
                         v.begin();
                         v.size();
                       }) {
    key.push_back("");
    for (const auto& e : v)
      add_query_value(q, key, e);
    key.pop_back();
  } else {
    static_assert(boost::describe::has_describe_members<T>::value,
                  "query members must be scalars, containers, JSON or described structs");
    boost::mp11::mp_for_each<boost::describe::describe_members<T, boost::describe::mod_public>>(
        [&](auto d) {
          key.push_back(uniapi::wire_name<T>(d.name));
          add_query_value(q, key, v.*d.pointer);
          key.pop_back();
        });
  }
}

}  // namespace detail

/// Appends every set member of the described struct `params` to `q`, in declaration order:
/// scalars as `name=value`, sequences as `name[]=v`, maps, JSON objects and nested structs as
/// `name[key]=v` (recursively), empty optionals not at all. A member type with
/// `void append_query(query_string&, query_string::key_path&) const` writes itself.
template <class T>
void append_query(query_string& q, const T& params) {
  query_string::key_path key;
  detail::add_query_value(q, key, params);
}

}  // namespace uniapi

#if !defined(UNIAPI_SEPARATE_COMPILATION)
#include <uniapi/wire/impl/query_string.ipp>
#endif

#endif
