// uniapi — Truto Unified CRM: contacts (the second category, on the same core as ATS).
#ifndef UNIAPI_TRUTO_CRM_CONTACT_HPP
#define UNIAPI_TRUTO_CRM_CONTACT_HPP

#include <uniapi/client/resource.hpp>
#include <uniapi/core/timestamp.hpp>
#include <uniapi/json/raw_json.hpp>
#include <uniapi/truto/query.hpp>

#include <boost/describe/class.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

// Field names come from an alphabetical rendering of Truto's docs plus sibling CRM objects
// (leads, accounts); the reference marks them high-confidence but unverified. Note the drift
// from ATS candidates (`emails`/`phones` there, `email_addresses`/`phone_numbers` here): the
// structs are separate on purpose.
namespace uniapi::truto::crm {

/// A reference with a display name: `{"id": "...", "name": "..."}`.
struct named_ref {
  std::optional<std::string> id;
  std::optional<std::string> name;
  BOOST_DESCRIBE_CLASS(named_ref, (), (id, name), (), ())
};

/// A reference to another record: `{"id": "..."}`.
struct record_ref {
  std::optional<std::string> id;
  BOOST_DESCRIBE_CLASS(record_ref, (), (id), (), ())
};

/// A postal address of a contact.
struct address {
  std::optional<std::string> id;
  std::optional<std::string> street_1;
  std::optional<std::string> street_2;
  std::optional<std::string> city;
  std::optional<std::string> state;
  std::optional<std::string> postal_code;
  std::optional<std::string> country;
  std::optional<std::string> type;
  BOOST_DESCRIBE_CLASS(address, (),
                       (id, street_1, street_2, city, state, postal_code, country, type), (), ())
};

/// An email address of a contact.
struct email_address {
  std::optional<std::string> id;
  std::optional<std::string> email;
  std::optional<std::string> type;
  BOOST_DESCRIBE_CLASS(email_address, (), (id, email, type), (), ())
};

/// A phone number of a contact.
struct phone_number {
  std::optional<std::string> id;
  std::optional<std::string> number;
  std::optional<std::string> extension;
  std::optional<std::string> type;
  BOOST_DESCRIBE_CLASS(phone_number, (), (id, number, extension, type), (), ())
};

/// A link of a contact.
struct typed_url {
  std::optional<std::string> url;
  std::optional<std::string> type;
  BOOST_DESCRIBE_CLASS(typed_url, (), (url, type), (), ())
};

/// A person in the CRM.
struct contact {
  std::string id;
  std::optional<std::string> first_name;
  std::optional<std::string> last_name;
  std::optional<std::string> name;
  std::optional<std::string> title;
  std::optional<named_ref> account;
  std::optional<record_ref> owner;
  std::optional<std::vector<address>> addresses;
  std::optional<std::vector<email_address>> email_addresses;
  std::optional<std::vector<phone_number>> phone_numbers;
  std::optional<std::vector<typed_url>> urls;
  std::optional<std::vector<named_ref>> tags;
  std::optional<json::raw_json> custom_fields;  ///< provider-defined fields, verbatim
  std::optional<std::string> etag;
  std::optional<timestamp> last_activity_at;
  std::optional<timestamp> created_at;
  std::optional<timestamp> updated_at;
  std::optional<json::raw_json> remote_data;
  BOOST_DESCRIBE_CLASS(contact, (),
                       (id, first_name, last_name, name, title, account, owner, addresses,
                        email_addresses, phone_numbers, urls, tags, custom_fields, etag,
                        last_activity_at, created_at, updated_at, remote_data),
                       (), ())
};

/// Body of `POST /unified/crm/contacts` and `PATCH /unified/crm/contacts/{id}`: the contact's
/// writable fields (unified names; which ones a provider honours is not documented here) and
/// `remote_data` for provider fields.
struct contact_write_body {
  std::optional<std::string> first_name;
  std::optional<std::string> last_name;
  std::optional<std::string> name;
  std::optional<std::string> title;
  std::optional<named_ref> account;
  std::optional<record_ref> owner;
  std::optional<std::vector<address>> addresses;
  std::optional<std::vector<email_address>> email_addresses;
  std::optional<std::vector<phone_number>> phone_numbers;
  std::optional<std::vector<typed_url>> urls;
  std::optional<std::vector<named_ref>> tags;
  std::optional<json::raw_json> custom_fields;
  std::optional<json::raw_json> remote_data;
  BOOST_DESCRIBE_CLASS(contact_write_body, (),
                       (first_name, last_name, name, title, account, owner, addresses,
                        email_addresses, phone_numbers, urls, tags, custom_fields, remote_data),
                       (), ())
};

/// Body of `POST /unified/crm/contacts/merge`. The docs say "the record to keep (with its id)
/// plus the duplicates to fold in" without the key names of the duplicates: `id` is the record
/// kept; pass the rest through `remote_data` as the provider expects.
struct contact_merge_body {
  std::optional<std::string> id;
  std::optional<json::raw_json> remote_data;
  BOOST_DESCRIBE_CLASS(contact_merge_body, (), (id, remote_data), (), ())
};

/// The `contacts` resource of the Unified CRM API: list, get, create, update, delete.
struct contacts_resource {
  static constexpr std::string_view name = "contacts";
  static constexpr std::string_view path = "/unified/crm/contacts";
  using model = contact;
  using list_query = truto::list_query<>;
  using get_query = truto::request_query<>;
  using create_body = contact_write_body;
  using create_query = truto::request_query<>;
  using update_body = contact_write_body;
  using update_query = truto::request_query<>;
  using delete_query = truto::request_query<>;
};
inline constexpr contacts_resource contacts{};

/// `POST /unified/crm/contacts/merge`: answers with the kept contact (bare or wrapped).
struct contacts_merge_method {
  static constexpr std::string_view name = "merge";
  static constexpr std::string_view resource = "contacts";
  static constexpr std::string_view path = "/unified/crm/contacts/merge";
  static constexpr http_method verb = http_method::post;
  using query = truto::request_query<>;
  using body = contact_merge_body;
  using response = contact;
};
inline constexpr contacts_merge_method contacts_merge{};

/// Every CRM resource and custom method uniapi models.
using all_resources = std::tuple<contacts_resource>;
using all_custom_methods = std::tuple<contacts_merge_method>;

static_assert(listable<contacts_resource> && gettable<contacts_resource> &&
              creatable<contacts_resource> && updatable<contacts_resource> &&
              deletable<contacts_resource>);
static_assert(custom_method<contacts_merge_method>);

}  // namespace uniapi::truto::crm

#endif
