// uniapi — mapping C++ identifiers to JSON keys.
#ifndef UNIAPI_DETAIL_NAMES_HPP
#define UNIAPI_DETAIL_NAMES_HPP

#include <string_view>

namespace uniapi::detail {

/// The JSON name of a member or enumerator: its identifier without one trailing underscore, so
/// `private_` reads and writes `"private"`.
constexpr std::string_view wire_name(std::string_view identifier) noexcept {
  if (identifier.size() > 1 && identifier.back() == '_') identifier.remove_suffix(1);
  return identifier;
}

}  // namespace uniapi::detail

#endif
