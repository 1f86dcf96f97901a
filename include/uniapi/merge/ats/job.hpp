// uniapi — Merge ATS: jobs.
#ifndef UNIAPI_MERGE_ATS_JOB_HPP
#define UNIAPI_MERGE_ATS_JOB_HPP

#include <uniapi/merge/ats/common.hpp>
#include <uniapi/merge/query.hpp>

#include <boost/describe/class.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace uniapi::merge::ats {

/// A job (posting, requisition or profile).
struct job {
  std::optional<std::string> id;
  std::optional<std::string> remote_id;
  std::optional<timestamp> created_at;
  std::optional<timestamp> modified_at;
  std::optional<std::string> name;
  /// May contain HTML.
  std::optional<std::string> description;
  std::optional<std::string> code;
  std::optional<open_enum<job_status>> status;
  std::optional<open_enum<job_type>> type;
  std::optional<std::vector<expandable>> job_postings;
  std::optional<std::vector<url>> job_posting_urls;
  std::optional<timestamp> remote_created_at;
  std::optional<timestamp> remote_updated_at;
  std::optional<bool> confidential;
  std::optional<std::vector<expandable>> departments;
  std::optional<std::vector<expandable>> offices;
  std::optional<std::vector<expandable>> hiring_managers;
  std::optional<std::vector<expandable>> recruiters;
  std::optional<bool> remote_was_deleted;
  std::optional<json::raw_json> field_mappings;
  /// The provider's original data, exactly as received (see `remote_data_entry`).
  std::optional<json::raw_json> remote_data;

  BOOST_DESCRIBE_CLASS(job, (),
                       (id, remote_id, created_at, modified_at, name, description, code, status,
                        type, job_postings, job_posting_urls, remote_created_at, remote_updated_at,
                        confidential, departments, offices, hiring_managers, recruiters,
                        remote_was_deleted, field_mappings, remote_data),
                       (), ())
};

/// Filters of `GET /jobs`.
struct job_filters {
  std::optional<open_enum<job_status>> status;
  std::optional<std::string> code;
  std::optional<comma_list> offices;
  BOOST_DESCRIBE_CLASS(job_filters, (), (status, code, offices), (), ())
};

/// `/api/ats/v1/jobs`: list and get.
struct jobs_resource {
  static constexpr std::string_view name = "jobs";
  static constexpr std::string_view path = "/api/ats/v1/jobs";
  using model = job;
  using list_query = merge::list_query<job_filters>;
  using get_query = merge::get_query<>;
};
inline constexpr jobs_resource jobs{};

}  // namespace uniapi::merge::ats

#endif
