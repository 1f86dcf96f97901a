// uniapi — Truto Unified ATS: attachments.
#ifndef UNIAPI_TRUTO_ATS_ATTACHMENT_HPP
#define UNIAPI_TRUTO_ATS_ATTACHMENT_HPP

#include <uniapi/json/raw_json.hpp>
#include <uniapi/multipart.hpp>
#include <uniapi/open_enum.hpp>
#include <uniapi/resource.hpp>
#include <uniapi/timestamp.hpp>
#include <uniapi/truto/ats/common.hpp>
#include <uniapi/truto/query.hpp>

#include <boost/describe/class.hpp>
#include <boost/describe/enum.hpp>

#include <optional>
#include <string>

namespace uniapi::truto::ats {

/// The kind of document an attachment is (`attachment_type`).
enum class attachment_kind { resume, cover_letter, other };
BOOST_DESCRIBE_ENUM(attachment_kind, resume, cover_letter, other)

/// A file (resume, cover letter, other) linked to a candidate, application or job.
struct attachment {
  std::string id;  ///< required
  std::optional<std::string> file_name;
  std::optional<std::string> file_url;  ///< pass to `attachments_download`
  std::optional<record_ref> candidate;
  std::optional<record_ref> application;
  std::optional<record_ref> job;
  std::optional<open_enum<attachment_kind>> attachment_type;
  std::optional<timestamp> created_at;
  std::optional<timestamp> updated_at;
  std::optional<json::raw_json> remote_data;  ///< the provider's record, verbatim

  BOOST_DESCRIBE_CLASS(attachment, (),
                       (id, file_name, file_url, candidate, application, job, attachment_type,
                        created_at, updated_at, remote_data),
                       (), ())
};

/// Filters of `GET /unified/ats/attachments`. `candidate_id` is required by most providers
/// (for Fountain it holds an application id); `expires_in` is the link lifetime in seconds
/// (Fountain).
struct attachment_list_params {
  std::optional<std::string> candidate_id;
  std::optional<std::string> organization_id;
  std::optional<std::string> job_id;
  std::optional<std::string> expires_in;
  std::optional<std::string> application_id;
  BOOST_DESCRIBE_CLASS(attachment_list_params, (),
                       (candidate_id, organization_id, job_id, expires_in, application_id), (), ())
};

/// Body of `POST /unified/ats/attachments` (multipart/form-data; Lever). Which candidate the file
/// belongs to is not documented: providers take it through `remote_data` or `remote_query`.
struct attachment_create_body {
  file_part file;
  std::optional<json::raw_json> remote_data;
  BOOST_DESCRIBE_CLASS(attachment_create_body, (), (file, remote_data), (), ())
};

/// Query of `POST /unified/ats/attachments/download`: the file is chosen by `file_url`, the
/// value of an attachment's `file_url`.
struct attachment_download_params {
  std::string file_url;
  BOOST_DESCRIBE_CLASS(attachment_download_params, (), (file_url), (), ())
};

/// Body of `POST /unified/ats/attachments/download`.
struct attachment_download_body {
  std::optional<json::raw_json> remote_data;
  BOOST_DESCRIBE_CLASS(attachment_download_body, (), (remote_data), (), ())
};

/// The `attachments` resource: list and create.
struct attachments_resource {
  static constexpr std::string_view name = "attachments";
  static constexpr std::string_view path = "/unified/ats/attachments";
  using model = attachment;
  using list_query = truto::list_query<attachment_list_params>;
  using create_body = attachment_create_body;
  using create_query = truto::request_query<>;
};
inline constexpr attachments_resource attachments{};

/// `attachments/download`: the bytes of one attachment's file.
struct attachments_download_method {
  static constexpr std::string_view name = "download";
  static constexpr std::string_view path = "/unified/ats/attachments/download";
  static constexpr http_method verb = http_method::post;
  using query = truto::request_query<attachment_download_params>;
  using body = attachment_download_body;
  using response = binary_response;
};
inline constexpr attachments_download_method attachments_download{};

static_assert(listable<attachments_resource> && creatable<attachments_resource>);
static_assert(!gettable<attachments_resource> && !updatable<attachments_resource>);
static_assert(custom_method<attachments_download_method>);

}  // namespace uniapi::truto::ats

#endif
