// uniapi — the JSON names of struct members and enumerators, and how to choose them.
#ifndef UNIAPI_JSON_WIRE_NAMES_HPP
#define UNIAPI_JSON_WIRE_NAMES_HPP

#include <uniapi/detail/names.hpp>

#include <string_view>

namespace uniapi::json {

/// The default JSON name of a C++ identifier: the identifier without one trailing underscore, so
/// `private_` reads and writes `"private"`.
constexpr std::string_view default_wire_name(std::string_view identifier) noexcept {
  return uniapi::detail::wire_name(identifier);
}

/// The JSON names of the members of a described struct `T`, or of the enumerators of a described
/// enum `T`, wherever uniapi reads or writes them (decoding, encoding, query strings, multipart
/// fields).
///
/// By default a name is `default_wire_name(identifier)`. Specialise for your type to choose other
/// names; `name` must be `constexpr` and map distinct identifiers to distinct names:
/// @code
/// template <>
/// struct uniapi::json::wire_names<my_page> {
///   static constexpr std::string_view name(std::string_view member) noexcept {
///     if (member == "class_name") return "class";
///     if (member == "next_url") return "next";
///     return uniapi::json::default_wire_name(member);
///   }
/// };
/// @endcode
template <class T>
struct wire_names {
  static constexpr std::string_view name(std::string_view identifier) noexcept {
    return default_wire_name(identifier);
  }
};

/// The JSON name of the member or enumerator `identifier` of `T` (see `wire_names`).
template <class T>
constexpr std::string_view wire_name(std::string_view identifier) noexcept {
  return wire_names<T>::name(identifier);
}

}  // namespace uniapi::json

#endif
