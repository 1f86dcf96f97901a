// uniapi — enumerations that keep values they do not know.
#ifndef UNIAPI_CORE_OPEN_ENUM_HPP
#define UNIAPI_CORE_OPEN_ENUM_HPP

#include <uniapi/core/wire_names.hpp>

#include <boost/describe/enum.hpp>
#include <boost/describe/enumerators.hpp>
#include <boost/mp11/algorithm.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

namespace uniapi {

/// True for enums described with `BOOST_DESCRIBE_ENUM`.
template <class E>
concept described_enum = std::is_enum_v<E> && boost::describe::has_describe_enumerators<E>::value;

/// The wire name of a described enumerator (`uniapi::wire_name<E>`: by default its identifier, a
/// trailing `_` removed); empty when `e` is not an enumerator.
template <described_enum E>
constexpr std::string_view enum_name(E e) noexcept {
  std::string_view out;
  boost::mp11::mp_for_each<boost::describe::describe_enumerators<E>>([&](auto d) {
    if (d.value == e) out = uniapi::wire_name<E>(d.name);
  });
  return out;
}

/// The enumerator whose wire name is `s`, if any.
template <described_enum E>
constexpr std::optional<E> enum_from_name(std::string_view s) noexcept {
  std::optional<E> out;
  boost::mp11::mp_for_each<boost::describe::describe_enumerators<E>>([&](auto d) {
    if (!out && uniapi::wire_name<E>(d.name) == s) out = d.value;
  });
  return out;
}

/// A value of the described enum `E`, or a string the enum does not name.
///
/// Providers add values faster than schemas change: an unknown value is kept as received, so it
/// can be shown, compared and re-encoded, instead of failing the whole document.
template <described_enum E>
class open_enum {
 public:
  open_enum() = default;
  /// A known value.
  constexpr open_enum(E e) : value_(e), known_(true) {}  // NOLINT: implicit on purpose

  /// The value named `s`, known or not.
  static open_enum from_string(std::string_view s) {
    open_enum r;
    r.assign(s);
    return r;
  }
  /// Sets the value named `s`, reusing this object's storage.
  void assign(std::string_view s) {
    if (auto e = enum_from_name<E>(s)) {
      value_ = *e;
      known_ = true;
      raw_.clear();
    } else {
      known_ = false;
      raw_.assign(s);
    }
  }

  /// The enumerator, or `std::nullopt` for a value `E` does not name.
  std::optional<E> value() const noexcept {
    return known_ ? std::optional<E>(value_) : std::nullopt;
  }
  /// True when `value()` holds an enumerator.
  bool is_known() const noexcept { return known_; }
  /// The wire string: the enumerator's name, or the unknown value as received.
  std::string_view str() const noexcept {
    return known_ ? enum_name(value_) : std::string_view(raw_);
  }

  friend bool operator==(const open_enum& a, const open_enum& b) noexcept {
    return a.str() == b.str();
  }
  friend bool operator==(const open_enum& a, E b) noexcept { return a.known_ && a.value_ == b; }

 private:
  E value_{};
  bool known_ = false;
  std::string raw_;
};

}  // namespace uniapi

#endif
