// uniapi — an in-process, Truto-compatible HTTP(S) server on a loopback port (the Truto emulation
// on `loopback_server`).
#ifndef UNIAPI_TRUTO_TESTING_TRUTO_SERVER_HPP
#define UNIAPI_TRUTO_TESTING_TRUTO_SERVER_HPP

#include <uniapi/core/detail/config.hpp>
#include <uniapi/testing/loopback_server.hpp>
#include <uniapi/testing/multipart_form.hpp>
#include <uniapi/testing/record_generator.hpp>
#include <uniapi/truto/ats/all.hpp>
#include <uniapi/truto/crm/contact.hpp>
#include <uniapi/truto/testing/fixtures.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace uniapi::testing {

/// Settings of `truto_server`.
struct truto_server_options {
  bool tls = false;                        ///< serve HTTPS with `certificate`/`private_key`
  std::string certificate;                 ///< PEM (see `test_certificates`)
  std::string private_key;                 ///< PEM
  std::string token = "local-test-token";  ///< the only Bearer token accepted
  std::string path_prefix;                 ///< served paths start with this (e.g. "/proxy")
  std::size_t attachment_count = 57;       ///< size of the attachments collection
  std::size_t records_per_resource = 23;   ///< size of every other collection
  std::size_t default_limit = 25;          ///< page size when the request has no `limit`
  bool empty_pages = false;                ///< put an empty page (with a cursor) before every page
  int repeat_cursor_after = 0;             ///< after this many pages, answer with an old cursor
  bool wrap_custom_responses = false;      ///< wrap custom-method JSON as {"result": ...}
  bool cache_records = false;  ///< keep each record's JSON once built (benchmarks: the server
                               ///< then costs little next to the client it measures)
  json_layout layout = json_layout::compact;  ///< layout of JSON bodies (not of generated pages)
  /// Waited before every answer (network and provider latency); other connections are served
  /// meanwhile.
  std::chrono::milliseconds latency{0};
  /// Per integrated account, at most this many requests per `rate_window` (0: no limit). Every
  /// answer to an account then carries Truto's `ratelimit-limit` (`N;w=S`), `ratelimit-remaining`
  /// and `ratelimit-reset` (seconds to the window's end); a request over the limit gets 429 with
  /// `Retry-After` and Truto's rate-limit error body.
  int rate_limit = 0;
  std::chrono::seconds rate_window{1};  ///< the window of `rate_limit`
  /// Integrated accounts the server does not know: their requests get 404 with Truto's error body.
  std::vector<std::string> unknown_accounts;
};

/// A Truto-compatible server for tests, demos and benchmarks, running on its own thread on an
/// ephemeral loopback port.
///
/// Serves `GET /unified/ats/attachments` (cursor pagination, `limit`, `candidate_id`,
/// `truto_ignore_remote_data`, `truto_exclude_fields[]`, `truto_ignore_limit`),
/// `POST /unified/ats/attachments` (multipart) and `POST /unified/ats/attachments/download`
/// (deterministic bytes, size from the `file_url`). Checks the Bearer token (401) and
/// `integrated_account_id` (400 with `truto_error_insight`), answers unknown routes with 404
/// and wrong verbs with 405, all with Truto's error body. Keep-alive, HTTP or HTTPS.
/// `GET /redirect?to=URL` answers 307 to `URL` (for redirect tests). Truto's Proxy API:
/// `/proxy/candidates` and `/proxy/jobs` (see `add_proxy_resource`). Truto's Custom API:
/// `/custom/...` with any verb (the call echoed as `{"result": ...}`, an array of items for
/// paths ending in `/items`, bytes for `GET /custom/files/...`). Unified meta:
/// `GET /unified/ats/<resource>/meta/<method>` for the methods the resource offers. Batch requests:
/// `POST /batch-request` with `list` and `get` nodes.
///
/// @par Thread Safety
/// `inject` and the counters may be used from any thread while the server runs.
class truto_server {
 public:
  explicit truto_server(truto_server_options options = {})
      : options_(std::move(options)),
        server_({.tls = options_.tls,
                 .certificate = options_.certificate,
                 .private_key = options_.private_key,
                 .layout = options_.layout},
                [this](const request& req, std::optional<fault> f) {
                  reply r = handle(req, f);
                  r.delay = options_.latency;
                  return r;
                }) {
    build_routes();
  }

