// uniapi — beast_transport implementation: included by transport/beast_transport.hpp
// (header-only) or compiled once through <uniapi/src.hpp> (UNIAPI_SEPARATE_COMPILATION).
#ifndef UNIAPI_TRANSPORT_IMPL_BEAST_TRANSPORT_IPP
#define UNIAPI_TRANSPORT_IMPL_BEAST_TRANSPORT_IPP

#include <uniapi/transport/beast_transport.hpp>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_range.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
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

/// The state behind a `beast_transport`: an I/O context run per operation, the TLS context (made
/// when the first HTTPS connection is, so plain HTTP never loads a CA store) and the kept-alive
/// connection.
///
/// Every socket operation is an asynchronous one, completed by running the I/O context until the
/// request's deadline (past it, the socket is cancelled: a timeout), behind a blocking stream
/// (`blocking_stream`) over which Beast's synchronous parser runs. Each stream type instantiates
/// each operation once, with one completion type: far less code to compile than coroutines or
/// composed asynchronous operations over timed streams.
class beast_transport_impl {
 public:
  explicit beast_transport_impl(beast_transport_options o) : options_(std::move(o)) {}

  result<http_response> send(const http_request& original, body_sink* sink) {
    deadline_ =
        std::chrono::steady_clock::now() + original.timeout.value_or(options_.request_timeout);
    const http_request* req = &original;
    http_request redirected;
    std::string buffered;
    for (int hop = 0;; ++hop) {
      auto t = parse_target(req->url);
      if (!t) return t.error();
      bool follow = hop < options_.max_redirects;
      result<std::variant<http_response, redirect>> r = make_error(errc::connection_failed, "");
      for (int attempt = 0; attempt < 2; ++attempt) {
        bool reused = conn_ && conn_->origin == t->origin;
        if (!reused) {
          auto c = connect(*t);
          if (!c) return c.error();
        }
        bool received_any = false;
        buffered.clear();
        r = exchange(*req, *t, sink, sink ? nullptr : &buffered, follow, received_any);
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
        return r.error();
      }
      if (auto* resp = std::get_if<0>(&*r)) {
        if (!sink) resp->body = std::move(buffered);
        return std::move(*resp);
      }
      auto& rd = std::get<1>(*r);
      auto next = follow_redirect(*req, *t, rd);
      if (!next) return next.error();
      redirected = std::move(*next);
      req = &redirected;
    }
  }

  std::size_t connections_opened() const noexcept { return opened_; }

 private:
  using plain_stream = tcp::socket;
  using tls_stream = asio::ssl::stream<tcp::socket>;

  struct connection {
    std::string origin;
    std::variant<std::unique_ptr<plain_stream>, std::unique_ptr<tls_stream>> stream;
    beast::flat_buffer buffer;
    tcp::socket& socket() {
      if (auto* p = std::get_if<0>(&stream)) return **p;
      return std::get<1>(stream)->next_layer();
    }
  };

  // How one exchange ended, when it did not produce the final response.
  struct redirect {
    std::string location;
    int status;
  };

  // The completion of one asynchronous operation; the one handler type every operation uses.
  struct outcome {
    boost::system::error_code ec;
    std::size_t bytes = 0;
    bool done = false;
  };
  struct complete {
    outcome* out;
    void operator()(boost::system::error_code ec, std::size_t n = 0) const {
      out->ec = ec;
      out->bytes = n;
      out->done = true;
    }
    void operator()(boost::system::error_code ec, const tcp::endpoint&) const {
      out->ec = ec;
      out->done = true;
    }
  };

  // Runs the I/O context until the operation just started completed or `deadline` passed; then
  // `cancel` aborts it and the outcome is a timeout.
  template <class Cancel>
  outcome& wait(outcome& o, std::chrono::steady_clock::time_point deadline, Cancel cancel) {
    ioc_.restart();
    ioc_.run_until(deadline);
    if (!o.done) {
      cancel();
      ioc_.restart();
      ioc_.run();
      o.ec = asio::error::timed_out;
    }
    return o;
  }
  outcome& wait(outcome& o) {
    return wait(o, deadline_, [this] {
      boost::system::error_code ignored;
      conn_->socket().cancel(ignored);
    });
  }

