// uniapi — loopback_server implementation: Beast sessions over TCP or TLS. Included by
// testing/loopback_server.hpp (header-only) or compiled once through <uniapi/testing/src.hpp>.
#ifndef UNIAPI_TESTING_IMPL_LOOPBACK_SERVER_IPP
#define UNIAPI_TESTING_IMPL_LOOPBACK_SERVER_IPP

#include <uniapi/testing/loopback_server.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <set>
#include <thread>

namespace uniapi::testing::detail {

class loopback_server_impl {
  using tcp = boost::asio::ip::tcp;

 public:
  explicit loopback_server_impl(loopback_server& s)
      : s_(s), ssl_(boost::asio::ssl::context::tls_server) {
    if (s_.options_.tls) {
      ssl_.use_certificate_chain(boost::asio::buffer(s_.options_.certificate));
      ssl_.use_private_key(boost::asio::buffer(s_.options_.private_key),
                           boost::asio::ssl::context::pem);
    }
    tcp::endpoint ep(boost::asio::ip::make_address("127.0.0.1"), 0);
    acceptor_.open(ep.protocol());
    acceptor_.set_option(tcp::acceptor::reuse_address(true));
    acceptor_.bind(ep);
    acceptor_.listen();
    s_.port_ = acceptor_.local_endpoint().port();
    boost::asio::co_spawn(ioc_, accept_loop(), boost::asio::detached);
    thread_ = std::thread([this] { ioc_.run(); });
  }

  // Closes the listening socket (from now on a connection is refused, not left unanswered) and
  // every open connection (a client's next request on a kept-alive one fails at once), then
  // stops the thread.
  void stop() {
    if (thread_.joinable()) {
      boost::asio::post(ioc_, [this] {
        close_all();
        ioc_.stop();
      });
      thread_.join();
    }
    close_all();
  }

 private:
  static constexpr auto use_tuple = boost::asio::as_tuple(boost::asio::use_awaitable);

  boost::asio::awaitable<void> accept_loop() {
    for (;;) {
      auto [ec, socket] = co_await acceptor_.async_accept(use_tuple);
      if (ec) co_return;
      ++s_.connections_;
      socket.set_option(tcp::no_delay(true));
      if (s_.options_.tls)
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

  void close_all() {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    for (tcp::socket* socket : open_)
      socket->close(ignored);
    open_.clear();
  }

  // Keeps `socket` in `open_` while a session uses it (the server's thread only).
  struct open_socket {
    open_socket(std::set<tcp::socket*>& open, tcp::socket& s) : open_(open), socket_(&s) {
      open_.insert(socket_);
    }
    ~open_socket() { open_.erase(socket_); }
    open_socket(const open_socket&) = delete;
    open_socket& operator=(const open_socket&) = delete;
    std::set<tcp::socket*>& open_;
    tcp::socket* socket_;
  };

  template <class Stream>
  boost::asio::awaitable<void> session(Stream stream) {
    namespace http = boost::beast::http;
    open_socket registered(open_, boost::beast::get_lowest_layer(stream).socket());
    boost::beast::flat_buffer buffer;
    for (;;) {
      http::request_parser<http::string_body> parser;
      parser.body_limit(512u << 20);
      auto [ec, n] = co_await http::async_read(stream, buffer, parser, use_tuple);
      if (ec) break;
      auto& msg = parser.get();
      ++s_.requests_;
      std::optional<fault> f = s_.next_fault();
      if (f == fault::drop_connection) break;
      loopback_request req;
      req.method = std::string(msg.method_string());
      req.target = std::string(msg.target());
      for (const auto& field : msg)
        req.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
      {
        std::lock_guard<std::mutex> lock(s_.mutex_);
        s_.last_.target = req.target;
        s_.last_.headers = req.headers;
      }
      req.body = std::move(msg.body());
      loopback_reply r = s_.handler_(req, f);
      if (s_.options_.layout != json_layout::compact && r.content_type == "application/json")
        r.body = layout_json(r.body, s_.options_.layout);
      bool keep = msg.keep_alive();
      if (r.delay.count() > 0) {
        boost::asio::steady_timer wait(co_await boost::asio::this_coro::executor);
        wait.expires_after(r.delay);
        co_await wait.async_wait(use_tuple);
      }
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
  boost::asio::awaitable<bool> write(Stream& stream, loopback_reply& r, bool keep,
                                     std::optional<fault> f) {
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
      s_.body_bytes_ += n;
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
  boost::asio::awaitable<bool> write_pieces(Stream& stream, Response& res, loopback_reply& r,
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
      s_.body_bytes_ += piece.size();
      if ((f == fault::truncate_body || f == fault::reset_body) && sent > 256 * 1024)
        co_return false;  // close mid-body
    }
    res.body().data = nullptr;
    res.body().size = 0;
    res.body().more = false;
    auto [ec, wn] = co_await http::async_write(stream, sr, use_tuple);
    co_return !ec;
  }

  loopback_server& s_;
  std::set<tcp::socket*> open_;  // the sockets of live sessions (outlives their frames)
  boost::asio::io_context ioc_{1};
  boost::asio::ssl::context ssl_;
  tcp::acceptor acceptor_{ioc_};
  std::thread thread_;
};

}  // namespace uniapi::testing::detail

namespace uniapi::testing {

UNIAPI_DECL loopback_server::loopback_server(loopback_server_options options, handler h)
    : options_(std::move(options)), handler_(std::move(h)) {
  impl_ = std::make_unique<detail::loopback_server_impl>(*this);
}

UNIAPI_DECL loopback_server::~loopback_server() {
  stop();
}

UNIAPI_DECL void loopback_server::stop() {
  impl_->stop();
}

}  // namespace uniapi::testing

#endif
