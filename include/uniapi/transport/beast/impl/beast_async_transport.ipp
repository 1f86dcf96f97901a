// uniapi — beast_async_transport implementation: included by transport/beast_async_transport.hpp
// (header-only) or compiled once through <uniapi/src.hpp> (UNIAPI_SEPARATE_COMPILATION).
#ifndef UNIAPI_TRANSPORT_BEAST_IMPL_BEAST_ASYNC_TRANSPORT_IPP
#define UNIAPI_TRANSPORT_BEAST_IMPL_BEAST_ASYNC_TRANSPORT_IPP

#include <uniapi/transport/beast/beast_async_transport.hpp>
#include <uniapi/transport/beast/detail/http_exchange.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>

#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <atomic>
#include <deque>
#include <exception>
#include <map>
#include <optional>
#include <variant>
#include <vector>

namespace uniapi::detail {

/// The pool and TLS context behind a `beast_async_transport`, confined to a strand. Each request
/// runs as a coroutine on that strand: take a connection for its origin (an idle one, a new one
/// under the cap, or wait for one), write, read the head and stream the body, give the
/// connection back (or close it).
class beast_async_transport_impl : public std::enable_shared_from_this<beast_async_transport_impl> {
 public:
  using strand_type = asio::strand<asio::any_io_executor>;
  using tcp = asio::ip::tcp;
  static constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

  beast_async_transport_impl(asio::any_io_executor ex, beast_async_transport_options o)
      : executor_(ex), strand_(asio::make_strand(ex)), options_(std::move(o)) {
    if (options_.max_connections_per_origin == 0) options_.max_connections_per_origin = 1;
  }

  void start(const http_request& req, body_sink& sink, send_handler done) {
    auto op = std::make_shared<op_state>();
    auto slot = asio::get_associated_cancellation_slot(done);
    if (slot.is_connected()) {
      slot.assign([self = shared_from_this(), op](asio::cancellation_type type) {
        if ((type & asio::cancellation_type::terminal) == asio::cancellation_type::none) return;
        asio::dispatch(self->strand_, [self, op] { self->cancel(*op); });
      });
    }
    asio::co_spawn(strand_, run(shared_from_this(), op, req, sink),
                   [slot, ex = executor_, done = std::move(done)](std::exception_ptr e,
                                                                  result<http_response> r) mutable {
                     auto s = slot;
                     if (s.is_connected()) s.clear();
                     if (e) std::rethrow_exception(e);
                     auto target = asio::get_associated_executor(done, ex);
                     asio::dispatch(target, [done = std::move(done), r = std::move(r)]() mutable {
                       std::move(done)(std::move(r));
                     });
                   });
  }

  std::size_t connections_opened() const noexcept { return opened_.load(); }
  std::size_t connections_open() const noexcept { return open_.load(); }

 private:
  using tls_stream = asio::ssl::stream<beast::tcp_stream>;

  struct connection {
    std::string origin;
    std::variant<std::unique_ptr<beast::tcp_stream>, std::unique_ptr<tls_stream>> stream;
    beast::flat_buffer buffer;
    std::chrono::steady_clock::time_point tcp_deadline;  // of the exchange in progress
    beast::tcp_stream& tcp() {
      if (auto* p = std::get_if<0>(&stream)) return **p;
      return std::get<1>(stream)->next_layer();
    }
  };
  using connection_ptr = std::unique_ptr<connection>;

  // A request waiting for a connection of its origin: woken by cancelling its timer.
  struct waiter {
    explicit waiter(const strand_type& s) : timer(s) {}
    asio::steady_timer timer;
    bool woken = false;
  };

  struct origin_pool {
    std::vector<connection_ptr> idle;
    std::size_t open = 0;
    std::deque<std::shared_ptr<waiter>> waiting;
  };

  // What a cancellation reaches: the connection in use or the wait for one.
  struct op_state {
    bool cancelled = false;
    connection* active = nullptr;
    std::shared_ptr<waiter> waiting;
  };

  struct redirect {
    std::string location;
    int status;
  };

  void cancel(op_state& op) {
    op.cancelled = true;
    if (op.active) {
      boost::system::error_code ignored;
      op.active->tcp().socket().close(ignored);
    }
    if (op.waiting) op.waiting->timer.cancel();
  }

  static error cancelled_error(const url_target& t) {
    return failure(errc::cancelled, t, "cancelled request to");
  }

  result<asio::ssl::context*> tls_context() {
    if (tls_error_) return *tls_error_;
    if (ssl_) return &*ssl_;
    auto ctx = make_tls_client_context(options_.http.use_system_ca, options_.http.ca_file);
    if (!ctx) {
      tls_error_ = ctx.error();
      return *tls_error_;
    }
    ssl_.emplace(std::move(*ctx));
    return &*ssl_;
  }

