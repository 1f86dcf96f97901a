// uniapi — Truto's Proxy API: a provider's own resources, named at run time.
#ifndef UNIAPI_TRUTO_PROXY_HPP
#define UNIAPI_TRUTO_PROXY_HPP

#include <uniapi/truto/query.hpp>
#include <uniapi/wire/query_string.hpp>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <string>
#include <string_view>

namespace uniapi::truto {

/// A resource of Truto's Proxy API (`/proxy/{resource}`): the integration's own objects
/// (Greenhouse `candidates`, Salesforce `Contact`), returned as the provider sends them.
///
/// A descriptor like the unified ones, so the client lists it (cursor pages, item streaming,
/// retries), gets, creates, updates and deletes its records; its name is given at run time.
/// `Model` is what each record decodes to: `boost::json::value` by default, or a described struct
/// of the fields a caller needs (other fields are ignored). Queries carry the account and pass
/// every other parameter through to the provider (`extra_params`); Truto forwards them.
/// @code
/// auto candidates = truto::proxy_resource("candidates");
/// for (auto& c : client.list_items(candidates, {.integrated_account_id = acct}))
///   if (c) use(c->as_object().at("first_name"));
/// @endcode
/// Writes send a JSON object and return the provider's body (Truto's documentation describes no
/// wrapper for proxy writes; the lenient reading is taken).
template <class Model = boost::json::value>
struct basic_proxy_resource {
  /// The provider's resource name, as the integration spells it (case matters for some).
  std::string name;
  /// `/proxy/{name}`.
  std::string path;

  using model = Model;
  using list_query = truto::list_query<>;
  using get_query = request_query<>;
  using create_body = boost::json::object;
  using create_query = request_query<>;
  using update_body = boost::json::object;
  using update_query = request_query<>;
  using delete_query = request_query<>;
};

/// The proxy resource `name` with records as `Model` (a JSON value unless told otherwise).
/// `name` is percent-encoded as one path segment (`/`, `.` and `..` included), so no name can
/// reach another route.
template <class Model = boost::json::value>
basic_proxy_resource<Model> proxy_resource(std::string_view name) {
  basic_proxy_resource<Model> r;
  r.name = std::string(name);
  r.path = "/proxy/" + encode_path_segment(name);
  return r;
}

/// The path of the custom method `method` of proxy resource `r`: `/proxy/{resource}/{method}`
/// (`method` percent-encoded as one segment). Call it with the client's `send_raw` (a JSON body,
/// `{}` when there is none, as Truto's SDK sends; an `Idempotency-Key` in the options is honoured
/// by Truto):
/// @code
/// client.send_raw(http_method::post, truto::proxy_method_path(candidates, "merge"),
///                 truto::request_query<>{.integrated_account_id = acct}, R"({"ids":[1,2]})",
///                 "application/json", sink);
/// @endcode
template <class Model>
std::string proxy_method_path(const basic_proxy_resource<Model>& r, std::string_view method) {
  return r.path + "/" + encode_path_segment(method);
}

}  // namespace uniapi::truto

#endif
