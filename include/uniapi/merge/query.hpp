// uniapi — Merge's query parameters.
#ifndef UNIAPI_MERGE_QUERY_HPP
#define UNIAPI_MERGE_QUERY_HPP

#include <uniapi/core/error.hpp>
#include <uniapi/core/result.hpp>
#include <uniapi/core/timestamp.hpp>
#include <uniapi/json/value_traits.hpp>
#include <uniapi/wire/query_string.hpp>

#include <boost/describe/class.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace uniapi::merge {

/// A list of names sent as one comma-separated value (`expand=candidate,job`), as Merge's
/// `expand`, `show_enum_origins` and multi-value filters take them. Names must not contain commas.
struct comma_list {
  std::vector<std::string> names;
  friend bool operator==(const comma_list&, const comma_list&) = default;
};

/// No resource-specific parameters.
struct no_params {
  BOOST_DESCRIBE_CLASS(no_params, (), (), (), ())
};

/// The query of a Merge list request: Merge's list parameters, the resource's own filters in
/// `params`, and parameters not modelled here in `extra_params`. The cursor is not here: the
/// client adds it per page (keep the rest unchanged between the pages of one listing, as Merge
/// requires).
/// @code
/// {.page_size = 100, .include_remote_data = true, .params = {.candidate_id = "c1"}}
/// @endcode
template <class Params = no_params>
struct list_query {
  std::optional<std::int64_t> page_size;  ///< Merge: 1–100, default 30
  std::optional<timestamp> created_after;
  std::optional<timestamp> created_before;
  std::optional<timestamp> modified_after;
  std::optional<timestamp> modified_before;
  std::optional<bool> include_remote_data;
  std::optional<bool> include_deleted_data;
  std::optional<bool> include_shell_data;
  std::optional<std::string> remote_id;
  std::optional<comma_list> expand;
  std::optional<comma_list> show_enum_origins;
  std::optional<comma_list> remote_fields;  ///< deprecated: use `show_enum_origins`
  Params params{};
  /// Parameters this library does not model, sent after the others as `key=value`.
  std::vector<std::pair<std::string, std::string>> extra_params;

  BOOST_DESCRIBE_CLASS(list_query, (),
                       (page_size, created_after, created_before, modified_after, modified_before,
                        include_remote_data, include_deleted_data, include_shell_data, remote_id,
                        expand, show_enum_origins, remote_fields),
                       (), ())

  /// Writes the parameters; fails before any I/O on a page size below 1 (Merge serves a larger
  /// one as 100).
  result<void> append_to(query_string& q) const {
    if (page_size && *page_size < 1)
      return make_error(errc::invalid_argument, "page_size must be positive");
    append_query(q, *this);  // the described members, then the resource's, then the extras
    append_query(q, params);
    return append_bracketed(q, extra_params);
  }
};

/// The query of a Merge request for one record.
template <class Params = no_params>
struct get_query {
  std::optional<bool> include_remote_data;
  std::optional<bool> include_shell_data;
  std::optional<comma_list> expand;
  std::optional<comma_list> show_enum_origins;
  std::optional<comma_list> remote_fields;  ///< deprecated: use `show_enum_origins`
  Params params{};
  /// Parameters this library does not model, sent after the others as `key=value`.
  std::vector<std::pair<std::string, std::string>> extra_params;

  BOOST_DESCRIBE_CLASS(get_query, (),
                       (include_remote_data, include_shell_data, expand, show_enum_origins,
                        remote_fields),
                       (), ())

  result<void> append_to(query_string& q) const {
    append_query(q, *this);
    append_query(q, params);
    return append_bracketed(q, extra_params);
  }
};

}  // namespace uniapi::merge

/// `comma_list` travels as one comma-separated string.
template <>
struct uniapi::json::value_traits<uniapi::merge::comma_list> {
  using wire_type = std::string;
  static bool from_wire(const std::string& w, uniapi::merge::comma_list& out, std::string&) {
    out.names.clear();
    std::size_t start = 0;
    while (start <= w.size() && !w.empty()) {
      auto comma = w.find(',', start);
      if (comma == std::string::npos) comma = w.size();
      out.names.push_back(w.substr(start, comma - start));
      start = comma + 1;
    }
    return true;
  }
  static std::string to_wire(const uniapi::merge::comma_list& l) {
    std::string s;
    for (const auto& n : l.names) {
      if (!s.empty()) s += ',';
      s += n;
    }
    return s;
  }
};

#endif
