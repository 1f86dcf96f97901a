// uniapi — the HTTP/1.1 pieces both Beast transports share: URL targets, request serialization
// with header validation, the forwarding response body, redirects and error classification.
#ifndef UNIAPI_TRANSPORT_BEAST_DETAIL_HTTP_EXCHANGE_HPP
#define UNIAPI_TRANSPORT_BEAST_DETAIL_HTTP_EXCHANGE_HPP

#include <uniapi/core/error.hpp>
#include <uniapi/core/http.hpp>
#include <uniapi/core/result.hpp>
#include <uniapi/transport/beast/tls_error.hpp>

#include <boost/asio/error.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core/buffers_range.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <string_view>

namespace uniapi::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

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

/// An error the transport raises itself, naming what failed and where (origin and path, never a
/// header).
inline error failure(errc e, const url_target& t, std::string what) {
  return make_error(e, what + " " + t.origin + t.path);
}

/// An error caused by `ec` (Asio's, Beast's, OpenSSL's), which it keeps as its code; its message
/// names what failed, where, and the cause.
inline error failure(const url_target& t, std::string what, std::error_code ec) {
  error e;
  e.code = ec;
  e.message = what + " " + t.origin + t.path + ": " + ec.message();
  return e;
}

/// The conditions of the codes the Beast transports meet: Beast's timeout, a truncated body, a
/// body past its limit, TLS and certificate failures, and the other connection failures.
inline errc classify_beast_error(const std::error_code& code) noexcept {
  auto is = [&](const boost::system::error_code& b) { return code == std::error_code(b); };
  auto in = [&](const boost::system::error_category& c) {
    return code.category() == static_cast<const std::error_category&>(c);
  };
  if (is(beast::error::timeout)) return errc::timeout;
  if (is(bhttp::error::partial_message)) return errc::truncated_body;
  if (is(bhttp::error::body_limit)) return errc::body_too_large;
  if (code.category() == x509_category() || in(asio::error::get_ssl_category()) ||
      in(asio::ssl::error::get_stream_category()))
    return errc::tls_failed;
  if (in(boost::system::error_code(bhttp::error::end_of_stream).category()) ||
      in(boost::system::error_code(beast::error::timeout).category()) ||
      in(asio::error::get_misc_category()) || in(asio::error::get_netdb_category()) ||
      in(asio::error::get_addrinfo_category()))
    return errc::connection_failed;
  return errc{};
}

/// Registers `classify_beast_error` once per program that includes a Beast transport.
inline const bool beast_errors_classified = add_error_classifier(&classify_beast_error);

/// Sets what the server's certificate is checked against: SNI and the host name, or the IP
/// address the URL names (a mismatch fails with `X509_V_ERR_HOSTNAME_MISMATCH` or
/// `X509_V_ERR_IP_ADDRESS_MISMATCH`).
inline result<void> expect_server_identity(SSL* ssl, const url_target& t) {
  boost::system::error_code ip_ec;
  asio::ip::make_address(t.host, ip_ec);
  bool ok = ip_ec ? SSL_set_tlsext_host_name(ssl, t.host.c_str()) == 1 &&
                        SSL_set1_host(ssl, t.host.c_str()) == 1
                  : X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), t.host.c_str()) == 1;
  if (!ok) return failure(errc::tls_failed, t, "cannot set the expected server name for");
  return {};
}

/// The error of a failed TLS handshake: the certificate's verification result when it failed
/// verification (an `x509_category` code), else the handshake's own code.
inline error handshake_failure(SSL* ssl, const url_target& t, const boost::system::error_code& ec) {
  long v = SSL_get_verify_result(ssl);
  if (v != X509_V_OK && classify(ec) != errc::timeout)
    return failure(t, "TLS handshake failed with",
                   std::error_code(static_cast<int>(v), x509_category()));
  return failure(t, "TLS handshake failed with", ec);
}

/// A header name is an RFC 9110 token; a value has no CR, LF or NUL (no header injection).
inline bool valid_field(std::string_view name, std::string_view value) {
  if (name.empty()) return false;
  for (char c : name)
    if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7f ||
        std::string_view("\"(),/:;<=>?@[\\]{}").find(c) != std::string_view::npos)
      return false;
  return value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

