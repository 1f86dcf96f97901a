// uniapi — Merge ATS: attachments.
#ifndef UNIAPI_MERGE_ATS_ATTACHMENT_HPP
#define UNIAPI_MERGE_ATS_ATTACHMENT_HPP

#include <uniapi/merge/ats/common.hpp>
#include <uniapi/merge/query.hpp>

#include <boost/describe/class.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace uniapi::merge::ats {

/// A file (resume, cover letter, …) of a candidate.
struct attachment {
  std::optional<std::string> id;
  std::optional<std::string> remote_id;
  std::optional<timestamp> created_at;
  std::optional<timestamp> modified_at;
  std::optional<std::string> file_name;
  std::optional<std::string> file_url;
  /// The candidate's id, or the candidate with `expand=candidate`.
  std::optional<expandable> candidate;
  std::optional<open_enum<merge::ats::attachment_type>> attachment_type;
  std::optional<bool> remote_was_deleted;
  std::optional<json::raw_json> field_mappings;
  /// The provider's original data, exactly as received (see `remote_data_entry`).
  std::optional<json::raw_json> remote_data;

  BOOST_DESCRIBE_CLASS(attachment, (),
                       (id, remote_id, created_at, modified_at, file_name, file_url, candidate,
                        attachment_type, remote_was_deleted, field_mappings, remote_data),
                       (), ())
};

/// Filters of `GET /attachments`.
struct attachment_filters {
  std::optional<std::string> candidate_id;
  BOOST_DESCRIBE_CLASS(attachment_filters, (), (candidate_id), (), ())
};

/// `/api/ats/v1/attachments`: list and get.
struct attachments_resource {
  static constexpr std::string_view name = "attachments";
  static constexpr std::string_view path = "/api/ats/v1/attachments";
  using model = attachment;
  using list_query = merge::list_query<attachment_filters>;
  using get_query = merge::get_query<>;
};
inline constexpr attachments_resource attachments{};

}  // namespace uniapi::merge::ats

#endif
