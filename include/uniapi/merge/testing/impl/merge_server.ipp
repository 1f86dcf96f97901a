// uniapi — merge_server's handlers: included by the header (header-only) or compiled once through
// <uniapi/testing/src.hpp> (UNIAPI_SEPARATE_COMPILATION).
#ifndef UNIAPI_MERGE_TESTING_IMPL_MERGE_SERVER_IPP
#define UNIAPI_MERGE_TESTING_IMPL_MERGE_SERVER_IPP

#include <uniapi/merge/testing/merge_server.hpp>

namespace uniapi::testing {

UNIAPI_DECL void merge_server::build_routes() {
  std::apply(
      [&](auto... r) {
        (add_resource<decltype(r)>(options_.records_per_resource,
                                   [name = std::string(decltype(r)::name)](std::size_t i) {
                                     return merge_record(
                                         generate_record<typename decltype(r)::model>(name, i),
                                         "/" + name);
                                   }),
         ...);
      },
      merge::ats::all_resources{});
}

UNIAPI_DECL auto merge_server::detail_reply(int status, std::string_view detail) -> reply {
  reply r;
  r.status = status;
  r.body = "{\"detail\":\"" + std::string(detail) + "\"}";
  return r;
}

UNIAPI_DECL auto merge_server::parse_cursor(std::string_view c)
    -> std::optional<std::pair<std::size_t, bool>> {
  auto val = [](char ch) -> int {
    if (ch >= 'A' && ch <= 'Z') return ch - 'A';
    if (ch >= 'a' && ch <= 'z') return ch - 'a' + 26;
    if (ch >= '0' && ch <= '9') return ch - '0' + 52;
    if (ch == '+') return 62;
    if (ch == '/') return 63;
    return -1;
  };
  if (c.empty() || c.size() % 4) return std::nullopt;
  std::string plain;
  for (std::size_t i = 0; i < c.size(); i += 4) {
    int a = val(c[i]), b = val(c[i + 1]), x = c[i + 2] == '=' ? 0 : val(c[i + 2]),
        y = c[i + 3] == '=' ? 0 : val(c[i + 3]);
    if (a < 0 || b < 0 || x < 0 || y < 0) return std::nullopt;
    unsigned v = (a << 18) | (b << 12) | (x << 6) | y;
    plain += static_cast<char>((v >> 16) & 255);
    if (c[i + 2] != '=') plain += static_cast<char>((v >> 8) & 255);
    if (c[i + 3] != '=') plain += static_cast<char>(v & 255);
  }
  if (plain.size() < 7 || (plain[0] != 'o' && plain[0] != 'e') || plain[1] != '=' ||
      !plain.ends_with("?&/>"))
    return std::nullopt;
  std::string_view digits = std::string_view(plain).substr(2, plain.size() - 6);
  std::size_t offset = 0;
  auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), offset);
  if (ec != std::errc{} || p != digits.data() + digits.size() || digits.empty())
    return std::nullopt;
  return std::pair<std::size_t, bool>(offset, plain[0] == 'e');
}

UNIAPI_DECL auto merge_server::field_id(const json_record& rec, std::string_view key)
    -> std::optional<std::string> {
  for (const auto& [k, v] : rec) {
    if (k != key) continue;
    boost::system::error_code ec;
    auto j = boost::json::parse(v, ec);
    if (ec) return std::nullopt;
    if (j.is_string()) return std::string(j.get_string());
    if (j.is_object())
      if (auto* id = j.as_object().if_contains("id"); id && id->is_string())
        return std::string(id->get_string());
    return std::nullopt;
  }
  return std::nullopt;
}

UNIAPI_DECL auto merge_server::passes(const json_record& rec, const std::vector<filter>& filters)
    -> bool {
  for (const auto& f : filters) {
    if (f.op == filter::equals) {
      if (field_id(rec, f.field) != f.value) return false;
      continue;
    }
    auto v = field_id(rec, f.field);
    auto t = v ? timestamp::parse(*v) : std::nullopt;
    if (!t) return false;  // records without the field are left out
    if (f.op == filter::after ? !(t->time() > f.when->time()) : !(t->time() < f.when->time()))
      return false;
  }
  return true;
}

UNIAPI_DECL auto merge_server::handle(const request& req, std::optional<fault> f) -> reply {
  if (f == fault::too_many_requests) {
    reply r = detail_reply(429, "Request was throttled. Expected available in 1 second.");
    r.headers.emplace_back("Retry-After", "1");
    return r;
  }
  if (f == fault::internal_error) return detail_reply(500, "A server error occurred.");
  if (f == fault::bad_gateway) return detail_reply(502, "Bad gateway.");
  if (f == fault::wrong_type) {
    reply r;
    r.body = R"({"next":null,"previous":null,"results":[{"id":"a"},{"id":"b"},{"id":"c"},)"
             R"({"id":"d","first_name":7,"file_name":7,"name":7,"remote_id":7}]})";
    return r;
  }
  auto target = loopback_server::parse_target(req.target);
  if (!target) return detail_reply(400, "Malformed request target.");
  const std::string& path = target->first;
  const params& q = target->second;

  std::string_view auth = req.header("Authorization");
  if (auth.substr(0, 7) != "Bearer " || auth.size() == 7)
    return detail_reply(401, "Authentication credentials were not provided.");
  if (auth.substr(7) != options_.api_key) return detail_reply(401, "Invalid token.");
  std::string_view account = req.header("X-Account-Token");
  if (account.empty())
    return detail_reply(401, "Account Token must be passed in as an X-Account-Token header.");
  if (account != options_.account_token) return detail_reply(401, "Invalid account token.");

  const route* rt = nullptr;
  std::string_view tail;
  for (const auto& r : routes_) {
    if (path.rfind(r.base, 0) == 0 &&
        (path.size() == r.base.size() || path[r.base.size()] == '/')) {
      rt = &r;
      tail = std::string_view(path).substr(std::min(path.size(), r.base.size() + 1));
      break;
    }
  }
  if (!rt || tail.find('/') != std::string_view::npos) return detail_reply(404, "Not found.");
  if (req.method != "GET") return detail_reply(405, "Method not allowed.");
  bool remote = loopback_server::param(q, "include_remote_data") == "true";
  if (tail.empty()) {
    if (!(rt->methods & unsigned(method::list))) return detail_reply(404, "Not found.");
    return list(*rt, q, remote);
  }
  if (!(rt->methods & unsigned(method::get))) return detail_reply(404, "Not found.");
  for (std::size_t i = 0; i < rt->count; ++i) {
    json_record rec = rt->record(i);
    if (field_id(rec, "id") == tail) {
      reply r;
      r.body = render(std::move(rec), remote);
      return r;
    }
  }
  return detail_reply(404, "Not found.");
}

