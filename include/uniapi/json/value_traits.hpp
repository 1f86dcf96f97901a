// uniapi — the customisation point for types the JSON codec does not know.
#ifndef UNIAPI_JSON_VALUE_TRAITS_HPP
#define UNIAPI_JSON_VALUE_TRAITS_HPP

namespace uniapi::json {

/// How a type of yours is read from and written to JSON, through a type the codec knows.
///
/// Not defined by default. Specialise it for a type the codec does not handle (a money type, an
/// identifier class, an enum whose wire spelling is not its identifiers) with a `wire_type` —
/// `std::string`, an integer, a floating-point type or `bool` — and two conversions:
/// @code
/// template <>
/// struct uniapi::json::value_traits<cents> {
///   using wire_type = std::string;                      // "12.34"
///   // Sets `out` from the decoded wire value; false with `error` set when it does not fit
///   // (the message is prefixed with the JSON path).
///   static bool from_wire(const std::string& w, cents& out, std::string& error);
///   static std::string to_wire(const cents& c);         // for encode and query strings
/// };
/// @endcode
/// A specialisation takes precedence over `BOOST_DESCRIBE` for the same type.
template <class T>
struct value_traits;

/// True when `value_traits<T>` is specialised.
template <class T>
concept has_value_traits = requires {
  typename value_traits<T>::wire_type;
};

}  // namespace uniapi::json

#endif
