// uniapi — an in-process, Truto-compatible HTTP(S) server on a loopback port (the Truto emulation
// on `loopback_server`).
#ifndef UNIAPI_TESTING_LOCAL_SERVER_HPP
#define UNIAPI_TESTING_LOCAL_SERVER_HPP

#include <uniapi/testing/ats_fixtures.hpp>
#include <uniapi/testing/loopback_server.hpp>
#include <uniapi/testing/record_generator.hpp>
#include <uniapi/truto/ats/all.hpp>
#include <uniapi/truto/crm/contact.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <charconv>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace uniapi::testing {

/// Settings of `local_server`.
struct local_server_options {
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
/// `GET /redirect?to=URL` answers 307 to `URL` (for redirect tests).
///
/// @par Thread Safety
/// `inject` and the counters may be used from any thread while the server runs.
class local_server {
 public:
  explicit local_server(local_server_options options = {})
      : options_(std::move(options)),
        server_({.tls = options_.tls,
                 .certificate = options_.certificate,
                 .private_key = options_.private_key,
                 .layout = options_.layout},
                [this](const request& req, std::optional<fault> f) { return handle(req, f); }) {
    build_routes();
  }

  local_server(const local_server&) = delete;
  local_server& operator=(const local_server&) = delete;

  ~local_server() { server_.stop(); }

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
  void build_routes() {
    std::apply([&](auto... r) { (add_generated<decltype(r)>(), ...); },
               truto::ats::all_resources{});
    add_generated<truto::crm::contacts_resource>();
    add_resource<truto::ats::attachments_resource>(
        options_.attachment_count, [](std::size_t i) { return attachment_record(i); }, "att_");
    std::apply(
        [&](auto... m) {
          auto add = [&](auto md) {
            for (auto& r : routes_)
              if (r.name == decltype(md)::resource)
                r.customs.insert(std::string(decltype(md)::name));
          };
          (add(m), ...);
        },
        std::tuple_cat(truto::ats::all_custom_methods{}, truto::crm::all_custom_methods{}));
  }

  static reply error_reply(int status, std::string_view name, std::string_view message,
                           std::string extra = {}) {
    reply r;
    r.status = status;
    r.body = "{\"statusCode\":" + std::to_string(status) + ",\"error\":\"" + std::string(name) +
             "\",\"message\":\"" + std::string(message) + "\"" + extra + "}";
    return r;
  }