UNIAPI_DECL auto merge_server::render(json_record rec, bool remote) -> std::string {
  if (!remote)
    for (auto& [k, v] : rec)
      if (k == "remote_data") v = "null";
  return to_json(rec);
}

UNIAPI_DECL auto merge_server::list(const route& rt, const params& q, bool remote) -> reply {
  std::size_t size = options_.default_page_size;
  if (auto s = loopback_server::param(q, "page_size")) {
    std::size_t v = 0;
    auto [p, ec] = std::from_chars(s->data(), s->data() + s->size(), v);
    if (ec != std::errc{} || p != s->data() + s->size() || v == 0)
      return detail_reply(400, "page_size must be a positive integer.");
    size = std::min(v, options_.max_page_size);
  }
  std::size_t offset = 0;
  bool empty_first = options_.empty_pages;
  if (auto c = loopback_server::param(q, "cursor"); c && !c->empty()) {
    auto parsed = parse_cursor(*c);
    if (!parsed || parsed->first > rt.count) return detail_reply(400, "Invalid cursor");
    offset = parsed->first;
    empty_first = options_.empty_pages && !parsed->second;
  }
  std::vector<filter> filters;
  if (auto bad = read_filters(rt, q, filters)) return std::move(*bad);
  std::string next;
  reply r;
  if (empty_first) {
    next = cursor_for(offset, true);
    r.body = "{\"next\":\"" + next + "\",\"previous\":null,\"results\":[]}";
    return r;
  }
  std::size_t end = offset;
  std::string prev = offset ? "\"" + cursor_for(offset > size ? offset - size : 0, false) + "\""
                            : std::string("null");
  if (filters.empty() && size > 500) return large_page(rt, offset, size, remote, prev);
  std::string body;
  std::size_t emitted = 0;
  while (end < rt.count && emitted < size) {
    json_record rec = rt.record(end++);
    if (!passes(rec, filters)) continue;
    if (emitted++) body += ',';
    body += render(std::move(rec), remote);
  }
  next = end < rt.count ? "\"" + cursor_for(end, false) + "\"" : "null";
  r.body = "{\"next\":" + next + ",\"previous\":" + prev + ",\"results\":[" + body + "]}";
  return r;
}

UNIAPI_DECL auto merge_server::large_page(const route& rt, std::size_t offset, std::size_t size,
                                          bool remote, std::string prev) -> reply {
  // Generated while it is sent, never held whole.
  std::size_t end = std::min(rt.count, offset + size);
  std::string next = end < rt.count ? "\"" + cursor_for(end, false) + "\"" : "null";
  reply r;
  r.pieces = [&rt, i = offset, end, remote, head = true, next, prev](std::string& out) mutable {
    if (head) {
      out = "{\"next\":" + next + ",\"previous\":" + prev + ",\"results\":[";
      head = false;
      return true;
    }
    for (std::size_t n = 0; n < 64 && i < end; ++n, ++i) {
      out += render(rt.record(i), remote);
      if (i + 1 < end) out += ',';
    }
    if (i < end) return true;
    out += "]}";
    return false;
  };
  return r;
}

UNIAPI_DECL auto merge_server::read_filters(const route& rt, const params& q,
                                            std::vector<filter>& filters) -> std::optional<reply> {
  static constexpr std::string_view known[] = {"cursor",
                                               "page_size",
                                               "include_remote_data",
                                               "include_deleted_data",
                                               "include_shell_data",
                                               "expand",
                                               "show_enum_origins",
                                               "remote_fields"};
  json_record sample = rt.count ? rt.record(0) : json_record{};
  auto has_field = [&](std::string_view k) {
    for (const auto& [name, v] : sample)
      if (name == k) return true;
    return false;
  };
  for (const auto& [k, v] : q) {
    if (std::find(std::begin(known), std::end(known), k) != std::end(known)) continue;
    for (auto [suffix, op] : {std::pair{std::string_view("_after"), filter::after},
                              std::pair{std::string_view("_before"), filter::before}}) {
      if (!k.ends_with(suffix)) continue;
      auto when = timestamp::parse(v);
      if (!when) return detail_reply(400, "Enter a valid date/time.");
      filters.push_back({op, k.substr(0, k.size() - suffix.size()) + "_at", v, when});
    }
    if (k.ends_with("_after") || k.ends_with("_before")) continue;
    if (has_field(k))
      filters.push_back({filter::equals, k, v, std::nullopt});
    else if (k.ends_with("_id") && has_field(k.substr(0, k.size() - 3)))
      filters.push_back({filter::equals, k.substr(0, k.size() - 3), v, std::nullopt});
    // other parameters are ignored, as Merge ignores unknown ones
  }

  return std::nullopt;
}

}  // namespace uniapi::testing

#endif
