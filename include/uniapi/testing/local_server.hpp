// uniapi — an in-process, Truto-compatible HTTP(S) server on a loopback port.
#ifndef UNIAPI_TESTING_LOCAL_SERVER_HPP
#define UNIAPI_TESTING_LOCAL_SERVER_HPP

#include <uniapi/testing/ats_fixtures.hpp>
#include <uniapi/testing/record_generator.hpp>
#include <uniapi/truto/ats/all.hpp>
#include <uniapi/truto/crm/contact.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/url/parse.hpp>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

namespace uniapi::testing {

/// A misbehaviour the server applies to the next request(s) (see `local_server::inject`).
enum class fault {
  too_many_requests,  ///< 429 with `Retry-After: 1` and Truto's rate-limit error body
  internal_error,     ///< 500 with Truto's error body
  bad_gateway,        ///< 502 (provider gave no usable response), remote error
  drop_connection,    ///< close the connection without answering
  truncate_body,      ///< announce the full Content-Length, send half, close
  reset_body,         ///< as truncate_body, then a TCP reset (RST) instead of a clean close
  slow_body,          ///< send the body one byte every 20 ms (for timeout tests)
  wrong_type,         ///< a 200 list page whose 4th record has a numeric `candidate.id`
};

/// How `local_server` lays out the JSON it sends.
enum class json_layout {
  compact,      ///< no whitespace between tokens
  pretty,       ///< two-space indentation, LF line ends, a space after each colon
  pretty_crlf,  ///< as pretty, with CRLF line ends
  tabs,         ///< tab indentation, LF line ends, spaces around colons
};

/// `text` (valid JSON) laid out as `layout` says; strings are kept byte for byte.
inline std::string layout_json(std::string_view text, json_layout layout) {
  if (layout == json_layout::compact) return std::string(text);
  const std::string_view nl = layout == json_layout::pretty_crlf ? "\r\n" : "\n";
  const std::string_view indent = layout == json_layout::tabs ? "\t" : "  ";
  const std::string_view colon = layout == json_layout::tabs ? " : " : ": ";
  std::string out;
  out.reserve(text.size() * 2);
  int depth = 0;
  auto newline = [&] {
    out += nl;
    for (int i = 0; i < depth; ++i)
      out += indent;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    switch (c) {
      case '"': {
        std::size_t j = i + 1;
        while (j < text.size() && text[j] != '"')
          j += text[j] == '\\' ? 2 : 1;
        out.append(text.substr(i, j + 1 - i));
        i = j;
        break;
      }
      case '{':
      case '[':
        out += c;
        if (i + 1 < text.size() && (text[i + 1] == '}' || text[i + 1] == ']')) {
          out += text[++i];
          break;
        }
        ++depth;
        newline();
        break;
      case '}':
      case ']':
        --depth;
        newline();
        out += c;
        break;
      case ',':
        out += c;
        newline();
        break;
      case ':':
        out += colon;
        break;
      case ' ':
      case '\n':
      case '\r':
      case '\t':
        break;
      default:
        out += c;
    }
  }
  return out;
}

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
      : options_(std::move(options)), ssl_(boost::asio::ssl::context::tls_server) {
    if (options_.tls) {
      ssl_.use_certificate_chain(boost::asio::buffer(options_.certificate));
      ssl_.use_private_key(boost::asio::buffer(options_.private_key),
                           boost::asio::ssl::context::pem);
    }
    tcp::endpoint ep(boost::asio::ip::make_address("127.0.0.1"), 0);
    acceptor_.open(ep.protocol());
    acceptor_.set_option(tcp::acceptor::reuse_address(true));
    acceptor_.bind(ep);
    acceptor_.listen();
    port_ = acceptor_.local_endpoint().port();
    build_routes();
    boost::asio::co_spawn(ioc_, accept_loop(), boost::asio::detached);
    thread_ = std::thread([this] { ioc_.run(); });
  }

  local_server(const local_server&) = delete;
  local_server& operator=(const local_server&) = delete;

  ~local_server() {
    ioc_.stop();
    if (thread_.joinable()) thread_.join();
  }

