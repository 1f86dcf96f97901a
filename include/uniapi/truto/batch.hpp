// uniapi — Truto's batch requests (`POST /batch-request`): several unified or proxy calls for one
// integrated account in one request, with a typed builder and typed access to each node's records.
#ifndef UNIAPI_TRUTO_BATCH_HPP
#define UNIAPI_TRUTO_BATCH_HPP

#include <uniapi/client/download_info.hpp>
#include <uniapi/client/resource.hpp>
#include <uniapi/core/http.hpp>
#include <uniapi/json/decode.hpp>
#include <uniapi/json/encode.hpp>
#include <uniapi/truto/query.hpp>

#include <boost/describe/class.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace uniapi::truto {

/// One request node of a batch: `resource` is `model/resource` for a unified resource
/// (`ats/candidates`) or the provider's name for a proxy one (`candidates`). Its records come
/// back under `name` (or `resource` when unnamed). `depends_on`, `loop_on` and placeholders
/// (`{{args.x}}`, `{{resources.parent.id}}` in `id` and `query`) are Truto's; see its docs.
struct batch_node {
  std::string resource;
  std::string method;
  std::optional<std::string> name;
  std::optional<std::string> id;
  std::optional<boost::json::value> query;  ///< an object
  std::optional<boost::json::value> body;
  std::optional<std::string> depends_on;
  std::optional<std::string> loop_on;
  /// Proxy nodes are left out of the response unless this is true; unified ones are always in.
  std::optional<bool> persist;
  std::optional<std::string> response_format;  ///< raw, unified or normalized
};
BOOST_DESCRIBE_STRUCT(batch_node, (),
                      (resource, method, name, id, query, body, depends_on, loop_on, persist,
                       response_format))

/// The body of `POST /batch-request`.
struct batch_request {
  std::string integrated_account_id;
  std::optional<boost::json::value> args;  ///< an object
  std::vector<batch_node> resources;
};
BOOST_DESCRIBE_STRUCT(batch_request, (), (integrated_account_id, args, resources))

/// The answer of a batch: each node's records and errors by node name. Truto documents no
/// schema; its skill pages show `{"result": {"<node>": [...]}, "errors": {"<node>": [...]}}`,
/// which is what is read (a node's value as it is, usually an array of records).
struct batch_response {
  std::map<std::string, boost::json::value, std::less<>> result;
  std::map<std::string, boost::json::value, std::less<>> errors;

  /// The records of node `name` decoded as `T` (a described struct, or `boost::json::value`);
  /// a single record (a `get` node) reads as one element. An error naming the node when it is
  /// absent or a record does not decode (with the record's JSON path).
  template <class T>
  uniapi::result<std::vector<T>> records(std::string_view name) const {
    auto it = result.find(name);
    if (it == result.end())
      return make_error(errc::decode_failed,
                        "batch: no result for node \"" + std::string(name) + "\"");
    std::string text = it->second.is_array() ? boost::json::serialize(it->second)
                                             : "[" + boost::json::serialize(it->second) + "]";
    auto v = json::decode<std::vector<T>>(text);
    if (!v) {
      auto e = v.error();
      e.message = "batch node \"" + std::string(name) + "\": " + e.message;
      return e;
    }
    return v;
  }

  /// True when node `name` reported errors.
  bool failed(std::string_view name) const { return errors.find(name) != errors.end(); }
};
BOOST_DESCRIBE_STRUCT(batch_response, (), (result, errors))

/// Builds a batch for one integrated account from resource descriptors, so node resources and
/// methods are spelled as the client spells them.
/// @code
/// auto batch = truto::batch_builder(acct)
///                  .list(ats::jobs, "open_jobs", {{"status", "open"}})
///                  .get(ats::candidates, "one", "cand_3")
///                  .list(truto::proxy_resource("candidates"), "gh", {}, /*persist=*/true)
///                  .request();
/// auto answer = truto::send_batch(client, batch);
/// auto jobs = answer->records<ats::job>("open_jobs");
/// @endcode
class batch_builder {
 public:
  explicit batch_builder(const account_id& account) {
    request_.integrated_account_id = account.str();
  }

  /// Sets the argument `name` (read by `{{args.name}}` placeholders and `loop_on`).
  batch_builder& arg(const std::string& name, boost::json::value value) {
    if (!request_.args) request_.args.emplace(boost::json::object());
    request_.args->as_object()[name] = std::move(value);
    return *this;
  }

  /// Adds a `list` node for `r`, its records under `name`.
  template <listable R>
  batch_builder& list(const R& r, std::string name, boost::json::object query = {},
                      std::optional<bool> persist = std::nullopt) {
    return add(node(r, "list", std::move(name), std::move(query), persist));
  }

  /// Adds a `get` node for record `id` of `r`.
  template <gettable R>
  batch_builder& get(const R& r, std::string name, std::string id, boost::json::object query = {},
                     std::optional<bool> persist = std::nullopt) {
    batch_node n = node(r, "get", std::move(name), std::move(query), persist);
    n.id = std::move(id);
    return add(std::move(n));
  }

  /// Adds any node (transforms, `depends_on`, `loop_on`, custom methods).
  batch_builder& add(batch_node n) {
    request_.resources.push_back(std::move(n));
    return *this;
  }

  const batch_request& request() const& noexcept { return request_; }
  batch_request request() && noexcept { return std::move(request_); }

  /// The batch node name of `r`: `ats/candidates` for `/unified/ats/candidates`, the proxy name
  /// for `/proxy/...`, else the path without its leading `/`.
  template <class R>
  static std::string resource_name(const R& r) {
    std::string_view p = r.path;
    for (std::string_view prefix : {"/unified/", "/proxy/"})
      if (p.starts_with(prefix)) {
        if (prefix == "/proxy/") return std::string(r.name);
        return std::string(p.substr(prefix.size()));
      }
    return std::string(p.starts_with("/") ? p.substr(1) : p);
  }

 private:
  template <class R>
  static batch_node node(const R& r, std::string method, std::string name,
                         boost::json::object query, std::optional<bool> persist) {
    batch_node n;
    n.resource = resource_name(r);
    n.method = std::move(method);
    n.name = std::move(name);
    if (!query.empty()) n.query = boost::json::value(std::move(query));
    n.persist = persist;
    return n;
  }

  batch_request request_;
};

/// Sends `batch` as `POST /batch-request` through `client` (with its retries, hooks and errors;
/// an `Idempotency-Key` in `options` makes it safe to retry) and decodes the answer.
template <class Client>
result<batch_response> send_batch(Client& client, const batch_request& batch,
                                  call_options options = {}) {
  if (batch.integrated_account_id.empty())
    return make_error(errc::invalid_argument, "batch: integrated_account_id must not be empty");
  std::string reply;
  auto sent = client.send_raw(
      http_method::post, "/batch-request", no_params{}, json::encode(batch), "application/json",
      [&](std::string_view b) -> result<void> {
        reply.append(b);
        return {};
      },
      std::move(options));
  if (!sent) return sent.error();
  return json::decode<batch_response>(reply);
}

}  // namespace uniapi::truto

#endif
