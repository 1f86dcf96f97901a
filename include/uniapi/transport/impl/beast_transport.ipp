// uniapi — beast_transport implementation: included by transport/beast_transport.hpp
// (header-only) or compiled once through <uniapi/src.hpp> (UNIAPI_SEPARATE_COMPILATION).
#ifndef UNIAPI_TRANSPORT_IMPL_BEAST_TRANSPORT_IPP
#define UNIAPI_TRANSPORT_IMPL_BEAST_TRANSPORT_IPP

#include <uniapi/transport/beast_transport.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <algorithm>
#include <optional>
#include <variant>

namespace uniapi::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

/// Where an absolute URL points, split for a connection and a request line.
struct url_target {
  bool tls = false;
  std::string host;         ///< name or address to connect to (IPv6 without brackets)
  std::string port;         ///< decimal
  std::string host_header;  ///< `Host:` value
  std::string target;       ///< path and query
  std::string origin;  ///< scheme://host:port, lower case: what keep-alive and redirects key on
  std::string path;    ///< path without query, for messages
};

inline result<url_target> parse_target(std::string_view url) {
  // Only scheme and authority go through Boost.URL: the path and query are sent as given, since
  // APIs such as Truto's use raw brackets (`a[b]=c`) that RFC 3986 reserves.
  auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos)
    return make_error(errc::invalid_argument, "not an absolute http(s) URL");
  auto rest_at = url.find_first_of("/?#", scheme_end + 3);
  std::string_view rest =
      rest_at == std::string_view::npos ? std::string_view() : url.substr(rest_at);
  rest = rest.substr(0, rest.find('#'));
  for (char c : rest)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f)
      return make_error(errc::invalid_argument, "URL contains a space or control character");
  auto u = boost::urls::parse_absolute_uri(url.substr(0, rest_at));
  if (!u) return make_error(errc::invalid_argument, "not an absolute http(s) URL");
  url_target t;
  if (u->scheme_id() == boost::urls::scheme::https)
    t.tls = true;
  else if (u->scheme_id() != boost::urls::scheme::http)
    return make_error(errc::invalid_argument, "unsupported URL scheme (http and https only)");
  if (!u->has_authority() || u->encoded_host().empty() || u->has_userinfo())
    return make_error(errc::invalid_argument, "URL has no host, or has user info");
  t.host = u->host_address();
  t.port = u->has_port() ? std::string(u->port()) : (t.tls ? "443" : "80");
  t.host_header = u->encoded_host_and_port();
  std::string_view path = rest.substr(0, rest.find('?'));
  t.path = path.empty() ? "/" : std::string(path);
  t.target = rest.empty() || rest.front() == '?' ? "/" + std::string(rest) : std::string(rest);
  std::string host_lc = t.host;
  std::transform(host_lc.begin(), host_lc.end(), host_lc.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  t.origin = std::string(t.tls ? "https://" : "http://") + host_lc + ":" + t.port;
  return t;
}

/// A response body that hands each piece to a callback as the parser produces it, straight
/// from the connection's read buffer: the body is copied once, from the socket into that buffer.
struct forwarding_body {
  struct value_type {
    /// Receives the next piece; false aborts the read (the callback keeps its error).
    bool (*deliver)(void* context, std::string_view piece) = nullptr;
    void* context = nullptr;
  };

  class reader {
   public:
    template <bool isRequest, class Fields>
    reader(bhttp::header<isRequest, Fields>&, value_type& body) : body_(body) {}

    void init(const boost::optional<std::uint64_t>&, beast::error_code& ec) { ec = {}; }

    template <class ConstBufferSequence>
    std::size_t put(const ConstBufferSequence& buffers, beast::error_code& ec) {
      std::size_t n = 0;
      for (auto b : beast::buffers_range_ref(buffers)) {
        std::string_view piece(static_cast<const char*>(b.data()), b.size());
        if (body_.deliver && !body_.deliver(body_.context, piece)) {
          ec = asio::error::operation_aborted;
          return n;
        }
        n += b.size();
      }
      ec = {};
      return n;
    }

    void finish(beast::error_code& ec) { ec = {}; }

   private:
    value_type& body_;
  };
};

/// The state behind a `beast_transport`: an I/O context run per request, the TLS context (made
/// when the first HTTPS connection is, so plain HTTP never loads a CA store) and the kept-alive
/// connection.
class beast_transport_impl {
 public:
  explicit beast_transport_impl(beast_transport_options o) : options_(std::move(o)) {}

  result<http_response> send(const http_request& req, body_sink* sink) {
    std::optional<result<http_response>> out;
    asio::co_spawn(ioc_, run(req, sink), [&](std::exception_ptr ep, result<http_response> r) {
      if (ep) {
        try {
          std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          out.emplace(make_error(errc::connection_failed, e.what()));
        }
      } else {
        out.emplace(std::move(r));
      }
    });
    ioc_.restart();
    ioc_.run();
    if (!out) return make_error(errc::connection_failed, "request did not complete");
    return std::move(*out);
  }