  /// `http://127.0.0.1:PORT` or `https://...`, plus the path prefix.
  std::string base_url() const {
    return std::string(options_.tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_) +
           options_.path_prefix;
  }
  unsigned short port() const noexcept { return port_; }
  const std::string& token() const noexcept { return options_.token; }

  /// Record `index` of `resource` ("attachments", "contacts", ...) exactly as this server sends
  /// it (before `truto_exclude_fields`), or an empty record for an unknown resource.
  json_record record(std::string_view resource, std::size_t index) const {
    for (const auto& r : routes_)
      if (r.name == resource) return r.record(index);
    return {};
  }

  /// Applies `f` to the next `count` requests, after any faults already queued.
  void inject(fault f, int count = 1) {
    std::lock_guard<std::mutex> lock(mutex_);
    for (int i = 0; i < count; ++i)
      faults_.push_back(f);
  }

  /// TCP connections accepted so far.
  std::size_t connections_accepted() const noexcept { return connections_; }
  /// Requests answered so far.
  std::size_t requests_served() const noexcept { return requests_; }
  /// Response body bytes sent so far.
  std::uint64_t body_bytes_sent() const noexcept { return body_bytes_; }
  /// The `Authorization` headers of the last request, as received (for redirect tests).
  std::string last_authorization() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return last_authorization_;
  }
  /// The request target (path and query, as sent) of the last request.
  std::string last_target() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return last_target_;
  }
  /// The `Idempotency-Key` of the last request, empty when it had none.
  std::string last_idempotency_key() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return last_idempotency_key_;
  }

 private:
  using tcp = boost::asio::ip::tcp;
  using request = boost::beast::http::request<boost::beast::http::string_body>;
  static constexpr auto use_tuple = boost::asio::as_tuple(boost::asio::use_awaitable);

  // A resource served at `base`: its records and which methods it answers.
  struct route {
    std::string name;  // "attachments"
    std::string base;  // "/unified/ats/attachments"
    std::size_t count = 0;
    std::function<json_record(std::size_t)> record;
    unsigned methods = 0;
    std::set<std::string> customs;  // custom method path segments, e.g. "move-stage"
    bool has(method m) const { return methods & unsigned(m); }
    // The record index of `id` ("<name>_<index>"), if it is one of ours.
    std::optional<std::size_t> index_of(std::string_view id) const {
      std::string_view digits;
      if (name == "attachments") {
        if (id.rfind("att_", 0) != 0) return std::nullopt;
        digits = id.substr(4);
      } else {
        if (id.rfind(name + "_", 0) != 0) return std::nullopt;
        digits = id.substr(name.size() + 1);
      }
      std::size_t v = 0;
      auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
      if (ec != std::errc{} || p != digits.data() + digits.size() || digits.empty() || v >= count)
        return std::nullopt;
      return v;
    }
  };

  template <class R>
  void add_route(std::size_t count) {
    route r;
    r.name = std::string(R::name);
    r.base = std::string(R::path);
    r.count = count;
    r.record = [name = r.name](std::size_t i) {
      return generate_record<typename R::model>(name, i);
    };
    r.methods = methods_of<R>();
    routes_.push_back(std::move(r));
  }

  void build_routes() {
    std::apply([&](auto... r) { (add_route<decltype(r)>(options_.records_per_resource), ...); },
               truto::ats::all_resources{});
    add_route<truto::crm::contacts_resource>(options_.records_per_resource);
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
    for (auto& r : routes_)
      if (r.name == "attachments") {
        r.count = options_.attachment_count;
        r.record = [](std::size_t i) { return attachment_record(i); };
      }
  }

  struct reply {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
    bool chunked = false;  // send with chunked transfer coding instead of Content-Length
    // A generated file instead of `body`.
    std::optional<std::pair<std::uint64_t, std::uint64_t>> file;  // seed, size
    // A body produced piece by piece (sent chunked), for pages too large to build whole:
    // appends the next piece to its argument and returns false after the last one.
    std::function<bool(std::string&)> pieces;
  };

  boost::asio::awaitable<void> accept_loop() {
    for (;;) {
      auto [ec, socket] = co_await acceptor_.async_accept(use_tuple);
      if (ec) co_return;
      ++connections_;
      socket.set_option(tcp::no_delay(true));
      if (options_.tls)
        boost::asio::co_spawn(ioc_, tls_session(std::move(socket)), boost::asio::detached);
      else
        boost::asio::co_spawn(ioc_, session(boost::beast::tcp_stream(std::move(socket))),
                              boost::asio::detached);
    }
  }

  boost::asio::awaitable<void> tls_session(tcp::socket socket) {
    boost::beast::ssl_stream<boost::beast::tcp_stream> stream(std::move(socket), ssl_);
    boost::beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(10));
    auto [ec] = co_await stream.async_handshake(boost::asio::ssl::stream_base::server, use_tuple);
    if (ec) co_return;
    boost::beast::get_lowest_layer(stream).expires_never();
    co_await session(std::move(stream));
  }

  template <class Stream>
  boost::asio::awaitable<void> session(Stream stream) {
    namespace http = boost::beast::http;
    boost::beast::flat_buffer buffer;
    for (;;) {
      http::request_parser<http::string_body> parser;
      parser.body_limit(512u << 20);
      auto [ec, n] = co_await http::async_read(stream, buffer, parser, use_tuple);
      if (ec) break;
      request req = parser.release();
      ++requests_;
      std::optional<fault> f = next_fault();
      if (f == fault::drop_connection) break;
      reply r = handle(req, f);
      if (options_.layout != json_layout::compact && r.content_type == "application/json")
        r.body = layout_json(r.body, options_.layout);
      bool keep = req.keep_alive();
      if (!co_await write(stream, r, keep, f)) {
        if (f == fault::reset_body) {
          // Let the client read what was sent, then close with a reset (linger 0, no FIN).
          boost::asio::steady_timer pause(co_await boost::asio::this_coro::executor);
          pause.expires_after(std::chrono::milliseconds(100));
          co_await pause.async_wait(use_tuple);
          auto& socket = boost::beast::get_lowest_layer(stream).socket();
          boost::system::error_code ignored;
          socket.set_option(boost::asio::socket_base::linger(true, 0), ignored);
          socket.close(ignored);
          co_return;
        }
        break;
      }
      if (!keep) break;
    }
    boost::system::error_code ignored;
    boost::beast::get_lowest_layer(stream).socket().shutdown(tcp::socket::shutdown_both, ignored);
  }

  template <class Stream>
  boost::asio::awaitable<bool> write(Stream& stream, reply& r, bool keep, std::optional<fault> f) {
    namespace http = boost::beast::http;
    http::response<http::buffer_body> res{static_cast<http::status>(r.status), 11};
    res.set(http::field::content_type, r.content_type);
    res.set(http::field::server, "uniapi-local-server");
    for (const auto& [k, v] : r.headers)
      res.set(k, v);
    std::uint64_t size = r.file ? r.file->second : r.body.size();
    if (r.pieces) co_return co_await write_pieces(stream, res, r, f);
    if (r.chunked)
      res.chunked(true);
    else
      res.content_length(size);
    res.keep_alive(keep);
    http::response_serializer<http::buffer_body> sr{res};
    auto [hec, hn] = co_await http::async_write_header(stream, sr, use_tuple);
    if (hec) co_return false;
    bool cut = f == fault::truncate_body || f == fault::reset_body;
    std::uint64_t to_send = cut ? size / 2 : size;
    std::size_t chunk_size = f == fault::slow_body ? 1 : 64 * 1024;
    std::vector<char> chunk(chunk_size);
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
    for (std::uint64_t off = 0; off < to_send;) {
      std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(chunk_size, to_send - off));
      if (r.file)
        file_bytes(r.file->first, off, chunk.data(), n);
      else
        std::copy_n(r.body.data() + off, n, chunk.data());
      res.body().data = chunk.data();
      res.body().size = n;
      res.body().more = true;
      auto [ec, wn] = co_await http::async_write(stream, sr, use_tuple);
      if (ec && ec != http::error::need_buffer) co_return false;
      off += n;
      body_bytes_ += n;
      if (f == fault::slow_body) {
        timer.expires_after(std::chrono::milliseconds(20));
        co_await timer.async_wait(use_tuple);
      }
    }
    if (to_send < size) co_return false;  // truncated: close
    res.body().data = nullptr;
    res.body().size = 0;
    res.body().more = false;
    auto [ec, wn] = co_await http::async_write(stream, sr, use_tuple);
    co_return !ec;
  }

  template <class Stream, class Response>
  boost::asio::awaitable<bool> write_pieces(Stream& stream, Response& res, reply& r,
                                            std::optional<fault> f) {
    namespace http = boost::beast::http;
    res.chunked(true);
    http::response_serializer<http::buffer_body> sr{res};
    auto [hec, hn] = co_await http::async_write_header(stream, sr, use_tuple);
    if (hec) co_return false;
    std::string piece;
    std::uint64_t sent = 0;
    for (bool more = true; more;) {
      piece.clear();
      more = r.pieces(piece);
      if (piece.empty()) continue;
      res.body().data = piece.data();
      res.body().size = piece.size();
      res.body().more = true;
      auto [ec, wn] = co_await http::async_write(stream, sr, use_tuple);
      if (ec && ec != http::error::need_buffer) co_return false;
      sent += piece.size();
      body_bytes_ += piece.size();
      if ((f == fault::truncate_body || f == fault::reset_body) && sent > 256 * 1024)
        co_return false;  // close mid-body
    }
    res.body().data = nullptr;
    res.body().size = 0;
    res.body().more = false;
    auto [ec, wn] = co_await http::async_write(stream, sr, use_tuple);
    co_return !ec;
  }

  std::optional<fault> next_fault() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (faults_.empty()) return std::nullopt;
    fault f = faults_.front();
    faults_.pop_front();
    return f;
  }

  static reply error_reply(int status, std::string_view name, std::string_view message,
                           std::string extra = {}) {
    reply r;
    r.status = status;
    r.body = "{\"statusCode\":" + std::to_string(status) + ",\"error\":\"" + std::string(name) +
             "\",\"message\":\"" + std::string(message) + "\"" + extra + "}";
    return r;
  }

  // Query parameters, percent-decoded, keyed as `qs` (the query library of Truto's SDKs) reads
  // them: `k[]=a`, `k[0]=a` and repeated `k=a` are all values of `k` (indexed ones in index
  // order), and nested keys keep their named segments: `remote_query[a][b]`, `created_at[gte]`.
  using params = std::multimap<std::string, std::string>;

  // Splits `key` into its name and bracket segments; false when the brackets are unbalanced.
  static bool key_segments(std::string_view key, std::vector<std::string_view>& out) {
    out.clear();
    auto b = key.find('[');
    if (b == 0) return false;
    out.push_back(key.substr(0, b));
    while (b != std::string_view::npos) {
      auto e = key.find(']', b);
      if (e == std::string_view::npos) return false;
      out.push_back(key.substr(b + 1, e - b - 1));
      b = e + 1;
      if (b == key.size()) break;
      if (key[b] != '[') return false;
    }
    return true;
  }

  static bool is_index(std::string_view s) {
    return !s.empty() && s.size() < 10 &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  }

  // `pairs` as `qs` reads them: array segments (`[]`, `[0]`) dropped from the key, the values of
  // indexed keys ordered by index, named segments kept. A key with unbalanced brackets is kept
  // literally, as `qs` does.
  static params normalize_query(const std::vector<std::pair<std::string, std::string>>& pairs) {
    struct entry {
      std::string key;
      std::size_t index;  // the array index, or the position for un-indexed values
      std::size_t order;
      std::string value;
    };
    std::vector<entry> entries;
    std::vector<std::string_view> seg;
    for (std::size_t n = 0; n < pairs.size(); ++n) {
      const auto& [k, v] = pairs[n];
      if (!key_segments(k, seg)) {
        entries.push_back({k, n, n, v});
        continue;
      }
      std::string key(seg[0]);
      std::size_t index = n;
      for (std::size_t i = 1; i < seg.size(); ++i) {
        if (seg[i].empty()) continue;
        if (is_index(seg[i])) {
          index = std::stoul(std::string(seg[i]));
          continue;
        }
        key += '[';
        key.append(seg[i]);
        key += ']';
      }
      entries.push_back({std::move(key), index, n, v});
    }
    std::stable_sort(entries.begin(), entries.end(), [](const entry& a, const entry& b) {
      return a.key != b.key ? a.key < b.key : a.index < b.index;
    });
    params out;
    for (auto& e : entries)
      out.emplace(std::move(e.key), std::move(e.value));
    return out;
  }

  // Every value of the list parameter `k`, comma lists split (`k=a,b` as `k[]=a&k[]=b`).
  static std::vector<std::string> list_param(const params& p, const std::string& k) {
    std::vector<std::string> out;
    for (auto [it, end] = p.equal_range(k); it != end; ++it) {
      std::string_view v = it->second;
      for (std::size_t at = 0;;) {
        auto comma = v.find(',', at);
        auto item = v.substr(at, comma == std::string_view::npos ? v.npos : comma - at);
        if (!item.empty()) out.emplace_back(item);
        if (comma == std::string_view::npos) break;
        at = comma + 1;
      }
    }
    return out;
  }

  static std::optional<std::string> param(const params& p, const std::string& k) {
    auto it = p.find(k);
    if (it == p.end()) return std::nullopt;
    return it->second;
  }

  reply handle(const request& req, std::optional<fault> f) {
    namespace http = boost::beast::http;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      last_authorization_ = std::string(req[http::field::authorization]);
      last_target_ = std::string(req.target());
      last_idempotency_key_ = std::string(req["Idempotency-Key"]);
    }
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

    // Truto accepts raw brackets in keys (`a[b]=c`); RFC 3986 does not, so encode them first.
    std::string raw_target;
    for (char c : req.target()) {
      if (c == '[')
        raw_target += "%5B";
      else if (c == ']')
        raw_target += "%5D";
      else
        raw_target += c;
    }
    auto target = boost::urls::parse_origin_form(raw_target);
    if (!target) return error_reply(400, "Bad Request", "Malformed request target");
    std::string path = target->path();
    if (!options_.path_prefix.empty()) {
      if (path.rfind(options_.path_prefix, 0) != 0)
        return error_reply(404, "Not Found", "Not Found");
      path.erase(0, options_.path_prefix.size());
    }
    std::vector<std::pair<std::string, std::string>> pairs;
    for (auto p : target->params())
      pairs.emplace_back(p.key, p.value);
    params q = normalize_query(pairs);
    if (path == "/redirect") {
      // For redirect tests: 307 to the URL in `to`, before any auth check.
      reply r;
      r.status = 307;
      r.headers.emplace_back("Location", param(q, "to").value_or("/"));
      return r;
    }

    if (req[http::field::authorization] != "Bearer " + options_.token)
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
    bool get = req.method() == http::verb::get, post = req.method() == http::verb::post;
    if (tail.empty()) {
      if (get && rt->has(method::list)) return list(*rt, q);
      if (post && rt->has(method::create)) return create(*rt, req);
    } else if (post && rt->customs.count(std::string(tail))) {
      return custom(*rt, std::string(tail), req, q);
    } else if (get && rt->has(method::get)) {
      return get_record(*rt, tail);
    } else if (req.method() == http::verb::patch && rt->has(method::update)) {
      return update(*rt, tail, req);
    } else if (req.method() == http::verb::delete_ && rt->has(method::remove)) {
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
    auto v = boost::json::parse(req.body(), ec);
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
    if (rt.name == "attachments") return create(req);
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
    std::string_view ct = req[boost::beast::http::field::content_type];
    auto b = ct.find("boundary=");
    if (ct.rfind("multipart/form-data", 0) != 0 || b == std::string_view::npos)
      return error_reply(400, "Bad Request", "multipart/form-data body required");
    std::string boundary = "--" + std::string(ct.substr(b + 9));
    std::string_view body = req.body();
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
  boost::asio::io_context ioc_{1};
  boost::asio::ssl::context ssl_;
  tcp::acceptor acceptor_{ioc_};
  unsigned short port_ = 0;
  std::thread thread_;
  mutable std::mutex mutex_;
  std::deque<fault> faults_;
  std::string last_authorization_, last_target_, last_idempotency_key_;
  std::atomic<std::size_t> connections_{0};
  std::atomic<std::size_t> requests_{0};
  std::atomic<std::uint64_t> body_bytes_{0};
  std::map<std::string, std::vector<std::string>> record_cache_;  // server thread only
  std::size_t created_ = 0;
  std::string first_cursor_;  // for repeat_cursor_after
  std::vector<route> routes_;
};

}  // namespace uniapi::testing

#endif
