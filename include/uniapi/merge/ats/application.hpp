// uniapi — Merge ATS: applications.
#ifndef UNIAPI_MERGE_ATS_APPLICATION_HPP
#define UNIAPI_MERGE_ATS_APPLICATION_HPP

#include <uniapi/merge/ats/common.hpp>
#include <uniapi/merge/query.hpp>

#include <boost/describe/class.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace uniapi::merge::ats {

/// A candidate's answer to a job's screening question.
struct screening_question_answer {
  std::optional<std::string> id;
  std::optional<std::string> remote_id;
  std::optional<timestamp> created_at;
  std::optional<timestamp> modified_at;
  /// The question's id, or the question with `expand=screening_question_answers.question`.
  std::optional<expandable> question;
  std::optional<std::string> answer;
  std::optional<bool> remote_was_deleted;
  BOOST_DESCRIBE_CLASS(screening_question_answer, (),
                       (id, remote_id, created_at, modified_at, question, answer,
                        remote_was_deleted),
                       (), ())
};

/// A candidate's application to a job.
struct application {
  std::optional<std::string> id;
  std::optional<std::string> remote_id;
  std::optional<timestamp> created_at;
  std::optional<timestamp> modified_at;
  std::optional<expandable> candidate;
  std::optional<expandable> job;
  std::optional<timestamp> applied_at;
  std::optional<timestamp> rejected_at;
  std::optional<std::vector<expandable>> offers;
  std::optional<std::string> source;
  std::optional<expandable> credited_to;
  /// Answers, or `expandable` entries when expanded.
  std::optional<std::vector<json::raw_json>> screening_question_answers;
  /// The interview stage's id (not an enum), or the stage with `expand=current_stage`.
  std::optional<expandable> current_stage;
  std::optional<expandable> reject_reason;
  std::optional<bool> remote_was_deleted;
  std::optional<json::raw_json> field_mappings;
  /// The provider's original data, exactly as received (see `remote_data_entry`).
  std::optional<json::raw_json> remote_data;

  BOOST_DESCRIBE_CLASS(application, (),
                       (id, remote_id, created_at, modified_at, candidate, job, applied_at,
                        rejected_at, offers, source, credited_to, screening_question_answers,
                        current_stage, reject_reason, remote_was_deleted, field_mappings,
                        remote_data),
                       (), ())
};

/// Filters of `GET /applications`.
struct application_filters {
  std::optional<std::string> candidate_id;
  std::optional<std::string> job_id;
  std::optional<std::string> credited_to_id;
  std::optional<std::string> current_stage_id;
  std::optional<std::string> reject_reason_id;
  std::optional<std::string> source;
  BOOST_DESCRIBE_CLASS(application_filters, (),
                       (candidate_id, job_id, credited_to_id, current_stage_id, reject_reason_id,
                        source),
                       (), ())
};

/// `/api/ats/v1/applications`: list and get.
struct applications_resource {
  static constexpr std::string_view name = "applications";
  static constexpr std::string_view path = "/api/ats/v1/applications";
  using model = application;
  using list_query = merge::list_query<application_filters>;
  using get_query = merge::get_query<>;
};
inline constexpr applications_resource applications{};

}  // namespace uniapi::merge::ats

#endif