  reply handle(const request& req, std::optional<fault> f) {
    if (f == fault::too_many_requests) {
      reply r = error_reply(429, "Too Many Requests", "Rate limit exceeded",
                            ",\"truto_error_insight\":{\"rate_limit_error\":{\"description\":"
                            "\"Truto rate limit\"}}");
      r.headers.emplace_back("Retry-After", "1");
      r.headers.emplace_back("ratelimit-limit", "50;w=10");
      r.headers.emplace_back("ratelimit-remaining", "0");
      r.headers.emplace_back("ratelimit-reset", "1");
      return r;
    }
    if (f == fault::wrong_type) {
      reply r;
      r.body = R"({"result":[{"id":"a"},{"id":"b"},{"id":"c"},{"id":"d","candidate":{"id":7}}],)"
               R"("next_cursor":null})";
      return r;
    }
    if (f == fault::internal_error)
      return error_reply(500, "Internal Server Error", "Something broke");
    if (f == fault::bad_gateway)
      return error_reply(502, "Bad Gateway", "Provider unavailable",
                         ",\"truto_is_remote_error\":true,\"raw_response\":\"upstream timeout\"");

    auto target = loopback_server::parse_target(req.target);
    if (!target) return error_reply(400, "Bad Request", "Malformed request target");
    std::string path = std::move(target->first);
    if (!options_.path_prefix.empty()) {
      if (path.rfind(options_.path_prefix, 0) != 0)
        return error_reply(404, "Not Found", "Not Found");
      path.erase(0, options_.path_prefix.size());
    }
    const params& q = target->second;
    if (path == "/redirect") {
      // For redirect tests: 307 to the URL in `to`, before any auth check.
      reply r;
      r.status = 307;
      r.headers.emplace_back("Location", param(q, "to").value_or("/"));
      return r;
    }

    if (req.header("Authorization") != "Bearer " + options_.token)
      return error_reply(401, "Unauthorized", "Invalid API token");

    // Routes come from the resource descriptors: /unified/ats/<resource>[/<id or method>].
    std::string_view rest = path;
    const route* rt = nullptr;
    std::string_view tail;
    for (const auto& r : routes_) {
      if (rest.rfind(r.base, 0) == 0 &&
          (rest.size() == r.base.size() || rest[r.base.size()] == '/')) {
        rt = &r;
        tail = rest.substr(std::min(rest.size(), r.base.size() + 1));
        break;
      }
    }
    if (!rt || tail.find('/') != std::string_view::npos)
      return error_reply(404, "Not Found", "Not Found");
    auto account = param(q, "integrated_account_id");
    if (!account || account->empty())
      return error_reply(400, "Bad Request", "integrated_account_id is required",
                         ",\"truto_error_insight\":{\"missing_required_query_parameters\":{"
                         "\"description\":\"Required query parameters are missing\",\"value\":["
                         "\"integrated_account_id\"]}}");
    bool get = req.method == "GET", post = req.method == "POST";
    if (tail.empty()) {
      if (get && rt->has(method::list)) return list(*rt, q);
      if (post && rt->has(method::create)) return create(*rt, req);
    } else if (post && rt->customs.count(std::string(tail))) {
      return custom(*rt, std::string(tail), req, q);
    } else if (get && rt->has(method::get)) {
      return get_record(*rt, tail);
    } else if (req.method == "PATCH" && rt->has(method::update)) {
      return update(*rt, tail, req);
    } else if (req.method == "DELETE" && rt->has(method::remove)) {
      auto i = rt->index_of(tail);
      if (!i) return error_reply(404, "Not Found", "Record not found");
      return reply{200, "application/json", "{\"id\":\"" + std::string(tail) + "\"}", {}, {}};
    }
    return error_reply(405, "Method Not Allowed", "Method Not Allowed");
  }