  truto_server(const truto_server&) = delete;
  truto_server& operator=(const truto_server&) = delete;

  ~truto_server() { server_.stop(); }

  /// Serves `R` (a resource descriptor: its path and methods) with `count` records, record `i`
  /// being `record(i)` and carrying the id `id_prefix + i` (default `<name>_`); replaces a
  /// resource served at the same path. Call it before requests are sent (the server thread reads
  /// the routes unguarded). No resource is special-cased: routing, paging, filters and the
  /// record methods come from the descriptor.
  template <class R>
  void add_resource(std::size_t count, std::function<json_record(std::size_t)> record,
                    std::string id_prefix = {}) {
    route r;
    r.name = std::string(R::name);
    r.base = std::string(R::path);
    r.count = count;
    r.id_prefix = id_prefix.empty() ? r.name + "_" : std::move(id_prefix);
    r.record = std::move(record);
    r.methods = methods_of<R>();
    std::erase_if(routes_, [&](const route& x) { return x.base == r.base; });
    routes_.push_back(std::move(r));
  }

  /// Serves a resource of Truto's Proxy API at `/proxy/{name}` (list with cursor pages, get,
  /// create, update, delete), records as the provider sends them, ids `id_prefix + i`.
  /// `candidates` and `jobs` are served by default (Greenhouse-shaped).
  void add_proxy_resource(const std::string& name, std::size_t count,
                          std::function<json_record(std::size_t)> record, std::string id_prefix) {
    route r;
    r.name = "proxy/" + name;
    r.base = "/proxy/" + name;
    r.count = count;
    r.id_prefix = std::move(id_prefix);
    r.record = std::move(record);
    r.methods = unsigned(method::list) | unsigned(method::get) | unsigned(method::create) |
                unsigned(method::update) | unsigned(method::remove);
    std::erase_if(routes_, [&](const route& x) { return x.base == r.base; });
    routes_.push_back(std::move(r));
  }

  /// `http://127.0.0.1:PORT` or `https://...`, plus the path prefix.
  std::string base_url() const { return server_.origin() + options_.path_prefix; }
  unsigned short port() const noexcept { return server_.port(); }
  const std::string& token() const noexcept { return options_.token; }

  /// Record `index` of `resource` ("attachments", "contacts", ...) exactly as this server sends
  /// it (before `truto_exclude_fields`), or an empty record for an unknown resource.
  json_record record(std::string_view resource, std::size_t index) const {
    for (const auto& r : routes_)
      if (r.name == resource) return r.record(index);
    return {};
  }

  /// Applies `f` to the next `count` requests, after any faults already queued.
  void inject(fault f, int count = 1) { server_.inject(f, count); }

  /// TCP connections accepted so far.
  std::size_t connections_accepted() const noexcept { return server_.connections_accepted(); }
  /// Requests answered so far.
  std::size_t requests_served() const noexcept { return server_.requests_served(); }
  /// Response body bytes sent so far.
  std::uint64_t body_bytes_sent() const noexcept { return server_.body_bytes_sent(); }
  /// The `Authorization` headers of the last request, as received (for redirect tests).
  std::string last_authorization() const { return server_.last_header("Authorization"); }
  /// The request target (path and query, as sent) of the last request.
  std::string last_target() const { return server_.last_target(); }
  /// The `Idempotency-Key` of the last request, empty when it had none.
  std::string last_idempotency_key() const { return server_.last_header("Idempotency-Key"); }
  /// The generic server underneath (faults, counters, `last_header`, ...).
  loopback_server& server() noexcept { return server_; }