  std::size_t connections_opened() const noexcept { return opened_; }

 private:
  using plain_stream = beast::tcp_stream;
  using tls_stream = beast::ssl_stream<beast::tcp_stream>;

  struct connection {
    std::string origin;
    std::variant<std::unique_ptr<plain_stream>, std::unique_ptr<tls_stream>> stream;
    beast::flat_buffer buffer;
    beast::tcp_stream& tcp() {
      if (auto* p = std::get_if<0>(&stream)) return **p;
      return beast::get_lowest_layer(*std::get<1>(stream));
    }
  };

  // How one exchange ended, when it did not produce the final response.
  struct redirect {
    std::string location;
    int status;
  };

  static constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

  static error failure(errc e, const url_target& t, std::string what,
                       const boost::system::error_code& ec = {}) {
    std::string msg = what + " " + t.origin + t.path;
    if (ec) msg += ": " + ec.message();
    return make_error(e, std::move(msg));
  }

  static errc classify(const boost::system::error_code& ec) {
    if (ec == beast::error::timeout || ec == asio::error::operation_aborted) return errc::timeout;
    if (ec == bhttp::error::partial_message) return errc::truncated_body;
    if (ec == bhttp::error::body_limit) return errc::body_too_large;
    if (ec.category() == asio::error::get_ssl_category() ||
        ec.category() == asio::ssl::error::get_stream_category())
      return errc::tls_failed;
    return errc::connection_failed;
  }