  reply list(const route& rt, const params& q) {
    std::size_t limit = options_.default_limit;
    if (auto l = param(q, "limit")) {
      std::size_t v = 0;
      auto [p, ec] = std::from_chars(l->data(), l->data() + l->size(), v);
      if (ec != std::errc{} || p != l->data() + l->size() || v == 0)
        return error_reply(400, "Bad Request", "limit must be a positive integer");
      limit = v;
    }
    if (param(q, "truto_ignore_limit") == "true") limit = rt.count;
    // Cursors are "<kind>.<offset>.<page>": kind 'p' serves records from offset (after an
    // empty page first when `empty_pages` is set), 'e' says that empty page was served.
    std::size_t offset = 0;
    std::size_t page_number = 0;
    bool empty_first = options_.empty_pages;
    // An empty cursor asks for the first page (Truto's SDKs send `next_cursor=` on page one).
    if (auto c = param(q, "next_cursor"); c && !c->empty()) {
      auto dot = c->find('.', 2);
      if (c->size() < 5 || (c->front() != 'e' && c->front() != 'p') || (*c)[1] != '.' ||
          dot == std::string::npos)
        return error_reply(400, "Bad Request", "Invalid cursor");
      offset = std::stoul(c->substr(2, dot - 2));
      page_number = std::stoul(c->substr(dot + 1));
      empty_first = c->front() == 'p' && options_.empty_pages;
    }
    std::vector<std::string> excluded = list_param(q, "truto_exclude_fields");
    if (param(q, "truto_ignore_remote_data") == "true") excluded.push_back("remote_data");
    auto candidate = param(q, "candidate_id");
    auto dates = date_filters(q);
    if (!dates) return error_reply(400, "Bad Request", "Invalid date-time in a date filter");
    bool filtered = candidate || !dates->empty();

    auto key_by = param(q, "truto_key_by");
    std::string format = param(q, "truto_response_format").value_or("unified");
    if (format != "unified" && format != "raw" && format != "normalized" && format != "stream")
      return error_reply(400, "Bad Request", "Unsupported truto_response_format");
    if (!empty_first && !filtered && !key_by && format == "unified" &&
        std::min(limit, rt.count - std::min(offset, rt.count)) > large_page)
      return large_list(rt, offset, limit, page_number, std::move(excluded));
    std::string body = key_by ? "{\"result\":{" : "{\"result\":[";
    std::size_t end = offset;
    std::size_t emitted = 0;
    std::string next;
    if (empty_first) {
      next = "e." + std::to_string(offset) + "." + std::to_string(page_number + 1);
    } else {
      while (end < rt.count && emitted < limit) {
        if (!filtered && !key_by && format == "unified") {
          if (emitted++) body += ',';
          append_record(body, rt, end++, excluded);
          continue;
        }
        json_record rec = rt.record(end++);
        if (candidate) {
          bool match = false;
          for (const auto& [k, v] : rec)
            match = match || (k == "candidate" && v == "{\"id\":\"" + *candidate + "\"}");
          if (!match) continue;
        }
        if (!matches(rec, *dates)) continue;
        std::string item = to_json(rec, excluded);
        if (format == "raw") {  // the provider's own record: here, its remote_data
          item = "null";
          for (const auto& [k, v] : rec)
            if (k == "remote_data") item = v;
        }
        if (emitted++) body += ',';
        if (key_by) {
          std::string key = "null";
          for (const auto& [k, v] : rec)
            if (k == *key_by && !v.empty() && v.front() == '"') key = v;
          if (key == "null")
            return error_reply(400, "Bad Request", "truto_key_by field is not a string");
          body += key + ":";
        }
        body += item;
      }
      if (end < rt.count) next = "p." + std::to_string(end) + "." + std::to_string(page_number + 1);
    }
    body += key_by ? "}" : "]";
    if (!next.empty() && first_cursor_.empty()) first_cursor_ = next;
    if (options_.repeat_cursor_after > 0 && !next.empty() &&
        page_number + 1 >= static_cast<std::size_t>(options_.repeat_cursor_after))
      next = first_cursor_;
    body += next.empty() ? ",\"next_cursor\":null" : ",\"next_cursor\":\"" + next + "\"";
    body += ",\"result_count\":" + std::to_string(emitted) + "}";
    reply r;
    r.body = std::move(body);
    r.chunked = format == "stream";  // streamed: no Content-Length, chunked transfer coding
    r.headers.emplace_back("ratelimit-limit", "500;w=10");
    r.headers.emplace_back("ratelimit-remaining", "499");
    r.headers.emplace_back("ratelimit-reset", "10");
    return r;
  }

  // A comparison of a date-time field: `created_at[gte]=...` (op "gte"), `created_at=...` ("eq").
  struct date_filter {
    std::string field, op;
    timestamp value;
  };

  // The date filters of `q` on `created_at`, `updated_at` and the like; none when a value is not
  // a date-time.
  static std::optional<std::vector<date_filter>> date_filters(const params& q) {
    std::vector<date_filter> out;
    std::vector<std::string_view> seg;
    for (const auto& [k, v] : q) {
      if (!key_segments(k, seg) || seg.size() > 2 || !seg[0].ends_with("_at")) continue;
      std::string op = seg.size() == 2 ? std::string(seg[1]) : "eq";
      if (op != "eq" && op != "gt" && op != "gte" && op != "lt" && op != "lte") continue;
      auto t = timestamp::parse(v);
      if (!t) return std::nullopt;
      out.push_back({std::string(seg[0]), op, *t});
    }
    return out;
  }