  // An idle connection of `t`'s origin, or null with a slot reserved for a new one; waits while
  // the origin is at its cap.
  asio::awaitable<result<connection_ptr>> acquire(op_state& op, const url_target& t) {
    auto& pool = pools_[t.origin];
    for (;;) {
      if (op.cancelled) co_return cancelled_error(t);
      if (!pool.idle.empty()) {
        connection_ptr c = std::move(pool.idle.back());
        pool.idle.pop_back();
        co_return c;
      }
      if (pool.open < options_.max_connections_per_origin) {
        ++pool.open;
        ++open_;
        co_return connection_ptr();
      }
      auto w = std::make_shared<waiter>(strand_);
      w->timer.expires_at(asio::steady_timer::time_point::max());
      pool.waiting.push_back(w);
      op.waiting = w;
      co_await w->timer.async_wait(use_tuple);
      op.waiting.reset();
      if (!w->woken) {
        std::erase(pool.waiting, w);
        co_return cancelled_error(t);
      }
    }
  }

  // Gives a connection slot back: the connection to the idle list when it can serve again,
  // otherwise closed; wakes the first waiter either way.
  void release(const std::string& origin, connection_ptr c) {
    auto& pool = pools_[origin];
    if (c) {
      pool.idle.push_back(std::move(c));
    } else {
      --pool.open;
      --open_;
    }
    if (!pool.waiting.empty()) {
      auto w = std::move(pool.waiting.front());
      pool.waiting.pop_front();
      w->woken = true;
      w->timer.cancel();
    }
  }

  asio::awaitable<result<connection_ptr>> connect(op_state& op, const url_target& t,
                                                  std::chrono::steady_clock::time_point deadline) {
    auto ex = co_await asio::this_coro::executor;
    auto connect_deadline =
        std::min(deadline, std::chrono::steady_clock::now() + options_.http.connect_timeout);
    tcp::resolver resolver(ex);
    auto [rec, endpoints] = co_await resolver.async_resolve(t.host, t.port, use_tuple);
    if (op.cancelled) co_return cancelled_error(t);
    if (rec) co_return failure(t, "cannot resolve", rec);
    auto c = std::make_unique<connection>();
    c->origin = t.origin;
    auto stream = std::make_unique<beast::tcp_stream>(ex);
    stream->expires_at(connect_deadline);
    op.active = c.get();
    c->stream = std::move(stream);
    auto [cec, ep] = co_await std::get<0>(c->stream)->async_connect(endpoints, use_tuple);
    if (op.cancelled) co_return cancelled_error(t);
    if (cec) co_return failure(t, "cannot connect to", cec);
    ++opened_;
    c->tcp().socket().set_option(tcp::no_delay(true));
    if (!t.tls) co_return c;
    auto ctx = tls_context();
    if (!ctx) co_return ctx.error();
    auto plain = std::move(std::get<0>(c->stream));
    c->stream = std::make_unique<tls_stream>(std::move(*plain), **ctx);
    auto& s = *std::get<1>(c->stream);
    if (auto id = expect_server_identity(s.native_handle(), t); !id) co_return id.error();
    s.next_layer().expires_at(deadline);
    auto [hec] = co_await s.async_handshake(asio::ssl::stream_base::client, use_tuple);
    if (op.cancelled) co_return cancelled_error(t);
    if (hec) co_return handshake_failure(s.native_handle(), t, hec);
    co_return c;
  }

  template <class Stream>
  asio::awaitable<result<std::variant<http_response, redirect>>> exchange(
      Stream& stream, connection& c, op_state& op, const http_request& req, const url_target& t,
      body_sink& sink, bool follow, bool& received_any) {
    auto bytes = serialize(req, t, options_.http.user_agent);
    if (!bytes) co_return bytes.error();
    auto [wec, wn] = co_await asio::async_write(stream, asio::buffer(*bytes), use_tuple);
    if (op.cancelled) co_return cancelled_error(t);
    if (wec) co_return failure(t, "cannot send request to", wec);

    bhttp::response_parser<forwarding_body> parser;
    if (options_.http.max_streamed_body_size)
      parser.body_limit(options_.http.max_streamed_body_size);
    else
      parser.body_limit(boost::none);
    // Wait for the first response byte before taking a read buffer: while a server thinks, a
    // request holds no buffer, so thousands of slow requests cost little memory.
    if (c.buffer.size() == 0) {
      auto& socket = c.tcp().socket();
      asio::steady_timer deadline(socket.get_executor(), c.tcp_deadline);
      bool expired = false;
      deadline.async_wait([&socket, &expired](boost::system::error_code ec) {
        if (ec) return;  // (not called with success once cancelled below)
        expired = true;
        socket.cancel();
      });
      auto [rwec] = co_await socket.async_wait(tcp::socket::wait_read, use_tuple);
      deadline.cancel();
      if (op.cancelled) co_return cancelled_error(t);
      if (rwec && expired) rwec = asio::error::timed_out;  // the deadline cancelled the wait
      if (rwec) co_return failure(t, "no response from", rwec);
    }
    if (c.buffer.capacity() < read_buffer_size) c.buffer.reserve(read_buffer_size);
    auto [hec, hn] = co_await bhttp::async_read_header(stream, c.buffer, parser, use_tuple);
    if (op.cancelled) co_return cancelled_error(t);
    if (hec) co_return failure(t, "no response from", hec);
    received_any = true;

    const auto& head = parser.get();
    http_response resp;
    resp.status = static_cast<int>(head.result_int());
    for (const auto& f : head)
      resp.headers.add(std::string(f.name_string()), std::string(f.value()));
    std::optional<redirect> redir;
    if (follow && is_redirect(resp.status))
      if (auto loc = resp.headers.find("Location"))
        redir = redirect{std::string(*loc), resp.status};
    if (!redir)
      if (auto h = sink.on_head(resp); !h) co_return h.error();

    struct target_state {
      body_sink* sink;
      std::optional<error> sink_error;
    } state{redir ? nullptr : &sink, std::nullopt};
    auto& body = parser.get().body();
    body.context = &state;
    body.deliver = [](void* ctx, std::string_view piece) {
      auto& st = *static_cast<target_state*>(ctx);
      if (st.sink)
        if (auto d = st.sink->on_data(piece); !d) {
          st.sink_error = d.error();
          return false;
        }
      return true;
    };
    while (!parser.is_done()) {
      auto [rec, rn] = co_await bhttp::async_read_some(stream, c.buffer, parser, use_tuple);
      if (state.sink_error) co_return std::move(*state.sink_error);
      if (op.cancelled) co_return cancelled_error(t);
      if (rec) co_return failure(t, "reading the response from", rec);
    }
    if (!parser.get().keep_alive()) c.origin.clear();  // not reusable
    if (redir) co_return std::variant<http_response, redirect>(std::move(*redir));
    co_return std::variant<http_response, redirect>(std::move(resp));
  }

