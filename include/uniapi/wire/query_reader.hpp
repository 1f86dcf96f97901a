// uniapi — reading query parameters back into a query struct: the inverse of `append_query`.
#ifndef UNIAPI_WIRE_QUERY_READER_HPP
#define UNIAPI_WIRE_QUERY_READER_HPP

#include <uniapi/core/error.hpp>
#include <uniapi/core/open_enum.hpp>
#include <uniapi/core/result.hpp>
#include <uniapi/core/wire_names.hpp>
#include <uniapi/json/value_traits.hpp>
#include <uniapi/wire/query_string.hpp>

#include <boost/describe/members.hpp>
#include <boost/json/object.hpp>
#include <boost/mp11/algorithm.hpp>
#include <boost/url/pct_string_view.hpp>

#include <algorithm>
#include <charconv>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace uniapi {

/// What `read_query_parameter` did with a parameter.
enum class query_parameter_use {
  modelled,       ///< it set a member of the query or of its `params`
  passed_through  ///< no member has its key: it went to the query's `extra_params`, as given
};

namespace detail {

/// The rest of a key after the member it named: `created_at[gte]` is `{"gte"}` for `created_at`.
using query_key_rest = std::span<const std::string_view>;

template <class T>
query_read read_query_value(T& target, query_key_rest rest, std::string_view value);

template <class T>
bool read_query_scalar(T& out, std::string_view value) {
  if constexpr (std::is_same_v<T, std::string>) {
    out.assign(value);
    return true;
  } else if constexpr (std::is_same_v<T, bool>) {
    if (value != "true" && value != "false") return false;
    out = value == "true";
    return true;
  } else if constexpr (std::is_arithmetic_v<T>) {
    auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), out);
    return !value.empty() && ec == std::errc{} && p == value.data() + value.size();
  } else if constexpr (described_enum<T>) {
    auto e = enum_from_name<T>(value);
    if (e) out = *e;
    return e.has_value();
  } else if constexpr (requires {
                         { out.assign(value) } -> std::same_as<bool>;
                       }) {
    return out.assign(value);  // timestamp
  } else {
    out.assign(value);  // open_enum: any value
    return true;
  }
}

template <class T>
concept query_scalar = std::is_same_v<T, std::string> || std::is_arithmetic_v<T> ||
    described_enum<T> || requires(T& t, std::string_view s) {
  t.assign(s);
};

template <class T>
query_read read_query_members(T& target, query_key_rest rest, std::string_view value) {
  query_read r = query_read::unknown_key;
  boost::mp11::mp_for_each<boost::describe::describe_members<T, boost::describe::mod_public>>(
      [&](auto d) {
        if (r == query_read::unknown_key && uniapi::wire_name<T>(d.name) == rest.front())
          r = read_query_value(target.*d.pointer, rest.subspan(1), value);
      });
  return r;
}

template <class T>
query_read read_query_value(T& target, query_key_rest rest, std::string_view value) {
  if constexpr (requires {
                  { target.read_query(rest, value) } -> std::same_as<query_read>;
                }) {
    return target.read_query(rest, value);
  } else if constexpr (is_std_optional<T>::value) {
    bool was_set = target.has_value();
    if (!was_set) target.emplace();
    query_read r = read_query_value(*target, rest, value);
    if (r != query_read::ok && !was_set) target.reset();
    return r;
  } else if constexpr (json::has_value_traits<T>) {
    if (!rest.empty()) return query_read::unknown_key;
    typename json::value_traits<T>::wire_type w{};
    std::string error;
    if (!read_query_scalar(w, value) || !json::value_traits<T>::from_wire(w, target, error))
      return query_read::bad_value;
    return query_read::ok;
  } else if constexpr (query_scalar<T>) {
    if (!rest.empty()) return query_read::unknown_key;
    return read_query_scalar(target, value) ? query_read::ok : query_read::bad_value;
  } else if constexpr (std::is_same_v<T, boost::json::object>) {
    if (rest.empty()) return query_read::unknown_key;
    boost::json::object* o = &target;
    for (std::size_t i = 0; i + 1 < rest.size(); ++i) {
      auto& v = (*o)[rest[i]];
      if (!v.is_object()) v = boost::json::object();
      o = &v.as_object();
    }
    (*o)[rest.back()] = value;
    return query_read::ok;
  } else if constexpr (requires {
                         typename T::mapped_type;
                         target[std::string(rest.front())];
                       }) {
    if (rest.empty()) return query_read::unknown_key;
    typename T::mapped_type e{};
    query_read r = read_query_value(e, rest.subspan(1), value);
    if (r == query_read::ok) target[std::string(rest.front())] = std::move(e);
    return r;
  } else if constexpr (requires {
                         typename T::value_type;
                         target.push_back(std::declval<typename T::value_type>());
                       }) {
    // `a=v`, `a[]=v` and `a[0]=v` each append one element.
    if (rest.size() > 1) return query_read::unknown_key;
    if (rest.size() == 1 && !rest[0].empty() &&
        rest[0].find_first_not_of("0123456789") != std::string_view::npos)
      return query_read::unknown_key;
    typename T::value_type e{};
    query_read r = read_query_value(e, {}, value);
    if (r == query_read::ok) target.push_back(std::move(e));
    return r;
  } else if constexpr (boost::describe::has_describe_members<T>::value) {
    if (rest.empty()) return query_read::unknown_key;
    return read_query_members(target, rest, value);
  } else if constexpr (std::is_constructible_v<T, std::string> && std::is_assignable_v<T&, T>) {
    if (!rest.empty()) return query_read::unknown_key;
    target = T(std::string(value));  // an identifier class such as truto::account_id
    return query_read::ok;
  } else {
    return query_read::unknown_key;
  }
}

}  // namespace detail