  // True when `rec` passes every filter; a record without the field (or with null) fails.
  static bool matches(const json_record& rec, const std::vector<date_filter>& filters) {
    for (const auto& f : filters) {
      std::optional<timestamp> t;
      for (const auto& [k, v] : rec)
        if (k == f.field && v.size() >= 2 && v.front() == '"')
          t = timestamp::parse(std::string_view(v).substr(1, v.size() - 2));
      if (!t) return false;
      auto c = t->time() <=> f.value.time();
      bool ok = f.op == "eq"    ? c == 0
                : f.op == "gt"  ? c > 0
                : f.op == "gte" ? c >= 0
                : f.op == "lt"  ? c < 0
                                : c <= 0;
      if (!ok) return false;
    }
    return true;
  }

  // Appends record `i` of `rt` without the `excluded` keys (from the cache when enabled).
  void append_record(std::string& out, const route& rt, std::size_t i,
                     const std::vector<std::string>& excluded) {
    if (!options_.cache_records || !excluded.empty()) {
      out += to_json(rt.record(i), excluded);
      return;
    }
    auto& cache = record_cache_[rt.name];
    if (cache.size() <= i) cache.resize(i + 1);
    if (cache[i].empty()) cache[i] = to_json(rt.record(i));
    out += cache[i];
  }

  // Pages of more records than this are generated while they are sent, never held whole.
  static constexpr std::size_t large_page = 2000;

  reply large_list(const route& rt, std::size_t offset, std::size_t limit, std::size_t page_number,
                   std::vector<std::string> excluded) {
    std::size_t end = std::min(rt.count, offset + limit);
    std::string next;
    if (end < rt.count) next = "p." + std::to_string(end) + "." + std::to_string(page_number + 1);
    if (!next.empty() && first_cursor_.empty()) first_cursor_ = next;
    if (options_.repeat_cursor_after > 0 && !next.empty() &&
        page_number + 1 >= static_cast<std::size_t>(options_.repeat_cursor_after))
      next = first_cursor_;
    reply r;
    r.headers.emplace_back("ratelimit-limit", "500;w=10");
    r.headers.emplace_back("ratelimit-remaining", "499");
    r.headers.emplace_back("ratelimit-reset", "10");
    const route* from = &rt;
    std::size_t i = offset;
    r.pieces = [=, this, excluded = std::move(excluded)](std::string& out) mutable {
      if (i == offset) out += "{\"result\":[";
      while (i < end && out.size() < 64 * 1024) {
        if (i != offset) out += ',';
        append_record(out, *from, i++, excluded);
      }
      if (i < end) return true;
      out += next.empty() ? "],\"next_cursor\":null" : "],\"next_cursor\":\"" + next + "\"";
      out += ",\"result_count\":" + std::to_string(end - offset) + "}";
      return false;
    };
    return r;
  }

  static std::optional<boost::json::object> json_body(const request& req) {
    boost::system::error_code ec;
    auto v = boost::json::parse(req.body, ec);
    if (ec || !v.is_object()) return std::nullopt;
    return std::move(v.as_object());
  }

  // Replaces the members of `rec` that `body` sets (unknown body keys are ignored).
  static void merge(json_record& rec, const boost::json::object& body) {
    for (auto& [k, v] : rec)
      if (auto* b = body.if_contains(k)) v = boost::json::serialize(*b);
  }

  static void set(json_record& rec, const std::string& key, std::string json_text) {
    for (auto& [k, v] : rec)
      if (k == key) {
        v = std::move(json_text);
        return;
      }
    rec.emplace_back(key, std::move(json_text));
  }

  reply json_reply(int status, const json_record& rec, bool wrap = false) {
    reply r;
    r.status = status;
    r.body = wrap ? "{\"result\":" + to_json(rec) + "}" : to_json(rec);
    return r;
  }

  static reply missing_body_fields(std::string_view fields) {
    return error_reply(400, "Bad Request", "Required body fields are missing",
                       ",\"truto_error_insight\":{\"missing_required_body_fields\":{"
                       "\"description\":\"Required body fields are missing\",\"value\":[" +
                           std::string(fields) + "]}}");
  }