 private:
  using request = loopback_server::request;
  using reply = loopback_reply;
  using params = loopback_server::params;
  static constexpr auto& key_segments = loopback_server::key_segments;
  static constexpr auto& list_param = loopback_server::list_param;
  static constexpr auto& param = loopback_server::param;

  // A resource served at `base`: its records and which methods it answers.
  struct route {
    std::string name;       // "attachments"
    std::string base;       // "/unified/ats/attachments"
    std::string id_prefix;  // ids are "<id_prefix><index>"
    std::size_t count = 0;
    std::function<json_record(std::size_t)> record;
    unsigned methods = 0;
    std::set<std::string> customs;  // custom method path segments, e.g. "move-stage"
    bool has(method m) const { return methods & unsigned(m); }
    // The record index of `id` ("<name>_<index>"), if it is one of ours.
    std::optional<std::size_t> index_of(std::string_view id) const {
      if (id.rfind(id_prefix, 0) != 0) return std::nullopt;
      std::string_view digits = id.substr(id_prefix.size());
      std::size_t v = 0;
      auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
      if (ec != std::errc{} || p != digits.data() + digits.size() || digits.empty() || v >= count)
        return std::nullopt;
      return v;
    }
  };

  template <class R>
  void add_generated() {
    add_resource<R>(options_.records_per_resource, [name = std::string(R::name)](std::size_t i) {
      return generate_record<typename R::model>(name, i);
    });
  }

  // Truto's ATS and CRM resources with generated records; attachments from the fixture, whose
  // `file_url`s the download method serves.
  UNIAPI_DECL void build_routes();

  static UNIAPI_DECL reply error_reply(int status, std::string_view name, std::string_view message,
                                       std::string extra = {});

  UNIAPI_DECL reply handle(const request& req, std::optional<fault> f);
  // The canned answer of an injected fault; none for a fault of the connection, which the
  // loopback server applies to the usual answer.
  static UNIAPI_DECL std::optional<reply> fault_reply(fault f);

  // Where a path leads: a route (a record, a method, or `meta/<method>`), or the Custom API.
  struct destination {
    const route* rt = nullptr;
    bool custom_api = false;
    std::string_view tail;         // after the route's base: an id, a method, or the custom path
    std::string_view meta_method;  // for /unified/.../meta/<method>
  };
  // The destination of `path`; none for a path no route serves.
  UNIAPI_DECL std::optional<destination> resolve(std::string_view path) const;

  // Counts a request of `account` in its rate window: a 429 reply when the window is used up,
  // otherwise none, with the ratelimit-* headers to send in `headers`.
  UNIAPI_DECL std::optional<reply> take_rate_limit(
      std::string_view account, std::vector<std::pair<std::string, std::string>>& headers);
  // The answer of a request to a route, once authorised and within the rate limit.
  UNIAPI_DECL reply route_call(const route& rt, std::string_view tail, const request& req,
                               const params& q);

  UNIAPI_DECL reply list(const route& rt, const params& q);

  // GET /unified/ats/<resource>/meta/<method>: schemas built from the route's records.
  UNIAPI_DECL reply meta(const route& rt, std::string_view name);

  // POST /batch-request: list and get nodes over the routes (unified `model/resource`, proxy
  // names; proxy nodes only with `persist`), `{{args.x}}` in ids; results and errors by node.
  UNIAPI_DECL reply batch(const request& req);
  // One node of a batch: its records into `results`, or its error into `errors`, by its name.
  UNIAPI_DECL void batch_node(const boost::json::object& node, const boost::json::object* args,
                              boost::json::object& results, boost::json::object& errors) const;

  // /custom/<provider path>: any verb; echoes the call as {"result": ...}, a JSON array for paths
  // ending in /items, bytes for GET /custom/files/...
  UNIAPI_DECL reply custom_api_call(std::string_view provider_path, const request& req,
                                    const params& q);

  // A comparison of a date-time field: `created_at[gte]=...` (op "gte"), `created_at=...` ("eq").
  struct date_filter {
    std::string field, op;
    timestamp value;
  };

