// uniapi — the names of struct members and enumerators on the wire, and how to choose them.
#ifndef UNIAPI_CORE_WIRE_NAMES_HPP
#define UNIAPI_CORE_WIRE_NAMES_HPP

#include <string_view>

namespace uniapi {

/// The default wire name of a C++ identifier: the identifier without one trailing underscore, so
/// `private_` reads and writes `"private"`.
constexpr std::string_view default_wire_name(std::string_view identifier) noexcept {
  if (identifier.size() > 1 && identifier.back() == '_') identifier.remove_suffix(1);
  return identifier;
}

/// The names of the members of a described struct `T`, or of the enumerators of a described enum
/// `T`, wherever uniapi reads or writes them (JSON decoding and encoding, query strings, multipart
/// fields, `enum_name`).
///
/// By default a name is `default_wire_name(identifier)`. Specialise for your type to choose other
/// names; `name` must be `constexpr` and map distinct identifiers to distinct names:
/// @code
/// template <>
/// struct uniapi::wire_names<my_page> {
///   static constexpr std::string_view name(std::string_view member) noexcept {
///     if (member == "class_name") return "class";
///     if (member == "next_url") return "next";
///     return uniapi::default_wire_name(member);
///   }
/// };
/// @endcode
template <class T>
struct wire_names {
  static constexpr std::string_view name(std::string_view identifier) noexcept {
    return default_wire_name(identifier);
  }
};

/// The wire name of the member or enumerator `identifier` of `T` (see `wire_names`).
template <class T>
constexpr std::string_view wire_name(std::string_view identifier) noexcept {
  return wire_names<T>::name(identifier);
}

}  // namespace uniapi

#endif