  reply create(const route& rt, const request& req) {
    if (req.header("Content-Type").starts_with("multipart/form-data")) return create(req);
    auto body = json_body(req);
    if (!body) return error_reply(400, "Bad Request", "Body must be a JSON object");
    json_record rec = rt.record(rt.count + created_);
    set(rec, "id", "\"" + rt.name + "_new_" + std::to_string(++created_) + "\"");
    merge(rec, *body);
    return json_reply(201, rec);
  }

  reply get_record(const route& rt, std::string_view id) {
    auto i = rt.index_of(id);
    if (!i) return error_reply(404, "Not Found", "Record not found");
    return json_reply(200, rt.record(*i));
  }

  reply update(const route& rt, std::string_view id, const request& req) {
    auto i = rt.index_of(id);
    if (!i) return error_reply(404, "Not Found", "Record not found");
    auto body = json_body(req);
    if (!body) return error_reply(400, "Bad Request", "Body must be a JSON object");
    json_record rec = rt.record(*i);
    merge(rec, *body);
    return json_reply(200, rec);
  }

  reply custom(const route& rt, const std::string& name, const request& req, const params& q) {
    if (name == "download") return download(q);
    auto body = json_body(req);
    if (!body) return error_reply(400, "Bad Request", "Body must be a JSON object");
    auto str = [&](const char* k) -> std::optional<std::string> {
      auto* v = body->if_contains(k);
      if (!v || !v->is_string()) return std::nullopt;
      return std::string(v->get_string());
    };
    bool wrap = options_.wrap_custom_responses;
    if (name == "move-stage" || name == "reject") {
      auto app = str("application_id");
      auto second = str(name == "move-stage" ? "stage_id" : "reason_id");
      if (!app || !second)
        return missing_body_fields(name == "move-stage" ? R"("application_id","stage_id")"
                                                        : R"("application_id","reason_id")");
      auto i = rt.index_of(*app);
      if (!i)
        return error_reply(404, "Not Found", "Application not found",
                           ",\"truto_is_remote_error\":true");
      json_record rec = rt.record(*i);
      std::string quoted;
      uniapi::json::detail::write_string(quoted, *second);
      if (name == "move-stage") {
        set(rec, "current_stage", "{\"id\":" + quoted + "}");
      } else {
        set(rec, "reject_reason", quoted);
        set(rec, "rejected_at", "\"2024-06-01T00:00:00Z\"");
      }
      return json_reply(200, rec, wrap);
    }
    if (name == "merge") {
      auto id = str("id");
      if (!id) return missing_body_fields(R"("id")");
      auto i = rt.index_of(*id);
      if (!i)
        return error_reply(404, "Not Found", "Record not found", ",\"truto_is_remote_error\":true");
      return json_reply(200, rt.record(*i), wrap);
    }
    return error_reply(404, "Not Found", "Not Found");
  }

  reply create(const request& req) {
    std::string_view ct = req.header("Content-Type");
    auto b = ct.find("boundary=");
    if (ct.rfind("multipart/form-data", 0) != 0 || b == std::string_view::npos)
      return error_reply(400, "Bad Request", "multipart/form-data body required");
    std::string boundary = "--" + std::string(ct.substr(b + 9));
    std::string_view body = req.body;
    std::optional<std::string> filename;
    std::size_t file_size = 0;
    std::uint64_t digest = 1469598103934665603ull;
    for (std::size_t at = body.find(boundary); at != std::string_view::npos;) {
      std::size_t head = at + boundary.size();
      if (body.substr(head, 2) == "--") break;
      std::size_t head_end = body.find("\r\n\r\n", head);
      std::size_t next = body.find("\r\n" + boundary, head_end);
      if (head_end == std::string_view::npos || next == std::string_view::npos)
        return error_reply(400, "Bad Request", "Malformed multipart body");
      std::string_view headers = body.substr(head, head_end - head);
      std::string_view data = body.substr(head_end + 4, next - head_end - 4);
      if (headers.find("name=\"file\"") != std::string_view::npos) {
        filename = disposition_filename(headers);
        file_size = data.size();
        for (char c : data) {
          digest ^= static_cast<unsigned char>(c);
          digest *= 1099511628211ull;
        }
      }
      at = next + 2;
    }
    if (!filename)
      return error_reply(400, "Bad Request", "file is required",
                         ",\"truto_error_insight\":{\"missing_required_body_fields\":"
                         "{\"description\":\"Required body fields are missing\","
                         "\"value\":[\"file\"]}}");
    reply r;
    r.status = 201;
    std::string escaped;
    uniapi::json::detail::write_string(escaped, *filename);
    r.body =
        "{\"id\":\"att_new_" + std::to_string(++created_) + "\",\"file_name\":" + escaped +
        ",\"attachment_type\":\"other\",\"remote_data\":{\"size\":" + std::to_string(file_size) +
        ",\"fnv1a\":" + std::to_string(digest) + "}}";
    return r;
  }

