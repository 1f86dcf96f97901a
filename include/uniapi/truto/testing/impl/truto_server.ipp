// uniapi — truto_server's handlers: included by the header (header-only) or compiled once through
// <uniapi/testing/src.hpp> (UNIAPI_SEPARATE_COMPILATION).
#ifndef UNIAPI_TRUTO_TESTING_IMPL_TRUTO_SERVER_IPP
#define UNIAPI_TRUTO_TESTING_IMPL_TRUTO_SERVER_IPP

#include <uniapi/truto/testing/truto_server.hpp>

namespace uniapi::testing {

UNIAPI_DECL auto truto_server::build_routes() -> void {
  std::apply([&](auto... r) { (add_generated<decltype(r)>(), ...); }, truto::ats::all_resources{});
  add_generated<truto::crm::contacts_resource>();
  add_resource<truto::ats::attachments_resource>(
      options_.attachment_count, [](std::size_t i) { return attachment_record(i); }, "att_");
  std::apply(
      [&](auto... m) {
        auto add = [&](auto md) {
          for (auto& r : routes_)
            if (r.name == decltype(md)::resource) r.customs.insert(std::string(decltype(md)::name));
        };
        (add(m), ...);
      },
      std::tuple_cat(truto::ats::all_custom_methods{}, truto::crm::all_custom_methods{}));
  add_proxy_resource("candidates", options_.records_per_resource, proxy_candidate_record, "4100");
  add_proxy_resource("jobs", options_.records_per_resource, proxy_job_record, "5200");
}

UNIAPI_DECL auto truto_server::error_reply(int status, std::string_view name,
                                           std::string_view message, std::string extra) -> reply {
  reply r;
  r.status = status;
  r.body = "{\"statusCode\":" + std::to_string(status) + ",\"error\":\"" + std::string(name) +
           "\",\"message\":\"" + std::string(message) + "\"" + extra + "}";
  return r;
}

UNIAPI_DECL auto truto_server::handle(const request& req, std::optional<fault> f) -> reply {
  if (f)
    if (auto canned = fault_reply(*f)) return std::move(*canned);
  auto target = loopback_server::parse_target(req.target);
  if (!target) return error_reply(400, "Bad Request", "Malformed request target");
  std::string path = std::move(target->first);
  if (!options_.path_prefix.empty()) {
    if (path.rfind(options_.path_prefix, 0) != 0) return error_reply(404, "Not Found", "Not Found");
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
  if (path == "/batch-request") {
    if (req.method != "POST") return error_reply(405, "Method Not Allowed", "Method Not Allowed");
    return batch(req);
  }
  auto where = resolve(path);
  if (!where) return error_reply(404, "Not Found", "Not Found");
  auto account = param(q, "integrated_account_id");
  if (!account || account->empty())
    return error_reply(400, "Bad Request", "integrated_account_id is required",
                       ",\"truto_error_insight\":{\"missing_required_query_parameters\":{"
                       "\"description\":\"Required query parameters are missing\",\"value\":["
                       "\"integrated_account_id\"]}}");
  if (std::find(options_.unknown_accounts.begin(), options_.unknown_accounts.end(), *account) !=
      options_.unknown_accounts.end())
    return error_reply(404, "Not Found", "Integrated account not found");
  std::vector<std::pair<std::string, std::string>> limit_headers;
  if (auto refused = take_rate_limit(*account, limit_headers)) return std::move(*refused);
  reply r = where->custom_api             ? custom_api_call(where->tail, req, q)
            : !where->meta_method.empty() ? meta(*where->rt, where->meta_method)
                                          : route_call(*where->rt, where->tail, req, q);
  for (auto& h : limit_headers)
    r.headers.push_back(std::move(h));
  return r;
}

UNIAPI_DECL auto truto_server::fault_reply(fault f) -> std::optional<reply> {
  reply r;
  switch (f) {
    case fault::too_many_requests:
      r = error_reply(429, "Too Many Requests", "Rate limit exceeded",
                      ",\"truto_error_insight\":{\"rate_limit_error\":{\"description\":"
                      "\"Truto rate limit\"}}");
      r.headers = {{"Retry-After", "1"},
                   {"ratelimit-limit", "50;w=10"},
                   {"ratelimit-remaining", "0"},
                   {"ratelimit-reset", "1"}};
      return r;
    case fault::wrong_type:
      r.body = R"({"result":[{"id":"a"},{"id":"b"},{"id":"c"},{"id":"d","candidate":{"id":7}}],)"
               R"("next_cursor":null})";
      return r;
    case fault::internal_error:
      return error_reply(500, "Internal Server Error", "Something broke");
    case fault::bad_gateway:
      return error_reply(502, "Bad Gateway", "Provider unavailable",
                         ",\"truto_is_remote_error\":true,\"raw_response\":\"upstream timeout\"");
    default:
      return std::nullopt;  // a fault of the connection: the server applies it to the answer
  }
}

UNIAPI_DECL auto truto_server::resolve(std::string_view path) const -> std::optional<destination> {
  // Routes come from the resource descriptors: /unified/ats/<resource>[/<id or method>], and
  // /unified/ats/<resource>/meta/<method>; /custom/... is Truto's Custom API.
  if (path == "/custom" || path.rfind("/custom/", 0) == 0)
    return destination{.custom_api = true, .tail = path.substr(7)};
  for (const auto& r : routes_) {
    if (path.rfind(r.base, 0) != 0 || (path.size() != r.base.size() && path[r.base.size()] != '/'))
      continue;
    destination d{.rt = &r, .tail = path.substr(std::min(path.size(), r.base.size() + 1))};
    if (d.tail.rfind("meta/", 0) == 0 && r.base.rfind("/unified/", 0) == 0) {
      d.meta_method = d.tail.substr(5);
      if (d.meta_method.empty() || d.meta_method.find('/') != std::string_view::npos)
        return std::nullopt;
      return d;
    }
    if (d.tail.find('/') != std::string_view::npos) return std::nullopt;
    return d;
  }
  return std::nullopt;
}

UNIAPI_DECL auto truto_server::take_rate_limit(
    std::string_view account, std::vector<std::pair<std::string, std::string>>& headers)
    -> std::optional<reply> {
  if (options_.rate_limit <= 0) return std::nullopt;
  // A fixed window per account, started by its first request.
  auto now = std::chrono::steady_clock::now();
  auto& w = rate_[std::string(account)];
  if (w.used == 0 || now - w.start >= options_.rate_window) {
    w.start = now;
    w.used = 0;
  }
  auto left = std::chrono::ceil<std::chrono::seconds>(w.start + options_.rate_window - now);
  std::string reset = std::to_string(std::max<long long>(1, left.count()));
  std::string quota =
      std::to_string(options_.rate_limit) + ";w=" + std::to_string(options_.rate_window.count());
  if (w.used >= options_.rate_limit) {
    reply r = error_reply(429, "Too Many Requests", "Rate limit exceeded",
                          ",\"truto_error_insight\":{\"rate_limit_error\":{\"description\":"
                          "\"Truto rate limit\"}}");
    r.headers = {{"Retry-After", reset},
                 {"ratelimit-limit", quota},
                 {"ratelimit-remaining", "0"},
                 {"ratelimit-reset", reset}};
    return r;
  }
  ++w.used;
  headers = {{"ratelimit-limit", quota},
             {"ratelimit-remaining", std::to_string(options_.rate_limit - w.used)},
             {"ratelimit-reset", reset}};
  return std::nullopt;
}

UNIAPI_DECL auto truto_server::route_call(const route& rt_ref, std::string_view tail,
                                          const request& req, const params& q) -> reply {
  const route* rt = &rt_ref;
  bool get = req.method == "GET", post = req.method == "POST";
  if (tail.empty()) {
    if (get && rt->has(method::list)) return list(*rt, q);
    if (post && rt->has(method::create)) return create(*rt, req);
  } else if (post && rt->customs.count(std::string(tail))) {
    return custom(*rt, std::string(tail), req, q);
  } else if (post && rt->base.rfind("/proxy/", 0) == 0) {
    // A proxy resource's custom method: the provider's answer, here an echo of the call.
    boost::json::value body = nullptr;
    if (!req.body.empty()) {
      boost::system::error_code ec;
      body = boost::json::parse(req.body, ec);
      if (ec) return error_reply(400, "Bad Request", "Body must be JSON");
    }
    reply r;
    r.body = boost::json::serialize(boost::json::object{
        {"resource", rt->base.substr(7)}, {"method", tail}, {"body", std::move(body)}});
    return r;
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

UNIAPI_DECL auto truto_server::meta(const route& rt, std::string_view name) -> reply {
  static constexpr std::pair<std::string_view, uniapi::method> verbs[] = {
      {"list", uniapi::method::list},
      {"get", uniapi::method::get},
      {"create", uniapi::method::create},
      {"update", uniapi::method::update},
      {"delete", uniapi::method::remove}};
  bool offered = rt.customs.count(std::string(name)) != 0;
  for (const auto& [verb, m] : verbs)
    offered = offered || (verb == name && rt.has(m));
  if (!offered) return error_reply(404, "Not Found", "Method not found for this resource");
  // The schema from the first record's fields and the JSON types of their values.
  boost::json::object properties;
  for (const auto& [k, v] : rt.record(0)) {
    char c = v.empty() ? 'n' : v[0];
    std::string_view type = c == '"'               ? "string"
                            : c == '{'             ? "object"
                            : c == '['             ? "array"
                            : c == 't' || c == 'f' ? "boolean"
                            : c == 'n'             ? "null"
                                                   : "number";
    properties[k] = {{"type", type}, {"required", k == "id"}};
  }
  boost::json::object schema{{"type", "object"}, {"properties", properties}};
  boost::json::object query{{"integrated_account_id", {{"type", "string"}, {"required", true}}}};
  if (name == "list") {
    query["limit"] = {{"type", "number"}, {"required", false}};
    query["next_cursor"] = {{"type", "string"}, {"required", false}};
  }
  bool writes = name == "create" || name == "update";
  boost::json::object out{
      {"method", name},
      {"schema", schema},
      {"response_schema", schema},
      {"query_schema", {{"type", "object"}, {"properties", query}}},
      {"request_body_schema", writes ? boost::json::value(schema) : boost::json::value(nullptr)},
      {"default_query", boost::json::object()},
      {"default_body", nullptr},
      {"documentation_link", "https://developers.greenhouse.io/harvest.html#" + rt.name}};
  reply r;
  r.body = boost::json::serialize(out);
  return r;
}

UNIAPI_DECL auto truto_server::batch(const request& req) -> reply {
  auto body = json_body(req);
  if (!body) return error_reply(400, "Bad Request", "Body must be a JSON object");
  auto* account = body->if_contains("integrated_account_id");
  if (!account || !account->is_string() || account->as_string().empty())
    return error_reply(400, "Bad Request", "integrated_account_id is required");
  auto* nodes = body->if_contains("resources");
  if (!nodes || !nodes->is_array())
    return error_reply(400, "Bad Request", "resources must be an array");
  const boost::json::object* args = nullptr;
  if (auto* a = body->if_contains("args"); a && a->is_object()) args = &a->as_object();
  boost::json::object results, errors;
  for (const auto& n : nodes->as_array()) {
    if (!n.is_object()) return error_reply(400, "Bad Request", "each resource must be an object");
    batch_node(n.as_object(), args, results, errors);
  }
  reply r;
  r.body = boost::json::serialize(
      boost::json::object{{"result", std::move(results)}, {"errors", std::move(errors)}});
  return r;
}

UNIAPI_DECL auto truto_server::batch_node(const boost::json::object& o,
                                          const boost::json::object* args,
                                          boost::json::object& results,
                                          boost::json::object& errors) const -> void {
  auto text = [&](const char* k) -> std::string {
    auto* v = o.if_contains(k);
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
  };
  std::string resource = text("resource"), method_name = text("method");
  std::string key = text("name").empty() ? resource : text("name");
  // "model/resource" is unified; a bare name is a proxy resource.
  bool proxy = resource.find('/') == std::string::npos;
  std::string base = proxy ? "/proxy/" + resource : "/unified/" + resource;
  const route* rt = nullptr;
  for (const auto& r : routes_)
    if (r.base == base) rt = &r;
  auto fail = [&](std::string message) {
    errors[key] = boost::json::array{{{"message", message}}};
  };
  if (!rt) return fail("Resource not found: " + resource);
  auto* persist = o.if_contains("persist");
  if (proxy && !(persist && persist->is_bool() && persist->as_bool())) return;
  auto parse = [&](std::size_t i) { return boost::json::parse(to_json(rt->record(i))); };
  if (method_name == "list" && rt->has(uniapi::method::list)) {
    boost::json::array records;
    for (std::size_t i = 0; i < rt->count; ++i)
      records.push_back(parse(i));
    results[key] = std::move(records);
  } else if (method_name == "get" && rt->has(uniapi::method::get)) {
    std::string id = text("id");
    // `{{args.x}}` placeholders in the id.
    if (id.starts_with("{{args.") && id.ends_with("}}") && args) {
      auto* v = args->if_contains(id.substr(7, id.size() - 9));
      id = v && v->is_string() ? std::string(v->as_string()) : std::string();
    }
    auto i = rt->index_of(id);
    if (!i) return fail("Record not found: " + id);
    results[key] = boost::json::array{parse(*i)};
  } else {
    fail("Method not supported: " + method_name);
  }
}

UNIAPI_DECL auto truto_server::custom_api_call(std::string_view provider_path, const request& req,
                                               const params& q) -> reply {
  // A binary file: deterministic bytes, as a provider's file endpoint sends them.
  if (req.method == "GET" && provider_path.rfind("/files/", 0) == 0) {
    reply r;
    r.content_type = "application/octet-stream";
    std::string bytes(4096 + provider_path.size(), '\0');
    file_bytes(file_seed(provider_path), 0, bytes.data(), bytes.size());
    r.body = std::move(bytes);
    return r;
  }
  boost::json::object query;
  for (const auto& [k, v] : q)
    if (k != "integrated_account_id") query[k] = v;
  boost::json::value body = nullptr;
  if (!req.body.empty()) {
    boost::system::error_code ec;
    body = boost::json::parse(req.body, ec);
    if (ec) body = boost::json::string(req.body);
  }
  boost::json::value result;
  if (provider_path.ends_with("/items")) {
    boost::json::array items;
    for (int i = 0; i < 5; ++i)
      items.push_back({{"id", "item_" + std::to_string(i)}, {"index", i}});
    result = std::move(items);
  } else {
    result = {{"method", req.method},
              {"path", provider_path.empty() ? std::string_view("/") : provider_path},
              {"query", query},
              {"body", body}};
  }
  reply r;
  r.status = req.method == "POST" ? 201 : 200;
  r.body = boost::json::serialize(
      boost::json::object{{"result", result}, {"next_cursor", nullptr}, {"prev_cursor", nullptr}});
  return r;
}

UNIAPI_DECL auto truto_server::list(const route& rt, const params& q) -> reply {
  list_request lr;
  if (auto bad = read_list_request(rt, q, lr)) return std::move(*bad);
  bool plain = !lr.filtered() && !lr.key_by && lr.format == "unified";
  if (!lr.empty_first && plain &&
      std::min(lr.limit, rt.count - std::min(lr.offset, rt.count)) > large_page)
    return large_list(rt, lr.offset, lr.limit, lr.page_number, std::move(lr.excluded));
  std::string body = lr.key_by ? "{\"result\":{" : "{\"result\":[";
  std::size_t end = lr.offset;
  std::size_t emitted = 0;
  std::string next;
  if (lr.empty_first) {
    next = "e." + std::to_string(lr.offset) + "." + std::to_string(lr.page_number + 1);
  } else {
    for (; end < rt.count && emitted < lr.limit; ++end) {
      if (plain) {
        if (emitted++) body += ',';
        append_record(body, rt, end, lr.excluded);
        continue;
      }
      json_record rec = rt.record(end);
      if (!lr.selects(rec)) continue;
      if (emitted++) body += ',';
      if (lr.key_by) {
        auto key = field_text(rec, *lr.key_by);
        if (!key || key->empty() || key->front() != '"')
          return error_reply(400, "Bad Request", "truto_key_by field is not a string");
        body += *key + ":";
      }
      // `raw`: the provider's own record, here its remote_data.
      body += lr.format == "raw" ? field_text(rec, "remote_data").value_or("null")
                                 : to_json(rec, lr.excluded);
    }
    if (end < rt.count)
      next = "p." + std::to_string(end) + "." + std::to_string(lr.page_number + 1);
  }
  body += lr.key_by ? "}" : "]";
  return list_reply(std::move(body), std::move(next), lr.page_number, emitted, lr.format);
}

UNIAPI_DECL auto truto_server::read_list_request(const route& rt, const params& q, list_request& lr)
    -> std::optional<reply> {
  lr.limit = options_.default_limit;
  if (auto l = param(q, "limit")) {
    std::size_t v = 0;
    auto [p, ec] = std::from_chars(l->data(), l->data() + l->size(), v);
    if (ec != std::errc{} || p != l->data() + l->size() || v == 0)
      return error_reply(400, "Bad Request", "limit must be a positive integer");
    lr.limit = v;
  }
  if (param(q, "truto_ignore_limit") == "true") lr.limit = rt.count;
  // Cursors are "<kind>.<offset>.<page>": kind 'p' serves records from offset (after an
  // empty page first when `empty_pages` is set), 'e' says that empty page was served.
  lr.empty_first = options_.empty_pages;
  // An empty cursor asks for the first page (Truto's SDKs send `next_cursor=` on page one).
  if (auto c = param(q, "next_cursor"); c && !c->empty()) {
    auto dot = c->find('.', 2);
    if (c->size() < 5 || (c->front() != 'e' && c->front() != 'p') || (*c)[1] != '.' ||
        dot == std::string::npos)
      return error_reply(400, "Bad Request", "Invalid cursor");
    lr.offset = std::stoul(c->substr(2, dot - 2));
    lr.page_number = std::stoul(c->substr(dot + 1));
    lr.empty_first = c->front() == 'p' && options_.empty_pages;
  }
  lr.excluded = list_param(q, "truto_exclude_fields");
  if (param(q, "truto_ignore_remote_data") == "true") lr.excluded.push_back("remote_data");
  lr.candidate = param(q, "candidate_id");
  auto dates = date_filters(q);
  if (!dates) return error_reply(400, "Bad Request", "Invalid date-time in a date filter");
  lr.dates = std::move(*dates);
  lr.key_by = param(q, "truto_key_by");
  lr.format = param(q, "truto_response_format").value_or("unified");
  if (lr.format != "unified" && lr.format != "raw" && lr.format != "normalized" &&
      lr.format != "stream")
    return error_reply(400, "Bad Request", "Unsupported truto_response_format");
  return std::nullopt;
}

UNIAPI_DECL auto truto_server::list_request::selects(const json_record& rec) const -> bool {
  if (candidate && field_text(rec, "candidate") != "{\"id\":\"" + *candidate + "\"}") return false;
  return matches(rec, dates);
}

UNIAPI_DECL auto truto_server::field_text(const json_record& rec, std::string_view key)
    -> std::optional<std::string> {
  for (const auto& [k, v] : rec)
    if (k == key) return v;
  return std::nullopt;
}

UNIAPI_DECL auto truto_server::list_reply(std::string body, std::string next,
                                          std::size_t page_number, std::size_t emitted,
                                          const std::string& format) -> reply {
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

UNIAPI_DECL auto truto_server::date_filters(const params& q)
    -> std::optional<std::vector<date_filter>> {
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

UNIAPI_DECL auto truto_server::matches(const json_record& rec,
                                       const std::vector<date_filter>& filters) -> bool {
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

UNIAPI_DECL auto truto_server::append_record(std::string& out, const route& rt, std::size_t i,
                                             const std::vector<std::string>& excluded) -> void {
  if (!options_.cache_records || !excluded.empty()) {
    out += to_json(rt.record(i), excluded);
    return;
  }
  auto& cache = record_cache_[rt.name];
  if (cache.size() <= i) cache.resize(i + 1);
  if (cache[i].empty()) cache[i] = to_json(rt.record(i));
  out += cache[i];
}

UNIAPI_DECL auto truto_server::large_list(const route& rt, std::size_t offset, std::size_t limit,
                                          std::size_t page_number,
                                          std::vector<std::string> excluded) -> reply {
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

UNIAPI_DECL auto truto_server::json_body(const request& req) -> std::optional<boost::json::object> {
  boost::system::error_code ec;
  auto v = boost::json::parse(req.body, ec);
  if (ec || !v.is_object()) return std::nullopt;
  return std::move(v.as_object());
}

UNIAPI_DECL auto truto_server::merge(json_record& rec, const boost::json::object& body) -> void {
  for (auto& [k, v] : rec)
    if (auto* b = body.if_contains(k)) v = boost::json::serialize(*b);
}

UNIAPI_DECL auto truto_server::set(json_record& rec, const std::string& key, std::string json_text)
    -> void {
  for (auto& [k, v] : rec)
    if (k == key) {
      v = std::move(json_text);
      return;
    }
  rec.emplace_back(key, std::move(json_text));
}

UNIAPI_DECL auto truto_server::json_reply(int status, const json_record& rec, bool wrap) -> reply {
  reply r;
  r.status = status;
  r.body = wrap ? "{\"result\":" + to_json(rec) + "}" : to_json(rec);
  return r;
}

UNIAPI_DECL auto truto_server::missing_body_fields(std::string_view fields) -> reply {
  return error_reply(400, "Bad Request", "Required body fields are missing",
                     ",\"truto_error_insight\":{\"missing_required_body_fields\":{"
                     "\"description\":\"Required body fields are missing\",\"value\":[" +
                         std::string(fields) + "]}}");
}

UNIAPI_DECL auto truto_server::create(const route& rt, const request& req) -> reply {
  if (req.header("Content-Type").starts_with("multipart/form-data")) return create(req);
  auto body = json_body(req);
  if (!body) return error_reply(400, "Bad Request", "Body must be a JSON object");
  json_record rec = rt.record(rt.count + created_);
  set(rec, "id", "\"" + rt.name + "_new_" + std::to_string(++created_) + "\"");
  merge(rec, *body);
  return json_reply(201, rec);
}

UNIAPI_DECL auto truto_server::get_record(const route& rt, std::string_view id) -> reply {
  auto i = rt.index_of(id);
  if (!i) return error_reply(404, "Not Found", "Record not found");
  return json_reply(200, rt.record(*i));
}

UNIAPI_DECL auto truto_server::update(const route& rt, std::string_view id, const request& req)
    -> reply {
  auto i = rt.index_of(id);
  if (!i) return error_reply(404, "Not Found", "Record not found");
  auto body = json_body(req);
  if (!body) return error_reply(400, "Bad Request", "Body must be a JSON object");
  json_record rec = rt.record(*i);
  merge(rec, *body);
  return json_reply(200, rec);
}

UNIAPI_DECL auto truto_server::custom(const route& rt, const std::string& name, const request& req,
                                      const params& q) -> reply {
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
    uniapi::json::write_string(quoted, *second);
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

UNIAPI_DECL auto truto_server::create(const request& req) -> reply {
  auto parts = parse_multipart_form(req.header("Content-Type"), req.body);
  if (!parts)
    return error_reply(400, "Bad Request", "Malformed multipart body: " + parts.error().message);
  const form_part* file = nullptr;
  for (const auto& part : *parts)
    if (part.name == "file" && part.filename) file = &part;
  if (!file)
    return error_reply(400, "Bad Request", "file is required",
                       ",\"truto_error_insight\":{\"missing_required_body_fields\":"
                       "{\"description\":\"Required body fields are missing\","
                       "\"value\":[\"file\"]}}");
  std::uint64_t digest = 1469598103934665603ull;  // FNV-1a of the file's bytes
  for (char c : file->data) {
    digest ^= static_cast<unsigned char>(c);
    digest *= 1099511628211ull;
  }
  reply r;
  r.status = 201;
  std::string escaped;
  uniapi::json::write_string(escaped, *file->filename);
  r.body = "{\"id\":\"att_new_" + std::to_string(++created_) + "\",\"file_name\":" + escaped +
           ",\"attachment_type\":\"other\",\"remote_data\":{\"size\":" +
           std::to_string(file->data.size()) + ",\"fnv1a\":" + std::to_string(digest) + "}}";
  return r;
}

UNIAPI_DECL auto truto_server::download(const params& q) -> reply {
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

}  // namespace uniapi::testing

#endif
