// uniapi — beast_transport implementation: included by transport/beast_transport.hpp
// (header-only) or compiled once through <uniapi/src.hpp> (UNIAPI_SEPARATE_COMPILATION).
#ifndef UNIAPI_TRANSPORT_BEAST_IMPL_BEAST_TRANSPORT_IPP
#define UNIAPI_TRANSPORT_BEAST_IMPL_BEAST_TRANSPORT_IPP

#include <uniapi/transport/beast/beast_transport.hpp>
#include <uniapi/transport/beast/detail/http_exchange.hpp>
#include <uniapi/transport/beast/impl/tls_error.ipp>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
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
    request_route route(original, options_.max_redirects);
    std::string buffered;
    for (;;) {
      const http_request& req = route.request();
      auto t = parse_target(req.url);
      if (!t) return t.error();
      result<std::variant<http_response, redirect>> r = make_error(errc::connection_failed, "");
      for (;;) {
        bool reused = conn_ && conn_->origin == t->origin;
        if (!reused) {
          auto c = connect(*t);
          if (!c) return c.error();
        }
        bool received_any = false;
        buffered.clear();
        r = exchange(req, *t, sink, sink ? nullptr : &buffered, route.follow_redirects(),
                     received_any);
        if (r || !route.retry_on_fresh_connection(r.error(), reused, received_any)) break;
        conn_.reset();
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
      if (auto next = route.redirect(*t, rd.status, rd.location); !next) return next.error();
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
  // `cancel` aborts it and the outcome is a timeout. `cancel` must also fail any operation the
  // aborted one starts afterwards (a TLS handshake whose write completion was already queued
  // goes on to read): closing the socket does, cancelling it would leave that read waiting.
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
    // Past the deadline the connection is never used again (every caller drops it).
    return wait(o, deadline_, [this] {
      boost::system::error_code ignored;
      conn_->socket().close(ignored);
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

  // The TLS client context, made on first use: TLS 1.2+, peer verification, the system CA store
  // and/or `ca_file`.
  result<asio::ssl::context*> tls_context() {
    if (tls_error_) return *tls_error_;
    if (ssl_) return &*ssl_;
    auto ctx = make_tls_client_context(options_.use_system_ca, options_.ca_file);
    if (!ctx) {
      tls_error_ = ctx.error();
      return *tls_error_;
    }
    ssl_.emplace(std::move(*ctx));
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
      return failure(t, "cannot resolve", rec);
    auto socket = std::make_unique<plain_stream>(ex);
    outcome co;
    asio::async_connect(*socket, endpoints, complete{&co});
    if (wait(co, connect_deadline, [&] {
          boost::system::error_code ignored;
          socket->close(ignored);
        }).ec)
      return failure(t, "cannot connect to", co.ec);
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
      if (auto id = expect_server_identity(s.native_handle(), t); !id) {
        conn_.reset();
        return id.error();
      }
      outcome ho;
      s.async_handshake(asio::ssl::stream_base::client, complete{&ho});
      if (auto hec = wait(ho).ec) {
        auto e = handshake_failure(s.native_handle(), t, hec);
        conn_.reset();
        return e;
      }
    }
    return {};
  }

  // One request/response on the open connection. Returns the final head (body streamed to
  // `sink` or into `buffered`) or a redirect to follow.
  result<std::variant<http_response, redirect>> exchange(const http_request& req,
                                                         const url_target& t, body_sink* sink,
                                                         std::string* buffered, bool follow,
                                                         bool& received_any) {
    auto bytes = serialize(req, t, options_.user_agent);
    if (!bytes) return bytes.error();
    blocking_stream stream(*this);
    boost::system::error_code wec;
    asio::write(stream, asio::buffer(*bytes), wec);
    if (wec) return failure(t, "cannot send request to", wec);

    bhttp::response_parser<forwarding_body> parser;
    std::uint64_t limit = buffered ? options_.max_body_size : options_.max_streamed_body_size;
    if (limit)
      parser.body_limit(limit);
    else
      parser.body_limit(boost::none);
    boost::system::error_code hec;
    bhttp::read_header(stream, conn_->buffer, parser, hec);
    if (hec) return failure(t, "no response from", hec);
    received_any = true;

    const auto& head = parser.get();
    http_response resp;
    resp.status = static_cast<int>(head.result_int());
    for (const auto& f : head)
      resp.headers.add(std::string(f.name_string()), std::string(f.value()));

    std::optional<redirect> redir;
    if (follow && is_redirect(resp.status)) {
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
        return failure(t, "reading the response from", rec);
      }
    }
    if (!parser.get().keep_alive()) conn_.reset();
    if (redir) return std::variant<http_response, redirect>(std::move(*redir));
    return std::variant<http_response, redirect>(std::move(resp));
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