  // The `filename` parameter of a part's Content-Disposition (RFC 7578 section 4.2): a
  // quoted-string whose backslash escapes are undone, then `%22`, `%0D` and `%0A` decoded, the
  // way browsers and Node's FormData write `"`, CR and LF in a name. A token (unquoted) value is
  // taken as is.
  static std::optional<std::string> disposition_filename(std::string_view headers) {
    for (std::size_t at = 0; (at = headers.find("filename", at)) != std::string_view::npos;) {
      bool starts =
          at == 0 || headers[at - 1] == ';' || headers[at - 1] == ' ' || headers[at - 1] == '\t';
      std::size_t p = at + 8;
      at = p;
      while (p < headers.size() && headers[p] == ' ')
        ++p;
      if (!starts || p >= headers.size() || headers[p] != '=') continue;
      ++p;
      while (p < headers.size() && headers[p] == ' ')
        ++p;
      std::string raw;
      if (p < headers.size() && headers[p] == '"') {
        bool closed = false;
        for (++p; p < headers.size(); ++p) {
          char c = headers[p];
          if (c == '\\' && p + 1 < headers.size()) {
            raw += headers[++p];
          } else if (c == '"') {
            closed = true;
            break;
          } else if (c == '\r' || c == '\n') {
            break;
          } else {
            raw += c;
          }
        }
        if (!closed) return std::nullopt;
      } else {
        auto end = headers.find_first_of(";\r\n", p);
        raw = std::string(headers.substr(p, end == std::string_view::npos ? end : end - p));
      }
      std::string name;
      for (std::size_t i = 0; i < raw.size(); ++i) {
        std::string_view rest = std::string_view(raw).substr(i, 3);
        if (rest == "%22" || rest == "%0D" || rest == "%0d" || rest == "%0A" || rest == "%0a") {
          name += rest == "%22" ? '"' : (rest[2] == 'D' || rest[2] == 'd') ? '\r' : '\n';
          i += 2;
        } else {
          name += raw[i];
        }
      }
      return name;
    }
    return std::nullopt;
  }

  reply download(const params& q) {
    auto url = param(q, "file_url");
    if (!url || url->empty())
      return error_reply(400, "Bad Request", "file_url is required",
                         ",\"truto_error_insight\":{\"missing_required_query_parameters\":{"
                         "\"description\":\"Required query parameters are missing\",\"value\":["
                         "\"file_url\"]}}");
    auto s = url->find("size=");
    if (url->rfind("https://files.local.test/", 0) != 0 || s == std::string::npos)
      return error_reply(404, "Not Found", "File not found", ",\"truto_is_remote_error\":true");
    reply r;
    r.content_type = "application/octet-stream";
    r.headers.emplace_back("Content-Disposition", "attachment; filename=\"file.bin\"");
    r.file.emplace(file_seed(*url), std::stoull(url->substr(s + 5)));
    return r;
  }

  local_server_options options_;
  std::map<std::string, std::vector<std::string>> record_cache_;  // server thread only
  std::size_t created_ = 0;
  std::string first_cursor_;  // for repeat_cursor_after
  std::vector<route> routes_;
  loopback_server server_;  // last: stopped first
};

}  // namespace uniapi::testing

#endif