  // The TLS client context, made on first use: TLS 1.2+, peer verification, the system CA store
  // and/or `ca_file`.
  result<asio::ssl::context*> tls_context() {
    if (tls_error_) return *tls_error_;
    if (ssl_) return &*ssl_;
    asio::ssl::context ctx(asio::ssl::context::tls_client);
    ctx.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                    asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                    asio::ssl::context::no_tlsv1_1);
    SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_2_VERSION);
    ctx.set_verify_mode(asio::ssl::verify_peer);
    boost::system::error_code ec;
    if (options_.use_system_ca) ctx.set_default_verify_paths(ec);
    if (!options_.ca_file.empty()) {
      ctx.load_verify_file(options_.ca_file, ec);
      if (ec) {
        tls_error_ = make_error(errc::tls_failed, "cannot load CA file " + options_.ca_file);
        return *tls_error_;
      }
    }
    ssl_.emplace(std::move(ctx));
    return &*ssl_;
  }

  asio::awaitable<result<void>> connect(const url_target& t,
                                        std::chrono::steady_clock::time_point deadline) {
    conn_.reset();
    auto ex = co_await asio::this_coro::executor;
    tcp::resolver resolver(ex);
    asio::steady_timer guard(ex);
    auto connect_deadline =
        std::min(deadline, std::chrono::steady_clock::now() + options_.connect_timeout);
    guard.expires_at(connect_deadline);
    guard.async_wait([&](boost::system::error_code ec) {
      if (!ec) resolver.cancel();
    });
    auto [rec, endpoints] = co_await resolver.async_resolve(t.host, t.port, use_tuple);
    guard.cancel();
    if (rec)
      co_return failure(
          rec == asio::error::operation_aborted ? errc::timeout : errc::connection_failed, t,
          "cannot resolve", rec);
    auto c = std::make_unique<connection>();
    c->origin = t.origin;
    // Beast reads as much as the buffer has room for (at least 512 bytes): room for 64 KiB lets
    // one read take what a fast server sent, instead of 512 bytes per system call.
    c->buffer.reserve(read_buffer_size);
    std::unique_ptr<plain_stream> tcp_stream = std::make_unique<plain_stream>(ex);
    tcp_stream->expires_at(connect_deadline);
    auto [cec, ep] = co_await tcp_stream->async_connect(endpoints, use_tuple);
    if (cec) co_return failure(classify(cec), t, "cannot connect to", cec);
    ++opened_;
    tcp_stream->socket().set_option(tcp::no_delay(true));
    if (!t.tls) {
      c->stream = std::move(tcp_stream);
    } else {
      auto ctx = tls_context();
      if (!ctx) co_return ctx.error();
      auto s = std::make_unique<tls_stream>(std::move(*tcp_stream), **ctx);
      boost::system::error_code ip_ec;
      asio::ip::make_address(t.host, ip_ec);
      if (ip_ec && !SSL_set_tlsext_host_name(s->native_handle(), t.host.c_str()))
        co_return failure(errc::tls_failed, t, "cannot set SNI for");
      s->set_verify_callback(asio::ssl::host_name_verification(t.host));
      beast::get_lowest_layer(*s).expires_at(deadline);
      auto [hec] = co_await s->async_handshake(asio::ssl::stream_base::client, use_tuple);
      if (hec) {
        std::string what = "TLS handshake failed with";
        long v = SSL_get_verify_result(s->native_handle());
        if (v != X509_V_OK)
          what = std::string("certificate verification failed (") +
                 X509_verify_cert_error_string(v) + ") for";
        co_return failure(classify(hec) == errc::timeout ? errc::timeout : errc::tls_failed, t,
                          what, hec);
      }
      c->stream = std::move(s);
    }
    conn_ = std::move(c);
    co_return result<void>{};
  }

  // One request/response on the open connection. Returns the final head (body streamed to
  // `sink` or into `buffered`) or a redirect to follow.
  template <class Stream>
  asio::awaitable<result<std::variant<http_response, redirect>>> exchange(
      Stream& stream, const http_request& req, const url_target& t, body_sink* sink,
      std::string* buffered, bool follow, std::chrono::steady_clock::time_point deadline,
      bool& received_any) {
    bhttp::request<bhttp::string_body> out;
    switch (req.method) {
      case http_method::get:
        out.method(bhttp::verb::get);
        break;
      case http_method::post:
        out.method(bhttp::verb::post);
        break;
      case http_method::put:
        out.method(bhttp::verb::put);
        break;
      case http_method::patch:
        out.method(bhttp::verb::patch);
        break;
      case http_method::delete_:
        out.method(bhttp::verb::delete_);
        break;
    }
    out.target(t.target);
    out.version(11);
    out.set(bhttp::field::host, t.host_header);
    for (const auto& [k, v] : req.headers)
      out.insert(k, v);
    if (!req.headers.find("User-Agent")) out.set(bhttp::field::user_agent, options_.user_agent);
    out.keep_alive(true);
    out.body() = req.body;
    if (!req.body.empty() || req.method == http_method::post || req.method == http_method::put ||
        req.method == http_method::patch)
      out.prepare_payload();

    conn_->tcp().expires_at(deadline);
    auto [wec, wn] = co_await bhttp::async_write(stream, out, use_tuple);
    if (wec) co_return failure(classify(wec), t, "cannot send request to", wec);

    bhttp::response_parser<forwarding_body> parser;
    std::uint64_t limit = buffered ? options_.max_body_size : options_.max_streamed_body_size;
    if (limit)
      parser.body_limit(limit);
    else
      parser.body_limit(boost::none);
    auto [hec, hn] = co_await bhttp::async_read_header(stream, conn_->buffer, parser, use_tuple);
    if (hec) co_return failure(classify(hec), t, "no response from", hec);
    received_any = true;

    const auto& head = parser.get();
    http_response resp;
    resp.status = static_cast<int>(head.result_int());
    for (const auto& f : head)
      resp.headers.add(std::string(f.name_string()), std::string(f.value()));

    std::optional<redirect> redir;
    if (follow && (resp.status == 301 || resp.status == 302 || resp.status == 303 ||
                   resp.status == 307 || resp.status == 308)) {
      if (auto loc = resp.headers.find("Location"))
        redir = redirect{std::string(*loc), resp.status};
    }
    if (!redir && sink) {
      if (auto h = sink->on_head(resp); !h) {
        conn_.reset();
        co_return h.error();
      }
    }

    // The body goes to the sink (or the buffer) piece by piece as the parser meets it, so bytes
    // that arrived before an error still reach the sink: a streamed page delivers every item it
    // received before the connection failed. A redirect's body is dropped.
    struct target_state {
      body_sink* sink;
      std::string* buffered;
      std::optional<error> sink_error;
    } state{redir ? nullptr : sink, redir ? nullptr : buffered, std::nullopt};
    auto& body = parser.get().body();
    body.context = &state;
    body.deliver = [](void* c, std::string_view piece) {
      auto& st = *static_cast<target_state*>(c);
      if (st.buffered) {
        st.buffered->append(piece);
      } else if (st.sink) {
        if (auto d = st.sink->on_data(piece); !d) {
          st.sink_error = d.error();
          return false;
        }
      }
      return true;
    };
    if (!parser.is_done()) {
      auto [rec, rn] = co_await bhttp::async_read(stream, conn_->buffer, parser, use_tuple);
      if (state.sink_error) {
        conn_.reset();
        co_return std::move(*state.sink_error);
      }
      if (rec) {
        conn_.reset();
        co_return failure(classify(rec), t, "reading the response from", rec);
      }
    }
    if (!parser.get().keep_alive()) conn_.reset();
    if (redir) co_return std::variant<http_response, redirect>(std::move(*redir));
    co_return std::variant<http_response, redirect>(std::move(resp));
  }

  asio::awaitable<result<http_response>> run(const http_request& original, body_sink* sink) {
    auto deadline =
        std::chrono::steady_clock::now() + original.timeout.value_or(options_.request_timeout);
    const http_request* req = &original;
    http_request redirected;
    std::string buffered;
    for (int hop = 0;; ++hop) {
      auto t = parse_target(req->url);
      if (!t) co_return t.error();
      bool follow = hop < options_.max_redirects;
      result<std::variant<http_response, redirect>> r = make_error(errc::connection_failed, "");
      for (int attempt = 0; attempt < 2; ++attempt) {
        bool reused = conn_ && conn_->origin == t->origin;
        if (!reused) {
          auto c = co_await connect(*t, deadline);
          if (!c) co_return c.error();
        }
        bool received_any = false;
        buffered.clear();
        std::string* buf = sink ? nullptr : &buffered;
        if (auto* p = std::get_if<0>(&conn_->stream))
          r = co_await exchange(**p, *req, *t, sink, buf, follow, deadline, received_any);
        else
          r = co_await exchange(*std::get<1>(conn_->stream), *req, *t, sink, buf, follow, deadline,
                                received_any);
        // A kept-alive connection the server closed meanwhile fails before any response byte.
        // For an idempotent request one more try on a fresh connection is safe.
        if (!r && reused && !received_any && req->idempotent() &&
            r.error().condition() == errc::connection_failed) {
          conn_.reset();
          continue;
        }
        break;
      }
      if (!r) {
        conn_.reset();
        co_return r.error();
      }
      if (auto* resp = std::get_if<0>(&*r)) {
        if (!sink) resp->body = std::move(buffered);
        co_return std::move(*resp);
      }
      auto& rd = std::get<1>(*r);
      auto next = follow_redirect(*req, *t, rd);
      if (!next) co_return next.error();
      redirected = std::move(*next);
      req = &redirected;
    }
  }

  static result<http_request> follow_redirect(const http_request& req, const url_target& from,
                                              const redirect& rd) {
    std::string base_text = (from.tls ? "https://" : "http://") + from.host_header + from.path;
    auto base = boost::urls::parse_absolute_uri(base_text);
    auto ref = boost::urls::parse_uri_reference(rd.location);
    if (!base || !ref)
      return failure(errc::redirect_refused, from, "invalid redirect Location from");
    boost::urls::url dest;
    if (!boost::urls::resolve(*base, *ref, dest))
      return failure(errc::redirect_refused, from, "unresolvable redirect from");
    dest.remove_fragment();
    http_request next = req;
    next.url = std::string(dest.buffer());
    auto to = parse_target(next.url);
    if (!to) return failure(errc::redirect_refused, from, "redirect to a non-http(s) URL from");
    if (from.tls && !to->tls)
      return failure(errc::redirect_refused, from, "redirect from https to http from");
    if (to->origin != from.origin) {
      // Credentials may travel in any header (Merge's X-Account-Token, an API key header): keep
      // only those that describe the request, never one that could authenticate it.
      http_headers kept;
      for (const auto& [name, value] : next.headers)
        if (iequals(name, "Accept") || iequals(name, "Content-Type") ||
            iequals(name, "User-Agent") || iequals(name, "Idempotency-Key"))
          kept.add(name, value);
      next.headers = std::move(kept);
    }
    if (rd.status == 303 ||
        ((rd.status == 301 || rd.status == 302) && req.method == http_method::post)) {
      next.method = http_method::get;
      next.body.clear();
      next.headers.erase("Content-Type");
    }
    return next;
  }

  static constexpr std::size_t read_buffer_size = 64 * 1024;

  beast_transport_options options_;
  asio::io_context ioc_{1};
  std::optional<asio::ssl::context> ssl_;
  std::optional<error> tls_error_;
  std::unique_ptr<connection> conn_;
  std::size_t opened_ = 0;
};

}  // namespace uniapi::detail

namespace uniapi {

UNIAPI_DECL beast_transport::beast_transport(beast_transport_options options)
    : impl_(std::make_unique<detail::beast_transport_impl>(std::move(options))) {}
UNIAPI_DECL beast_transport::beast_transport(beast_transport&&) noexcept = default;
UNIAPI_DECL beast_transport& beast_transport::operator=(beast_transport&&) noexcept = default;
UNIAPI_DECL beast_transport::~beast_transport() = default;

UNIAPI_DECL result<http_response> beast_transport::send(const http_request& req) {
  return impl_->send(req, nullptr);
}
UNIAPI_DECL result<http_response> beast_transport::send(const http_request& req, body_sink& sink) {
  return impl_->send(req, &sink);
}
UNIAPI_DECL std::size_t beast_transport::connections_opened() const noexcept {
  return impl_->connections_opened();
}

}  // namespace uniapi

#endif