  std::size_t read_some(asio::mutable_buffer b, boost::system::error_code& ec) {
    outcome o;
    if (auto* p = std::get_if<0>(&conn_->stream))
      (*p)->async_read_some(b, complete{&o});
    else
      std::get<1>(conn_->stream)->async_read_some(b, complete{&o});
    wait(o);
    ec = o.ec;
    return o.bytes;
  }

  std::size_t write_some(asio::const_buffer b, boost::system::error_code& ec) {
    outcome o;
    if (auto* p = std::get_if<0>(&conn_->stream))
      (*p)->async_write_some(b, complete{&o});
    else
      std::get<1>(conn_->stream)->async_write_some(b, complete{&o});
    wait(o);
    ec = o.ec;
    return o.bytes;
  }

  /// The open connection as a synchronous stream (Beast's SyncReadStream and SyncWriteStream):
  /// each call is an asynchronous operation bounded by the connection's deadline.
  class blocking_stream {
   public:
    explicit blocking_stream(beast_transport_impl& t) : t_(t) {}

    template <class MutableBufferSequence>
    std::size_t read_some(const MutableBufferSequence& buffers, boost::system::error_code& ec) {
      for (auto it = asio::buffer_sequence_begin(buffers); it != asio::buffer_sequence_end(buffers);
           ++it)
        if (asio::mutable_buffer b(*it); b.size() != 0) return t_.read_some(b, ec);
      ec = {};
      return 0;
    }
    template <class MutableBufferSequence>
    std::size_t read_some(const MutableBufferSequence& buffers) {
      boost::system::error_code ec;
      std::size_t n = read_some(buffers, ec);
      if (ec) throw boost::system::system_error(ec);
      return n;
    }
    template <class ConstBufferSequence>
    std::size_t write_some(const ConstBufferSequence& buffers, boost::system::error_code& ec) {
      for (auto it = asio::buffer_sequence_begin(buffers); it != asio::buffer_sequence_end(buffers);
           ++it)
        if (asio::const_buffer b(*it); b.size() != 0) return t_.write_some(b, ec);
      ec = {};
      return 0;
    }
    template <class ConstBufferSequence>
    std::size_t write_some(const ConstBufferSequence& buffers) {
      boost::system::error_code ec;
      std::size_t n = write_some(buffers, ec);
      if (ec) throw boost::system::system_error(ec);
      return n;
    }

   private:
    beast_transport_impl& t_;
  };

  static error failure(errc e, const url_target& t, std::string what,
                       const boost::system::error_code& ec = {}) {
    std::string msg = what + " " + t.origin + t.path;
    if (ec) msg += ": " + ec.message();
    return make_error(e, std::move(msg));
  }

  static errc classify(const boost::system::error_code& ec) {
    if (ec == asio::error::timed_out || ec == asio::error::operation_aborted) return errc::timeout;
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

  result<void> connect(const url_target& t) {
    conn_.reset();
    auto ex = ioc_.get_executor();
    tcp::resolver resolver(ex);
    auto connect_deadline =
        std::min(deadline_, std::chrono::steady_clock::now() + options_.connect_timeout);
    outcome ro;
    tcp::resolver::results_type endpoints;
    resolver.async_resolve(t.host, t.port,
                           [&](boost::system::error_code ec, tcp::resolver::results_type r) {
                             ro.ec = ec;
                             ro.done = true;
                             endpoints = std::move(r);
                           });
    if (auto rec = wait(ro, connect_deadline, [&] { resolver.cancel(); }).ec)
      return failure(classify(rec) == errc::timeout ? errc::timeout : errc::connection_failed, t,
                     "cannot resolve", rec);
    auto socket = std::make_unique<plain_stream>(ex);
    outcome co;
    asio::async_connect(*socket, endpoints, complete{&co});
    if (wait(co, connect_deadline, [&] {
          boost::system::error_code ignored;
          socket->close(ignored);
        }).ec)
      return failure(classify(co.ec), t, "cannot connect to", co.ec);
    ++opened_;
    socket->set_option(tcp::no_delay(true));
    auto c = std::make_unique<connection>();
    c->origin = t.origin;
    // Beast reads as much as the buffer has room for (at least 512 bytes): room for 64 KiB lets
    // one read take what a fast server sent, instead of 512 bytes per system call.
    c->buffer.reserve(read_buffer_size);
    if (!t.tls) {
      c->stream = std::move(socket);
      conn_ = std::move(c);
    } else {
      auto ctx = tls_context();
      if (!ctx) return ctx.error();
      c->stream = std::make_unique<tls_stream>(std::move(*socket), **ctx);
      conn_ = std::move(c);
      auto& s = *std::get<1>(conn_->stream);
      boost::system::error_code ip_ec;
      asio::ip::make_address(t.host, ip_ec);
      if (ip_ec && !SSL_set_tlsext_host_name(s.native_handle(), t.host.c_str())) {
        conn_.reset();
        return failure(errc::tls_failed, t, "cannot set SNI for");
      }
      s.set_verify_callback(asio::ssl::host_name_verification(t.host));
      outcome ho;
      s.async_handshake(asio::ssl::stream_base::client, complete{&ho});
      if (auto hec = wait(ho).ec) {
        std::string what = "TLS handshake failed with";
        long v = SSL_get_verify_result(s.native_handle());
        if (v != X509_V_OK)
          what = std::string("certificate verification failed (") +
                 X509_verify_cert_error_string(v) + ") for";
        auto e = failure(classify(hec) == errc::timeout ? errc::timeout : errc::tls_failed, t, what,
                         hec);
        conn_.reset();
        return e;
      }
    }
    return {};
  }

  // A header name is an RFC 9110 token; a value has no CR, LF or NUL (no header injection).
  static bool valid_field(std::string_view name, std::string_view value) {
    if (name.empty()) return false;
    for (char c : name)
      if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7f ||
          std::string_view("\"(),/:;<=>?@[\\]{}").find(c) != std::string_view::npos)
        return false;
    return value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
  }

