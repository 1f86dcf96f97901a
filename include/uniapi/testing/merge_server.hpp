// uniapi — an in-process, Merge-compatible HTTP(S) server on a loopback port (the Merge ATS
// emulation on `loopback_server`).
#ifndef UNIAPI_TESTING_MERGE_SERVER_HPP
#define UNIAPI_TESTING_MERGE_SERVER_HPP

#include <uniapi/merge/ats/all.hpp>
#include <uniapi/resource.hpp>
#include <uniapi/testing/ats_fixtures.hpp>
#include <uniapi/testing/loopback_server.hpp>
#include <uniapi/testing/record_generator.hpp>
#include <uniapi/timestamp.hpp>

#include <charconv>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

namespace uniapi::testing {

/// Settings of `merge_server`.
struct merge_server_options {
  bool tls = false;                                 ///< serve HTTPS
  std::string certificate;                          ///< PEM (see `test_certificates`)
  std::string private_key;                          ///< PEM
  std::string api_key = "local-merge-api-key";      ///< the only API key accepted
  std::string account_token = "local-account-tok";  ///< the only account token accepted
  std::size_t records_per_resource = 45;            ///< size of every collection
  std::size_t default_page_size = 30;               ///< Merge's default
  std::size_t max_page_size = 100;  ///< larger `page_size` values are served as this (Merge: 100)
  bool empty_pages = false;         ///< put an empty page (with a `next`) before every page
  json_layout layout = json_layout::compact;  ///< layout of JSON bodies (not of large pages)
};

/// A Merge-compatible server for tests and demos: Merge's ATS read API (`/api/ats/v1/
/// candidates`, `applications`, `attachments`, `jobs`, list and get) over HTTP or HTTPS on a
/// loopback port, with generated records.
///
/// Checks `Authorization: Bearer <api_key>` and `X-Account-Token` (401 with Merge's `{"detail":
/// ...}`); lists follow Merge's envelope (`next`/`previous`/`results`) with opaque base64
/// cursors sent back as `cursor`, `page_size` (1–100, default 30), `created_after`/`_before`
/// and `modified_after`/`_before` (strict, on `created_at`/`modified_at`), `include_remote_data`
/// (`remote_data` is null unless true), and equality filters on any top-level field, `x_id`
/// matching the id in field `x`. Unknown parameters are ignored, unknown ids get 404. Injected
/// faults answer as Merge does (429 with `Retry-After`, 500, 502).
///
/// Any resource descriptor can be served (`add_resource`), with records of your own.
class merge_server {
 public:
  explicit merge_server(merge_server_options options = {})
      : options_(std::move(options)),
        server_({.tls = options_.tls,
                 .certificate = options_.certificate,
                 .private_key = options_.private_key,
                 .layout = options_.layout},
                [this](const loopback_server::request& req, std::optional<fault> f) {
                  return handle(req, f);
                }) {
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

  merge_server(const merge_server&) = delete;
  merge_server& operator=(const merge_server&) = delete;
  ~merge_server() { server_.stop(); }

  /// Serves `R` (a resource descriptor) with `count` records, record `i` being `record(i)`; its
  /// `id` member is the id `get` finds it by. Replaces a resource served at the same path. Call
  /// it before requests are sent.
  template <class R>
  void add_resource(std::size_t count, std::function<json_record(std::size_t)> record) {
    route r{std::string(R::name), std::string(R::path), count, std::move(record), methods_of<R>()};
    std::erase_if(routes_, [&](const route& x) { return x.base == r.base; });
    routes_.push_back(std::move(r));
  }

  /// `http://127.0.0.1:PORT` or `https://...`: the origin; resource paths are appended.
  std::string base_url() const { return server_.origin(); }
  unsigned short port() const noexcept { return server_.port(); }
  const std::string& api_key() const noexcept { return options_.api_key; }
  const std::string& account_token() const noexcept { return options_.account_token; }

  /// Record `index` of `resource` exactly as this server sends it with `include_remote_data=true`.
  json_record record(std::string_view resource, std::size_t index) const {
    for (const auto& r : routes_)
      if (r.name == resource) return r.record(index);
    return {};
  }

  /// The generic server underneath (faults, counters, `last_header`, ...).
  loopback_server& server() noexcept { return server_; }
  /// Applies `f` to the next `count` requests.
  void inject(fault f, int count = 1) { server_.inject(f, count); }
  std::size_t connections_accepted() const noexcept { return server_.connections_accepted(); }
  std::size_t requests_served() const noexcept { return server_.requests_served(); }
  std::uint64_t body_bytes_sent() const noexcept { return server_.body_bytes_sent(); }
  std::string last_target() const { return server_.last_target(); }
  std::string last_header(std::string_view name) const { return server_.last_header(name); }

  /// A generated record made Merge-shaped: `remote_data` as `[{"path": path, "data": ...}]`.
  static json_record merge_record(json_record rec, const std::string& path) {
    for (auto& [k, v] : rec)
      if (k == "remote_data" && v != "null") v = "[{\"path\":\"" + path + "\",\"data\":" + v + "}]";
    return rec;
  }

  /// The cursor of the page starting at record `offset` (base64, so it carries `+`, `/`, `=`).
  static std::string cursor_for(std::size_t offset, bool empty_first) {
    std::string plain = (empty_first ? "e=" : "o=") + std::to_string(offset) + "?&/>";
    static constexpr char table[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    for (std::size_t i = 0; i < plain.size(); i += 3) {
      unsigned v = static_cast<unsigned char>(plain[i]) << 16;
      if (i + 1 < plain.size()) v |= static_cast<unsigned char>(plain[i + 1]) << 8;
      if (i + 2 < plain.size()) v |= static_cast<unsigned char>(plain[i + 2]);
      out += table[(v >> 18) & 63];
      out += table[(v >> 12) & 63];
      out += i + 1 < plain.size() ? table[(v >> 6) & 63] : '=';
      out += i + 2 < plain.size() ? table[v & 63] : '=';
    }
    return out;
  }

 private:
  using request = loopback_server::request;
  using reply = loopback_reply;
  using params = loopback_server::params;

  struct route {
    std::string name;  // "candidates"
    std::string base;  // "/api/ats/v1/candidates"
    std::size_t count = 0;
    std::function<json_record(std::size_t)> record;
    unsigned methods = 0;
  };

  static reply detail_reply(int status, std::string_view detail) {
    reply r;
    r.status = status;
    r.body = "{\"detail\":\"" + std::string(detail) + "\"}";
    return r;
  }

  // The page offset a cursor stands for, and whether it is the empty page before it.
  static std::optional<std::pair<std::size_t, bool>> parse_cursor(std::string_view c) {
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

  // The string a record field holds, or the `id` of the object it holds.
  static std::optional<std::string> field_id(const json_record& rec, std::string_view key) {
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

  struct filter {
    enum kind { equals, after, before } op;
    std::string field;
    std::string value;
    std::optional<timestamp> when;
  };

  static bool passes(const json_record& rec, const std::vector<filter>& filters) {
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

  reply handle(const request& req, std::optional<fault> f) {
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

  static std::string render(json_record rec, bool remote) {
    if (!remote)
      for (auto& [k, v] : rec)
        if (k == "remote_data") v = "null";
    return to_json(rec);
  }

  reply list(const route& rt, const params& q, bool remote) {
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
    static constexpr std::string_view known[] = {"cursor",
                                                 "page_size",
                                                 "include_remote_data",
                                                 "include_deleted_data",
                                                 "include_shell_data",
                                                 "expand",
                                                 "show_enum_origins",
                                                 "remote_fields"};
    std::vector<filter> filters;
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
    if (filters.empty() && size > 500) {
      // A large page is generated while it is sent, never held whole.
      end = std::min(rt.count, offset + size);
      next = end < rt.count ? "\"" + cursor_for(end, false) + "\"" : "null";
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

  merge_server_options options_;
  std::vector<route> routes_;
  loopback_server server_;  // last: stopped first
};

}  // namespace uniapi::testing

#endif
