// uniapi — Merge ATS: candidates.
#ifndef UNIAPI_MERGE_ATS_CANDIDATE_HPP
#define UNIAPI_MERGE_ATS_CANDIDATE_HPP

#include <uniapi/merge/ats/common.hpp>
#include <uniapi/merge/query.hpp>

#include <boost/describe/class.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace uniapi::merge::ats {

/// A person applying or considered for jobs.
struct candidate {
  std::optional<std::string> id;
  std::optional<std::string> remote_id;
  std::optional<timestamp> created_at;
  std::optional<timestamp> modified_at;
  std::optional<std::string> first_name;
  std::optional<std::string> last_name;
  std::optional<std::string> company;
  std::optional<std::string> title;
  std::optional<timestamp> remote_created_at;
  std::optional<timestamp> remote_updated_at;
  std::optional<timestamp> last_interaction_at;
  std::optional<bool> is_private;
  std::optional<bool> can_email;
  std::optional<std::vector<std::optional<std::string>>> locations;
  std::optional<std::vector<phone_number>> phone_numbers;
  std::optional<std::vector<email_address>> email_addresses;
  std::optional<std::vector<url>> urls;
  std::optional<std::vector<std::optional<std::string>>> tags;
  /// Application ids, or applications with `expand=applications`.
  std::optional<std::vector<expandable>> applications;
  /// Attachment ids, or attachments with `expand=attachments`.
  std::optional<std::vector<expandable>> attachments;
  std::optional<bool> remote_was_deleted;
  std::optional<json::raw_json> field_mappings;
  /// The provider's original data, exactly as received (see `remote_data_entry`).
  std::optional<json::raw_json> remote_data;

  BOOST_DESCRIBE_CLASS(candidate, (),
                       (id, remote_id, created_at, modified_at, first_name, last_name, company,
                        title, remote_created_at, remote_updated_at, last_interaction_at,
                        is_private, can_email, locations, phone_numbers, email_addresses, urls,
                        tags, applications, attachments, remote_was_deleted, field_mappings,
                        remote_data),
                       (), ())
};

/// Filters of `GET /candidates`.
struct candidate_filters {
  std::optional<std::string> first_name;
  std::optional<std::string> last_name;
  std::optional<comma_list> email_addresses;
  std::optional<comma_list> tags;
  BOOST_DESCRIBE_CLASS(candidate_filters, (), (first_name, last_name, email_addresses, tags), (),
                       ())
};

/// `/api/ats/v1/candidates`: list and get.
struct candidates_resource {
  static constexpr std::string_view name = "candidates";
  static constexpr std::string_view path = "/api/ats/v1/candidates";
  using model = candidate;
  using list_query = merge::list_query<candidate_filters>;
  using get_query = merge::get_query<>;
};
inline constexpr candidates_resource candidates{};

}  // namespace uniapi::merge::ats

#endif
