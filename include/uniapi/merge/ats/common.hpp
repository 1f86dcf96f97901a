// uniapi — Merge ATS: types the models share.
#ifndef UNIAPI_MERGE_ATS_COMMON_HPP
#define UNIAPI_MERGE_ATS_COMMON_HPP

#include <uniapi/core/open_enum.hpp>
#include <uniapi/core/result.hpp>
#include <uniapi/core/timestamp.hpp>
#include <uniapi/core/wire_names.hpp>
#include <uniapi/json/decode.hpp>
#include <uniapi/json/raw_json.hpp>

#include <boost/describe/class.hpp>
#include <boost/describe/enum.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace uniapi::merge::ats {

namespace detail {
struct with_id {
  std::optional<std::string> id;
  BOOST_DESCRIBE_CLASS(with_id, (), (id), (), ())
};
}  // namespace detail

/// A relation Merge can expand: the related record's id (a UUID string) by default, the related
/// record itself (an object) when its name is in the request's `expand`, or null. Kept as
/// received; read it with `related_id` and `expanded`.
using expandable = json::raw_json;

/// The id an expandable field refers to: the string itself, or the expanded object's `id`.
inline std::optional<std::string> related_id(const expandable& field) {
  using with_id = detail::with_id;
  const std::string& t = field.text();
  if (t.empty() || t == "null") return std::nullopt;
  if (t.front() == '"') {
    auto s = json::decode<std::string>(t);
    if (s) return std::move(*s);
    return std::nullopt;
  }
  auto r = json::decode<with_id>(t);
  if (!r) return std::nullopt;
  return std::move(r->id);
}

/// An expanded relation decoded as `T`; an error when the field holds only an id (not expanded).
template <class T>
result<T> expanded(const expandable& field) {
  return json::decode<T>(field.text());
}

/// A provider's original data for one of its API paths: `{"path": ..., "data": ...}`.
struct remote_data_entry {
  std::string path;
  json::raw_json data;
  BOOST_DESCRIBE_CLASS(remote_data_entry, (), (path, data), (), ())
};

/// Values of `phone_number_type` known to Merge; `open_enum` keeps others.
enum class phone_number_type { home, work, mobile, skype, other };
BOOST_DESCRIBE_ENUM(phone_number_type, home, work, mobile, skype, other)

/// Values of `email_address_type` known to Merge.
enum class email_address_type { personal, work, other };
BOOST_DESCRIBE_ENUM(email_address_type, personal, work, other)

/// Values of `url_type` known to Merge.
enum class url_type { personal, company, portfolio, blog, social_media, other, job_posting };
BOOST_DESCRIBE_ENUM(url_type, personal, company, portfolio, blog, social_media, other, job_posting)

/// Values of `attachment_type` known to Merge.
enum class attachment_type { resume, cover_letter, offer_letter, other };
BOOST_DESCRIBE_ENUM(attachment_type, resume, cover_letter, offer_letter, other)

/// Values of a job's `status` known to Merge.
enum class job_status { open, closed, draft, archived, pending };
BOOST_DESCRIBE_ENUM(job_status, open, closed, draft, archived, pending)

/// Values of a job's `type` known to Merge.
enum class job_type { posting, requisition, profile };
BOOST_DESCRIBE_ENUM(job_type, posting, requisition, profile)

namespace detail {
// Merge spells enumerators in capitals: `social_media` is "SOCIAL_MEDIA".
template <std::size_t N>
struct upper_names {
  std::string_view from[N];
  std::string_view to[N];
  constexpr std::string_view operator()(std::string_view id) const noexcept {
    for (std::size_t i = 0; i < N; ++i)
      if (from[i] == id) return to[i];
    return id;
  }
};
}  // namespace detail

}  // namespace uniapi::merge::ats

