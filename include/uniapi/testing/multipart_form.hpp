// uniapi — reading multipart/form-data request bodies (RFC 7578), as the test servers receive
// uploads.
#ifndef UNIAPI_TESTING_MULTIPART_FORM_HPP
#define UNIAPI_TESTING_MULTIPART_FORM_HPP

#include <uniapi/core/error.hpp>
#include <uniapi/core/result.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace uniapi::testing {

/// One part of a multipart/form-data body.
struct form_part {
  std::string name;                     ///< Content-Disposition's `name`
  std::optional<std::string> filename;  ///< Content-Disposition's `filename`, when given
  std::string content_type;             ///< the part's Content-Type, "" when it has none
  std::string_view data;                ///< the part's bytes (a view of the body)
};

namespace detail {

constexpr char ascii_lower(char c) noexcept {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

constexpr bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}

constexpr std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

/// The value of the parameter `name` in a header value's `; name=value` list (a token or a
/// quoted string with `\` escapes), without the quotes and escapes; `std::nullopt` when absent
/// or when its quoted string is not closed.
inline std::optional<std::string> header_parameter(std::string_view value, std::string_view name) {
  std::size_t p = value.find(';');
  while (p != std::string_view::npos && p < value.size()) {
    ++p;
    while (p < value.size() && (value[p] == ' ' || value[p] == '\t'))
      ++p;
    std::size_t eq = value.find('=', p);
    if (eq == std::string_view::npos) return std::nullopt;
    bool wanted = iequals(trim(value.substr(p, eq - p)), name);
    p = eq + 1;
    while (p < value.size() && (value[p] == ' ' || value[p] == '\t'))
      ++p;
    std::string v;
    if (p < value.size() && value[p] == '"') {
      bool closed = false;
      for (++p; p < value.size(); ++p) {
        if (value[p] == '\\' && p + 1 < value.size()) {
          v += value[++p];
        } else if (value[p] == '"') {
          closed = true;
          ++p;
          break;
        } else {
          v += value[p];
        }
      }
      if (!closed) return std::nullopt;
      p = value.find(';', p);
    } else {
      std::size_t end = value.find(';', p);
      v = std::string(trim(value.substr(p, end == std::string_view::npos ? end : end - p)));
      p = end;
    }
    if (wanted) return v;
  }
  return std::nullopt;
}

/// `s` with the escapes browsers write in form-data names (`%22`, `%0D`, `%0A`) undone.
inline std::string unescape_form_name(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    std::string_view three = s.substr(i, 3);
    if (iequals(three, "%22") || iequals(three, "%0d") || iequals(three, "%0a")) {
      out += three[2] == '2' ? '"' : ascii_lower(three[2]) == 'd' ? '\r' : '\n';
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

}  // namespace detail

/// The boundary of a `multipart/form-data; boundary=...` Content-Type (a token or a quoted
/// string); `std::nullopt` when the type is another one or names no boundary (or an empty one,
/// or one longer than RFC 2046's 70 characters).
inline std::optional<std::string> multipart_boundary(std::string_view content_type) {
  std::string_view type = detail::trim(content_type.substr(0, content_type.find(';')));
  if (!detail::iequals(type, "multipart/form-data")) return std::nullopt;
  auto b = detail::header_parameter(content_type, "boundary");
  if (!b || b->empty() || b->size() > 70) return std::nullopt;
  return b;
}

/// The parts of the multipart/form-data `body` sent with `content_type`, in order. Each part
/// must have a Content-Disposition of `form-data` with a `name`; its `filename` and Content-Type
/// are kept. Fails with `errc::decode_failed`, saying what is wrong, when the type is not
/// multipart/form-data with a boundary, a delimiter is not followed by CRLF, a part's headers
/// have no end, a part has no name, or the closing delimiter is missing (a truncated body).
inline result<std::vector<form_part>> parse_multipart_form(std::string_view content_type,
                                                           std::string_view body) {
  auto fail = [](std::string what) { return make_error(errc::decode_failed, std::move(what)); };
  auto boundary = multipart_boundary(content_type);
  if (!boundary) return fail("not multipart/form-data with a boundary");
  const std::string delimiter = "--" + *boundary;
  const std::string next_delimiter = "\r\n" + delimiter;
  std::vector<form_part> parts;
  // The first delimiter starts the body or follows a preamble's CRLF.
  std::size_t at = body.rfind(delimiter, 0) == 0 ? 0 : body.find(next_delimiter);
  if (at == std::string_view::npos) return fail("no delimiter");
  if (at != 0) at += 2;
  for (;;) {
    std::size_t p = at + delimiter.size();
    if (body.substr(p, 2) == "--") return parts;  // the closing delimiter
    while (p < body.size() && (body[p] == ' ' || body[p] == '\t'))
      ++p;  // transport padding
    if (body.substr(p, 2) != "\r\n") return fail("a delimiter is not followed by CRLF");
    p += 2;
    std::size_t headers_end = body.substr(p, 2) == "\r\n" ? p : body.find("\r\n\r\n", p);
    if (headers_end == std::string_view::npos) return fail("a part's headers have no end");
    std::string_view headers = body.substr(p, headers_end - p);
    std::size_t data_start = headers_end + (headers_end == p ? 2 : 4);
    std::size_t data_end = body.find(next_delimiter, data_start);
    if (data_end == std::string_view::npos) return fail("the closing delimiter is missing");
    form_part part;
    bool disposition = false;
    while (!headers.empty()) {
      std::size_t eol = headers.find("\r\n");
      std::string_view line = headers.substr(0, eol);
      headers.remove_prefix(eol == std::string_view::npos ? headers.size() : eol + 2);
      std::size_t colon = line.find(':');
      if (colon == std::string_view::npos) return fail("a part header has no colon");
      std::string_view name = detail::trim(line.substr(0, colon));
      std::string_view value = detail::trim(line.substr(colon + 1));
      if (detail::iequals(name, "Content-Type")) {
        part.content_type = std::string(value);
      } else if (detail::iequals(name, "Content-Disposition")) {
        if (!detail::iequals(detail::trim(value.substr(0, value.find(';'))), "form-data"))
          return fail("a part's Content-Disposition is not form-data");
        auto n = detail::header_parameter(value, "name");
        if (!n) return fail("a part has no name");
        part.name = detail::unescape_form_name(*n);
        if (auto f = detail::header_parameter(value, "filename"))
          part.filename = detail::unescape_form_name(*f);
        disposition = true;
      }
    }
    if (!disposition) return fail("a part has no Content-Disposition");
    part.data = body.substr(data_start, data_end - data_start);
    parts.push_back(std::move(part));
    at = data_end + 2;
  }
}

}  // namespace uniapi::testing

#endif