  // The date filters of `q` on `created_at`, `updated_at` and the like; none when a value is not
  // a date-time.
  static UNIAPI_DECL std::optional<std::vector<date_filter>> date_filters(const params& q);

  // True when `rec` passes every filter; a record without the field (or with null) fails.
  static UNIAPI_DECL bool matches(const json_record& rec, const std::vector<date_filter>& filters);

  // What a list request asks for, read from its parameters.
  struct list_request {
    std::size_t limit = 0, offset = 0, page_number = 0;
    bool empty_first = false;  // serve an empty page before the records (`empty_pages`)
    std::vector<std::string> excluded;
    std::optional<std::string> candidate;  // candidate_id
    std::vector<date_filter> dates;
    std::optional<std::string> key_by;
    std::string format;  // truto_response_format
    bool filtered() const { return candidate || !dates.empty(); }
    // True when `rec` passes the filters.
    UNIAPI_DECL bool selects(const json_record& rec) const;
  };
  // Reads `lr` from `q`; a 400 reply when a parameter is malformed.
  UNIAPI_DECL std::optional<reply> read_list_request(const route& rt, const params& q,
                                                     list_request& lr);
  // The JSON text of `rec`'s member `key`, if it has one.
  static UNIAPI_DECL std::optional<std::string> field_text(const json_record& rec,
                                                           std::string_view key);
  // A list page: `body` (the records) closed with the cursor `next` (none when empty) and the
  // count, with rate-limit headers; chunked for the `stream` format.
  UNIAPI_DECL reply list_reply(std::string body, std::string next, std::size_t page_number,
                               std::size_t emitted, const std::string& format);

  // Appends record `i` of `rt` without the `excluded` keys (from the cache when enabled).
  UNIAPI_DECL void append_record(std::string& out, const route& rt, std::size_t i,
                                 const std::vector<std::string>& excluded);

  // Pages of more records than this are generated while they are sent, never held whole.
  static constexpr std::size_t large_page = 2000;

  UNIAPI_DECL reply large_list(const route& rt, std::size_t offset, std::size_t limit,
                               std::size_t page_number, std::vector<std::string> excluded);

  static UNIAPI_DECL std::optional<boost::json::object> json_body(const request& req);

  // Replaces the members of `rec` that `body` sets (unknown body keys are ignored).
  static UNIAPI_DECL void merge(json_record& rec, const boost::json::object& body);

  static UNIAPI_DECL void set(json_record& rec, const std::string& key, std::string json_text);

  UNIAPI_DECL reply json_reply(int status, const json_record& rec, bool wrap = false);

  static UNIAPI_DECL reply missing_body_fields(std::string_view fields);

  UNIAPI_DECL reply create(const route& rt, const request& req);

  UNIAPI_DECL reply get_record(const route& rt, std::string_view id);

  UNIAPI_DECL reply update(const route& rt, std::string_view id, const request& req);

  UNIAPI_DECL reply custom(const route& rt, const std::string& name, const request& req,
                           const params& q);

  // An attachment upload: the multipart/form-data body's `file` part.
  UNIAPI_DECL reply create(const request& req);

  UNIAPI_DECL reply download(const params& q);

  truto_server_options options_;
  std::map<std::string, std::vector<std::string>> record_cache_;  // server thread only
  std::size_t created_ = 0;
  std::string first_cursor_;  // for repeat_cursor_after
  std::vector<route> routes_;
  // Rate-limit windows per integrated account (read and written on the server's thread only).
  struct rate_window_state {
    std::chrono::steady_clock::time_point start;
    int used = 0;
  };
  std::map<std::string, rate_window_state, std::less<>> rate_;
  loopback_server server_;  // last: stopped first
};

}  // namespace uniapi::testing

#if !defined(UNIAPI_SEPARATE_COMPILATION)
#include <uniapi/truto/testing/impl/truto_server.ipp>
#endif

#endif