// Merge's enumerators are written in capitals on the wire (the customisation point of
// `uniapi::wire_names`).
template <>
struct uniapi::wire_names<uniapi::merge::ats::phone_number_type> {
  static constexpr std::string_view name(std::string_view id) noexcept {
    constexpr uniapi::merge::ats::detail::upper_names<5> n{
        {"home", "work", "mobile", "skype", "other"}, {"HOME", "WORK", "MOBILE", "SKYPE", "OTHER"}};
    return n(id);
  }
};
template <>
struct uniapi::wire_names<uniapi::merge::ats::email_address_type> {
  static constexpr std::string_view name(std::string_view id) noexcept {
    constexpr uniapi::merge::ats::detail::upper_names<3> n{{"personal", "work", "other"},
                                                           {"PERSONAL", "WORK", "OTHER"}};
    return n(id);
  }
};
template <>
struct uniapi::wire_names<uniapi::merge::ats::url_type> {
  static constexpr std::string_view name(std::string_view id) noexcept {
    constexpr uniapi::merge::ats::detail::upper_names<7> n{
        {"personal", "company", "portfolio", "blog", "social_media", "other", "job_posting"},
        {"PERSONAL", "COMPANY", "PORTFOLIO", "BLOG", "SOCIAL_MEDIA", "OTHER", "JOB_POSTING"}};
    return n(id);
  }
};
template <>
struct uniapi::wire_names<uniapi::merge::ats::attachment_type> {
  static constexpr std::string_view name(std::string_view id) noexcept {
    constexpr uniapi::merge::ats::detail::upper_names<4> n{
        {"resume", "cover_letter", "offer_letter", "other"},
        {"RESUME", "COVER_LETTER", "OFFER_LETTER", "OTHER"}};
    return n(id);
  }
};
template <>
struct uniapi::wire_names<uniapi::merge::ats::job_status> {
  static constexpr std::string_view name(std::string_view id) noexcept {
    constexpr uniapi::merge::ats::detail::upper_names<5> n{
        {"open", "closed", "draft", "archived", "pending"},
        {"OPEN", "CLOSED", "DRAFT", "ARCHIVED", "PENDING"}};
    return n(id);
  }
};
template <>
struct uniapi::wire_names<uniapi::merge::ats::job_type> {
  static constexpr std::string_view name(std::string_view id) noexcept {
    constexpr uniapi::merge::ats::detail::upper_names<3> n{{"posting", "requisition", "profile"},
                                                           {"POSTING", "REQUISITION", "PROFILE"}};
    return n(id);
  }
};

namespace uniapi::merge::ats {

/// A phone number of a candidate.
struct phone_number {
  std::optional<std::string> value;
  std::optional<open_enum<merge::ats::phone_number_type>> phone_number_type;
  std::optional<timestamp> created_at;
  std::optional<timestamp> modified_at;
  std::optional<bool> remote_was_deleted;
  BOOST_DESCRIBE_CLASS(phone_number, (),
                       (value, phone_number_type, created_at, modified_at, remote_was_deleted), (),
                       ())
};

/// An e-mail address of a candidate.
struct email_address {
  std::optional<std::string> value;
  std::optional<open_enum<merge::ats::email_address_type>> email_address_type;
  std::optional<timestamp> created_at;
  std::optional<timestamp> modified_at;
  std::optional<bool> remote_was_deleted;
  BOOST_DESCRIBE_CLASS(email_address, (),
                       (value, email_address_type, created_at, modified_at, remote_was_deleted), (),
                       ())
};

/// A URL of a candidate or a job posting.
struct url {
  std::optional<std::string> value;
  std::optional<open_enum<merge::ats::url_type>> url_type;
  std::optional<timestamp> created_at;
  std::optional<timestamp> modified_at;
  std::optional<bool> remote_was_deleted;
  BOOST_DESCRIBE_CLASS(url, (), (value, url_type, created_at, modified_at, remote_was_deleted), (),
                       ())
};

}  // namespace uniapi::merge::ats

#endif
