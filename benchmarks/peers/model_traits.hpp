// Type traits the peer decoders share: which kind of model member a C++ type is.
#ifndef UNIAPI_BENCHMARKS_PEERS_MODEL_TRAITS_HPP
#define UNIAPI_BENCHMARKS_PEERS_MODEL_TRAITS_HPP

#include <uniapi/core/open_enum.hpp>
#include <uniapi/core/timestamp.hpp>
#include <uniapi/core/wire_names.hpp>
#include <uniapi/json/raw_json.hpp>
#include <uniapi/testing/record_generator.hpp>

#include <boost/describe/members.hpp>
#include <boost/describe/modifiers.hpp>
#include <boost/mp11/algorithm.hpp>

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace peers {

// The same traits the record generator uses.
using uniapi::testing::detail::is_open_enum;
using uniapi::testing::detail::is_optional;
using uniapi::testing::detail::is_vector;

template <class T>
struct is_map : std::false_type {};
template <class T>
struct is_map<std::map<std::string, T, std::less<>>> : std::true_type {};

template <class T>
using members_of = boost::describe::describe_members<T, boost::describe::mod_public |
                                                            boost::describe::mod_inherited>;

template <class T>
concept described_struct = std::is_class_v<T> && boost::describe::has_describe_members<T>::value;

template <class T>
concept described_enum_type =
    std::is_enum_v<T> && boost::describe::has_describe_enumerators<T>::value;

/// Thrown by the peer decoders on any mismatch between the document and the model.
struct decode_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Sets `out` from a string value of kind timestamp / open_enum / described enum / string.
template <class T>
void assign_string(T& out, std::string_view s) {
  if constexpr (std::is_same_v<T, std::string>) {
    out.assign(s);
  } else if constexpr (std::is_same_v<T, uniapi::timestamp>) {
    auto t = uniapi::timestamp::parse(s);
    if (!t) throw decode_error("bad timestamp");
    out = std::move(*t);
  } else if constexpr (is_open_enum<T>::value) {
    out.assign(s);
  } else if constexpr (described_enum_type<T>) {
    auto e = uniapi::enum_from_name<T>(s);
    if (!e) throw decode_error("unknown enumerator");
    out = *e;
  } else {
    throw decode_error("string for a non-string member");
  }
}

template <class T>
constexpr bool is_string_like =
    std::is_same_v<T, std::string> || std::is_same_v<T, uniapi::timestamp> ||
    is_open_enum<T>::value || described_enum_type<T>;

/// Calls `f(member_descriptor, index)` for each described member of `T` whose wire name is `key`.
/// Starts after `previous` (keys usually come in declaration order) and returns the index found.
template <class T, class F>
int dispatch_member(std::string_view key, int previous, F&& f) {
  using M = members_of<T>;
  constexpr int n = static_cast<int>(boost::mp11::mp_size<M>::value);
  static constexpr auto names = [] {
    std::array<std::string_view, n> a{};
    int i = 0;
    boost::mp11::mp_for_each<M>([&](auto d) { a[i++] = uniapi::default_wire_name(d.name); });
    return a;
  }();
  for (int k = 0; k < n; ++k) {
    int i = previous + 1 + k;
    if (i >= n) i -= n;
    if (names[static_cast<std::size_t>(i)] == key) {
      boost::mp11::mp_with_index<n>(static_cast<std::size_t>(i), [&](auto I) {
        f(boost::mp11::mp_at_c<M, decltype(I)::value>{}, static_cast<int>(I));
      });
      return i;
    }
  }
  return -1;
}

}  // namespace peers

#endif