  static asio::awaitable<result<http_response>> run(
      std::shared_ptr<beast_async_transport_impl> self, std::shared_ptr<op_state> op,
      const http_request& original, body_sink& sink) {
    co_return co_await self->send(*op, original, sink);
  }

  asio::awaitable<result<http_response>> send(op_state& op, const http_request& original,
                                              body_sink& sink) {
    request_route route(original, options_.http.max_redirects);
    for (;;) {
      const http_request& req = route.request();
      auto t = parse_target(req.url);
      if (!t) co_return t.error();
      result<std::variant<http_response, redirect>> r = make_error(errc::connection_failed, "");
      for (;;) {
        auto deadline =
            std::chrono::steady_clock::now() + req.timeout.value_or(options_.http.request_timeout);
        auto got = co_await acquire(op, *t);
        if (!got) co_return got.error();
        connection_ptr c = std::move(*got);
        bool reused = c != nullptr;
        if (!c) {
          auto made = co_await connect(op, *t, deadline);
          op.active = nullptr;
          if (!made) {
            release(t->origin, nullptr);
            co_return made.error();
          }
          c = std::move(*made);
        }
        op.active = c.get();
        bool received_any = false;
        c->tcp_deadline = deadline;
        bool follow = route.follow_redirects();
        if (auto* p = std::get_if<0>(&c->stream)) {
          (*p)->expires_at(deadline);
          r = co_await exchange(**p, *c, op, req, *t, sink, follow, received_any);
        } else {
          auto& s = *std::get<1>(c->stream);
          s.next_layer().expires_at(deadline);
          r = co_await exchange(s, *c, op, req, *t, sink, follow, received_any);
        }
        op.active = nullptr;
        bool reusable = r && !c->origin.empty();
        if (reusable) {
          c->tcp().expires_never();
          if (c->buffer.size() == 0) c->buffer.shrink_to_fit();  // idle: no buffer held
        }
        release(t->origin, reusable ? std::move(c) : nullptr);
        if (r || !route.retry_on_fresh_connection(r.error(), reused, received_any)) break;
      }
      if (!r) co_return r.error();
      if (auto* resp = std::get_if<0>(&*r)) co_return std::move(*resp);
      auto& rd = std::get<1>(*r);
      if (auto next = route.redirect(*t, rd.status, rd.location); !next) co_return next.error();
    }
  }

  static constexpr std::size_t read_buffer_size = 64 * 1024;

  asio::any_io_executor executor_;
  strand_type strand_;
  beast_async_transport_options options_;
  std::map<std::string, origin_pool, std::less<>> pools_;
  std::optional<asio::ssl::context> ssl_;
  std::optional<error> tls_error_;
  std::atomic<std::size_t> opened_{0};
  std::atomic<std::size_t> open_{0};
};

}  // namespace uniapi::detail

namespace uniapi {

UNIAPI_DECL beast_async_transport::beast_async_transport(executor_type ex,
                                                         beast_async_transport_options options)
    : executor_(ex),
      impl_(std::make_shared<detail::beast_async_transport_impl>(ex, std::move(options))) {}

UNIAPI_DECL void beast_async_transport::async_send(const http_request& req, body_sink& sink,
                                                   send_handler done) {
  impl_->start(req, sink, std::move(done));
}

UNIAPI_DECL std::size_t beast_async_transport::connections_opened() const noexcept {
  return impl_->connections_opened();
}
UNIAPI_DECL std::size_t beast_async_transport::connections_open() const noexcept {
  return impl_->connections_open();
}

}  // namespace uniapi

#endif
