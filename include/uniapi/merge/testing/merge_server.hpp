// uniapi — an in-process, Merge-compatible HTTP(S) server on a loopback port (the Merge ATS
// emulation on `loopback_server`).
#ifndef UNIAPI_MERGE_TESTING_MERGE_SERVER_HPP
#define UNIAPI_MERGE_TESTING_MERGE_SERVER_HPP

#include <uniapi/client/resource.hpp>
#include <uniapi/core/detail/config.hpp>
#include <uniapi/core/timestamp.hpp>
#include <uniapi/merge/ats/all.hpp>
#include <uniapi/testing/json_record.hpp>
#include <uniapi/testing/loopback_server.hpp>
#include <uniapi/testing/record_generator.hpp>

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
    build_routes();
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

  // Merge's ATS resources with generated records.
  UNIAPI_DECL void build_routes();

  static UNIAPI_DECL reply detail_reply(int status, std::string_view detail);

  // The page offset a cursor stands for, and whether it is the empty page before it.
  static UNIAPI_DECL std::optional<std::pair<std::size_t, bool>> parse_cursor(std::string_view c);

  // The string a record field holds, or the `id` of the object it holds.
  static UNIAPI_DECL std::optional<std::string> field_id(const json_record& rec,
                                                         std::string_view key);

  struct filter {
    enum kind { equals, after, before } op;
    std::string field;
    std::string value;
    std::optional<timestamp> when;
  };

  static UNIAPI_DECL bool passes(const json_record& rec, const std::vector<filter>& filters);

  UNIAPI_DECL reply handle(const request& req, std::optional<fault> f);

  static UNIAPI_DECL std::string render(json_record rec, bool remote);
  // The filters of a list request's parameters; a 400 reply for a malformed date-time.
  static UNIAPI_DECL std::optional<reply> read_filters(const route& rt, const params& q,
                                                       std::vector<filter>& filters);
  // A page of more than 500 records without filters, generated while it is sent.
  static UNIAPI_DECL reply large_page(const route& rt, std::size_t offset, std::size_t size,
                                      bool remote, std::string prev);

  UNIAPI_DECL reply list(const route& rt, const params& q, bool remote);

  merge_server_options options_;
  std::vector<route> routes_;
  loopback_server server_;  // last: stopped first
};

}  // namespace uniapi::testing

#if !defined(UNIAPI_SEPARATE_COMPILATION)
#include <uniapi/merge/testing/impl/merge_server.ipp>
#endif

#endif
