// uniapi — Truto's query parameters.
#ifndef UNIAPI_TRUTO_QUERY_HPP
#define UNIAPI_TRUTO_QUERY_HPP

#include <uniapi/core/error.hpp>
#include <uniapi/core/open_enum.hpp>
#include <uniapi/core/result.hpp>
#include <uniapi/wire/query_string.hpp>

#include <boost/describe/class.hpp>
#include <boost/describe/enum.hpp>
#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace uniapi::truto {

/// The id of a connected customer account. Every Truto call needs one, so query types hold it
/// as a member without a default: a query that does not set it does not compile.
class account_id {
 public:
  explicit account_id(std::string id) : id_(std::move(id)) {}
  explicit account_id(const char* id) : id_(id) {}
  const std::string& str() const noexcept { return id_; }

 private:
  std::string id_;
};

/// `truto_response_format` values.
enum class response_format { unified, raw, normalized, stream, debug };
BOOST_DESCRIBE_ENUM(response_format, unified, raw, normalized, stream, debug)

/// No resource-specific parameters.
struct no_params {
  BOOST_DESCRIBE_CLASS(no_params, (), (), (), ())
};

/// A date-time filter such as `created_at`: `eq` is sent as `created_at=<value>`, the comparisons
/// as `created_at[gte]=<value>` and so on. Values are ISO 8601 date-times (Truto converts them
/// for the provider); any combination may be set.
/// @code
/// .params = {.created_at = uniapi::truto::date_filter{.gte = "2024-01-01T00:00:00Z"}}
/// @endcode
struct date_filter {
  std::optional<std::string> eq;
  std::optional<std::string> gt;
  std::optional<std::string> gte;
  std::optional<std::string> lt;
  std::optional<std::string> lte;

  BOOST_DESCRIBE_CLASS(date_filter, (), (eq, gt, gte, lt, lte), (), ())

  /// Writes the set values under `key` (the customisation point of `append_query`).
  void append_query(query_string& q, query_string::key_path& key) const {
    if (eq) q.add(key, *eq);
    auto op = [&](const std::optional<std::string>& v, std::string_view name) {
      if (!v) return;
      key.push_back(name);
      q.add(key, *v);
      key.pop_back();
    };
    op(gt, "gt");
    op(gte, "gte");
    op(lt, "lt");
    op(lte, "lte");
  }

  /// Reads `key=value` into `eq` and `key[op]=value` into `op` (the inverse of `append_query`,
  /// for `read_query_parameter`).
  query_read read_query(std::span<const std::string_view> rest, std::string_view value) {
    if (rest.empty()) {
      eq.emplace(value);
      return query_read::ok;
    }
    if (rest.size() != 1) return query_read::unknown_key;
    for (auto [name, slot] : {std::pair{"eq", &eq}, std::pair{"gt", &gt}, std::pair{"gte", &gte},
                              std::pair{"lt", &lt}, std::pair{"lte", &lte}})
      if (rest[0] == name) {
        slot->emplace(value);
        return query_read::ok;
      }
    return query_read::unknown_key;
  }
};

namespace detail {
// Parameters every Truto request accepts, written after the resource's own.
template <class Q>
result<void> append_common(query_string& q, const Q& query) {
  if (query.integrated_account_id.str().empty())
    return make_error(errc::invalid_argument, "integrated_account_id must not be empty");
  q.add("integrated_account_id", query.integrated_account_id.str());
  append_query(q, query.params);
  if (query.truto_response_format)
    q.add("truto_response_format", query.truto_response_format->str());
  if (query.truto_ignore_remote_data)
    q.add("truto_ignore_remote_data", *query.truto_ignore_remote_data ? "true" : "false");
  for (const auto& f : query.truto_exclude_fields)
    q.add(query_string::key_path{"truto_exclude_fields", ""}, f);
  if (!query.remote_query.empty()) {
    query_string::key_path key{"remote_query"};
    uniapi::detail::add_json_value(q, key, boost::json::value(query.remote_query));
  }
  return append_bracketed(q, query.extra_params);
}
}  // namespace detail

/// The query of a Truto list request: the account, the resource's own filters in `params`, and
/// Truto's list parameters. The cursor is not here: the client adds it per page, so the query a
/// caller passes is never changed.
/// @code
/// {.integrated_account_id = uniapi::truto::account_id(acct),
///  .params = {.candidate_id = "c1"}, .limit = 100, .truto_exclude_fields = {"remote_data"}}
/// @endcode
template <class Params = no_params>
struct list_query {
  account_id integrated_account_id;
  Params params{};
  std::optional<std::int64_t> limit;
  std::optional<open_enum<response_format>> truto_response_format;
  std::optional<std::string> truto_key_by;
  std::optional<bool> truto_ignore_limit;
  std::optional<bool> truto_ignore_remote_data;
  std::vector<std::string> truto_exclude_fields;
  boost::json::object remote_query;
  std::optional<std::string> truto_super_query;
  /// Parameters this library does not model (yet), sent after the others as `key=value`; keys
  /// in bracket notation (`created_at[gte]`, `some_filter[]`), each segment percent-encoded.
  std::vector<std::pair<std::string, std::string>> extra_params;

  BOOST_DESCRIBE_CLASS(list_query, (),
                       (integrated_account_id, limit, truto_response_format, truto_key_by,
                        truto_ignore_limit, truto_ignore_remote_data, truto_exclude_fields,
                        remote_query, truto_super_query),
                       (), ())

  /// Writes the parameters; fails before any I/O when the account id is empty.
  result<void> append_to(query_string& q) const {
    if (auto r = detail::append_common(q, *this); !r) return r;
    if (limit) {
      if (*limit <= 0) return make_error(errc::invalid_argument, "limit must be positive");
      q.add("limit", std::to_string(*limit));
    }
    if (truto_key_by) q.add("truto_key_by", *truto_key_by);
    if (truto_ignore_limit) q.add("truto_ignore_limit", *truto_ignore_limit ? "true" : "false");
    if (truto_super_query) q.add("truto_super_query", *truto_super_query);
    return {};
  }
};

/// The query of a Truto request for one record or a write: the account, the method's own
/// parameters in `params`, and Truto's common parameters.
template <class Params = no_params>
struct request_query {
  account_id integrated_account_id;
  Params params{};
  std::optional<open_enum<response_format>> truto_response_format;
  std::optional<bool> truto_ignore_remote_data;
  std::vector<std::string> truto_exclude_fields;
  boost::json::object remote_query;
  /// Parameters this library does not model (yet), as in `list_query::extra_params`.
  std::vector<std::pair<std::string, std::string>> extra_params;

  BOOST_DESCRIBE_CLASS(request_query, (),
                       (integrated_account_id, truto_response_format, truto_ignore_remote_data,
                        truto_exclude_fields, remote_query),
                       (), ())

  /// Writes the parameters; fails before any I/O when the account id is empty.
  result<void> append_to(query_string& q) const { return detail::append_common(q, *this); }
};

}  // namespace uniapi::truto

#endif