/// Sets the parameter `key=value` on `query`, the way `query.append_to` would have written it:
/// `key` in bracket notation (`candidate_id`, `created_at[gte]`, `remote_query[a][b]`,
/// `truto_exclude_fields[]`), neither part percent-encoded.
///
/// The key is looked up among the described members of `query`, then among those of
/// `query.params` (a resource's own filters); a member's type reads the value (strings, `bool` as
/// `true`/`false`, numbers, `timestamp`, described enums and `open_enum` by wire name, types with
/// `json::value_traits`, optionals, sequences (each parameter appends), maps and JSON objects by
/// bracketed key, nested described structs, and any type with
/// `query_read read_query(std::span<const std::string_view> rest, std::string_view value)`). A key
/// no member has goes to `query.extra_params`, sent as given.
///
/// Fails with `errc::invalid_argument`, naming the key, when its brackets are malformed, when a
/// member cannot hold the value, or when the key is unknown and `Query` has no `extra_params`.
template <class Query>
result<query_parameter_use> read_query_parameter(Query& query, std::string_view key,
                                                 std::string_view value) {
  auto shown = [](std::string_view s) { return "\"" + std::string(s.substr(0, 64)) + "\""; };
  auto path = parse_bracketed_key(key);
  if (!path)
    return make_error(errc::invalid_argument, "malformed query parameter name " + shown(key));
  detail::query_key_rest rest(*path);
  query_read r = query_read::unknown_key;
  if constexpr (boost::describe::has_describe_members<Query>::value)
    r = detail::read_query_members(query, rest, value);
  if constexpr (requires { query.params; }) {
    if (r == query_read::unknown_key) r = detail::read_query_value(query.params, rest, value);
  }
  if (r == query_read::bad_value)
    return make_error(errc::invalid_argument,
                      "malformed value for query parameter " + shown(key) + ": " + shown(value));
  if (r == query_read::ok) return query_parameter_use::modelled;
  if constexpr (requires {
                  query.extra_params.emplace_back(std::string(key), std::string(value));
                }) {
    query.extra_params.emplace_back(std::string(key), std::string(value));
    return query_parameter_use::passed_through;
  } else {
    return make_error(errc::invalid_argument, "unknown query parameter " + shown(key));
  }
}

/// Reads every parameter of the encoded query string `encoded` (`a=1&b[c]=x%20y`, without `?`)
/// into `query` with `read_query_parameter`, in order: the inverse of `query_string::str()`.
/// Keys and values are percent-decoded (`+` stays `+`; brackets may be raw or encoded). Fails on
/// the first parameter that fails, or on a malformed percent escape.
template <class Query>
result<void> read_query_string(Query& query, std::string_view encoded) {
  while (!encoded.empty()) {
    std::string_view pair = encoded.substr(0, encoded.find('&'));
    encoded.remove_prefix(std::min(encoded.size(), pair.size() + 1));
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    auto key = boost::urls::make_pct_string_view(pair.substr(0, eq));
    auto value = boost::urls::make_pct_string_view(
        eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1));
    if (!key || !value)
      return make_error(errc::invalid_argument,
                        "malformed percent escape in \"" + std::string(pair.substr(0, 64)) + "\"");
    if (auto r = read_query_parameter(query, key->decode(), value->decode()); !r) return r.error();
  }
  return {};
}

}  // namespace uniapi

#endif