/// The request head and body, as sent. Framing (Host, Content-Length) is the transport's.
inline result<std::string> serialize(const http_request& req, const url_target& t,
                                     std::string_view user_agent) {
  std::string out;
  out.reserve(256 + t.target.size() + req.body.size());
  out += to_string(req.method);
  out += ' ';
  out += t.target;
  out += " HTTP/1.1\r\nHost: ";
  out += t.host_header;
  out += "\r\n";
  bool has_user_agent = false;
  for (const auto& [k, v] : req.headers) {
    if (!valid_field(k, v))
      return failure(errc::invalid_argument, t, "invalid header field in a request to");
    if (iequals(k, "Host") || iequals(k, "Content-Length") || iequals(k, "Transfer-Encoding"))
      continue;
    has_user_agent = has_user_agent || iequals(k, "User-Agent");
    out += k;
    out += ": ";
    out += v;
    out += "\r\n";
  }
  if (!has_user_agent) {
    out += "User-Agent: ";
    out += user_agent;
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

/// The request to send for a redirect to `location`, or why it is refused.
inline result<http_request> follow_redirect(const http_request& req, const url_target& from,
                                            int status, std::string_view location) {
  std::string base_text = (from.tls ? "https://" : "http://") + from.host_header + from.path;
  auto base = boost::urls::parse_absolute_uri(base_text);
  auto ref = boost::urls::parse_uri_reference(location);
  if (!base || !ref) return failure(errc::redirect_refused, from, "invalid redirect Location from");
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
      if (iequals(name, "Accept") || iequals(name, "Content-Type") || iequals(name, "User-Agent") ||
          iequals(name, "Idempotency-Key"))
        kept.add(name, value);
    next.headers = std::move(kept);
  }
  if (status == 303 || ((status == 301 || status == 302) && req.method == http_method::post)) {
    next.method = http_method::get;
    next.body.clear();
    next.headers.erase("Content-Type");
  }
  return next;
}

/// The way of one request through redirects and retries, decided alike for both transports: the
/// request of the current hop, whether its redirects are followed, whether a failed attempt may
/// be made again on a fresh connection, and the request a redirect leads to.
class request_route {
 public:
  request_route(const http_request& req, int max_redirects) noexcept
      : req_(&req), max_redirects_(max_redirects) {}

  /// The request of the current hop.
  const http_request& request() const noexcept { return *req_; }
  /// True while a redirect response is to be followed rather than returned.
  bool follow_redirects() const noexcept { return hops_ < max_redirects_; }

  /// True (once per hop) when the attempt that failed with `e` may be made again on a fresh
  /// connection: a kept-alive connection the server closed meanwhile fails before any response
  /// byte, and an idempotent request sent again then has the effect of one.
  bool retry_on_fresh_connection(const error& e, bool reused, bool received_any) noexcept {
    if (retried_ || !reused || received_any || !req_->idempotent() ||
        e.condition() != errc::connection_failed)
      return false;
    retried_ = true;
    return true;
  }

  /// Moves to the request the redirect (`status`, `location`) from `from` leads to, or says why
  /// it is refused.
  result<void> redirect(const url_target& from, int status, std::string_view location) {
    auto next = follow_redirect(*req_, from, status, location);
    if (!next) return next.error();
    redirected_ = std::move(*next);
    req_ = &redirected_;
    ++hops_;
    retried_ = false;
    return {};
  }

 private:
  const http_request* req_;
  http_request redirected_;
  int max_redirects_;
  int hops_ = 0;
  bool retried_ = false;
};

/// The TLS client context of both transports: TLS 1.2 or later, peer verification, the system CA
/// store and/or `ca_file`.
inline result<asio::ssl::context> make_tls_client_context(bool use_system_ca,
                                                          const std::string& ca_file) {
  asio::ssl::context ctx(asio::ssl::context::tls_client);
  ctx.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                  asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                  asio::ssl::context::no_tlsv1_1);
  SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_2_VERSION);
  ctx.set_verify_mode(asio::ssl::verify_peer);
  boost::system::error_code ec;
  if (use_system_ca) ctx.set_default_verify_paths(ec);
  if (!ca_file.empty()) {
    ctx.load_verify_file(ca_file, ec);
    if (ec) return make_error(errc::tls_failed, "cannot load CA file " + ca_file);
  }
  return ctx;
}

/// True for the statuses a transport follows (with a `Location`).
constexpr bool is_redirect(int status) noexcept {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

}  // namespace uniapi::detail

#endif