  // The request head and body, as sent. Framing (Host, Content-Length) is the transport's.
  result<std::string> serialize(const http_request& req, const url_target& t) const {
    std::string out;
    out.reserve(256 + t.target.size() + req.body.size());
    out += to_string(req.method);
    out += ' ';
    out += t.target;
    out += " HTTP/1.1\r\nHost: ";
    out += t.host_header;
    out += "\r\n";
    bool user_agent = false;
    for (const auto& [k, v] : req.headers) {
      if (!valid_field(k, v))
        return failure(errc::invalid_argument, t, "invalid header field in a request to");
      if (iequals(k, "Host") || iequals(k, "Content-Length") || iequals(k, "Transfer-Encoding"))
        continue;
      user_agent = user_agent || iequals(k, "User-Agent");
      out += k;
      out += ": ";
      out += v;
      out += "\r\n";
    }
    if (!user_agent) {
      out += "User-Agent: ";
      out += options_.user_agent;
      out += "\r\n";
    }
    if (!req.body.empty() || req.method == http_method::post || req.method == http_method::put ||
        req.method == http_method::patch) {
      out += "Content-Length: ";
      out += std::to_string(req.body.size());
      out += "\r\n";
    }
    out += "\r\n";
    out += req.body;
    return out;
  }

  // One request/response on the open connection. Returns the final head (body streamed to
  // `sink` or into `buffered`) or a redirect to follow.
  result<std::variant<http_response, redirect>> exchange(const http_request& req,
                                                         const url_target& t, body_sink* sink,
                                                         std::string* buffered, bool follow,
                                                         bool& received_any) {
    auto bytes = serialize(req, t);
    if (!bytes) return bytes.error();
    blocking_stream stream(*this);
    boost::system::error_code wec;
    asio::write(stream, asio::buffer(*bytes), wec);
    if (wec) return failure(classify(wec), t, "cannot send request to", wec);

    bhttp::response_parser<forwarding_body> parser;
    std::uint64_t limit = buffered ? options_.max_body_size : options_.max_streamed_body_size;
    if (limit)
      parser.body_limit(limit);
    else
      parser.body_limit(boost::none);
    boost::system::error_code hec;
    bhttp::read_header(stream, conn_->buffer, parser, hec);
    if (hec) return failure(classify(hec), t, "no response from", hec);
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
        return h.error();
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
      boost::system::error_code rec;
      bhttp::read(stream, conn_->buffer, parser, rec);
      if (state.sink_error) {
        conn_.reset();
        return std::move(*state.sink_error);
      }
      if (rec) {
        conn_.reset();
        return failure(classify(rec), t, "reading the response from", rec);
      }
    }
    if (!parser.get().keep_alive()) conn_.reset();
    if (redir) return std::variant<http_response, redirect>(std::move(*redir));
    return std::variant<http_response, redirect>(std::move(resp));
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
  std::chrono::steady_clock::time_point deadline_;  // of the current request
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
