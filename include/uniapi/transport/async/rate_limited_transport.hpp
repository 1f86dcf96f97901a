// uniapi — an asynchronous transport decorator that paces requests per key (an integrated account
// by default) and overall, and obeys the server's rate-limit answers per key.
#ifndef UNIAPI_TRANSPORT_ASYNC_RATE_LIMITED_TRANSPORT_HPP
#define UNIAPI_TRANSPORT_ASYNC_RATE_LIMITED_TRANSPORT_HPP

#include <uniapi/transport/async/async_transport.hpp>
#include <uniapi/transport/async/spawn_completing.hpp>
#include <uniapi/wire/retry_after.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace uniapi {

/// Settings of `rate_limited_transport`. Zero means no cap.
struct rate_limit_options {
  double requests_per_second = 0;          ///< request starts per second, per key
  std::size_t max_concurrent_per_key = 0;  ///< requests in flight at once, per key
  std::size_t max_concurrent = 0;          ///< requests in flight at once, all keys together
  /// Obey the server per key: after a 429, no request of that key before its `Retry-After`;
  /// after `ratelimit-remaining: 0`, none before `ratelimit-reset` seconds have passed.
  bool honour_server_limits = true;
  std::chrono::seconds max_server_wait{300};  ///< longest such wait obeyed
  /// The key of a request; empty: its `integrated_account_id` query parameter (Truto), else its
  /// origin (scheme, host and port).
  std::function<std::string(const http_request&)> key;
};

/// Paces the requests of an asynchronous transport: per key (an integrated account unless
/// `rate_limit_options::key` says otherwise) a request rate and a concurrency cap, a concurrency
/// cap over all keys, and the server's own limits — a 429's `Retry-After` and Truto's
/// `ratelimit-remaining: 0` / `ratelimit-reset` — applied before that key's next request. A
/// throttled key waits on its own: requests of other keys go on. Waits are Asio timers; a
/// cancelled wait ends with `errc::cancelled`. Put it inside `async_retrying_transport`, so that
/// every retry is paced too.
///
/// @par Thread Safety
/// Operations may start from any thread; the limiter's state lives on a strand. Copies share it.
template <async_transport Inner>
class rate_limited_transport {
 public:
  rate_limited_transport(Inner inner, rate_limit_options options = {})
      : inner_(std::make_shared<Inner>(std::move(inner))),
        state_(std::make_shared<state>(inner_->get_executor(), std::move(options))) {}

  Inner& inner() noexcept { return *inner_; }
  auto get_executor() { return inner_->get_executor(); }

  /// Requests of `key` in flight now (read it on the executor's thread).
  std::size_t in_flight(const std::string& key) const {
    auto it = state_->keys.find(key);
    return it == state_->keys.end() ? 0 : it->second.in_flight;
  }

  /// Sends `req` (see `async_transport`) once its key may send.
  void async_send(const http_request& req, body_sink& sink, send_handler done) {
    spawn_completing(state_->strand, run(inner_, state_, req, sink), std::move(done));
  }

  /// `integrated_account_id` from the query of `url`, empty when absent.
  static std::string account_of(std::string_view url) {
    auto q = url.find('?');
    if (q == std::string_view::npos) return {};
    std::string_view query = url.substr(q + 1);
    query = query.substr(0, query.find('#'));
    constexpr std::string_view name = "integrated_account_id=";
    while (!query.empty()) {
      auto amp = query.find('&');
      std::string_view pair = query.substr(0, amp);
      if (pair.substr(0, name.size()) == name) return std::string(pair.substr(name.size()));
      if (amp == std::string_view::npos) break;
      query.remove_prefix(amp + 1);
    }
    return {};
  }

 private:
  using clock = std::chrono::steady_clock;

  struct key_state {
    clock::time_point next_start{};  // no request of the key starts before this
    std::size_t in_flight = 0;
  };

  struct state {
    state(boost::asio::any_io_executor ex, rate_limit_options o)
        : strand(boost::asio::make_strand(ex)), options(std::move(o)) {}
    boost::asio::strand<boost::asio::any_io_executor> strand;
    rate_limit_options options;
    std::map<std::string, key_state, std::less<>> keys;
    std::size_t in_flight = 0;
    // Requests waiting for a slot to free: woken (timer cancelled) when one does.
    std::vector<std::shared_ptr<boost::asio::steady_timer>> sleepers;

    void wake_all() {
      for (auto& t : sleepers)
        t->cancel();
      sleepers.clear();
    }
  };

  static std::string key_of(const state& s, const http_request& req) {
    if (s.options.key) return s.options.key(req);
    if (auto account = account_of(req.url); !account.empty()) return account;
    auto scheme = req.url.find("://");
    auto end = req.url.find_first_of("/?#", scheme == std::string::npos ? 0 : scheme + 3);
    return req.url.substr(0, end);
  }

  static std::optional<std::int64_t> header_int(const http_headers& h, std::string_view name) {
    auto v = h.find(name);
    if (!v) return std::nullopt;
    std::int64_t n = 0;
    auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
    if (ec != std::errc{} || p == v->data()) return std::nullopt;
    return n;
  }

  // Learns the server's limits for `key` from a response head.
  static void learn(state& s, key_state& k, const http_response& head) {
    if (!s.options.honour_server_limits) return;
    auto now = clock::now();
    auto defer = [&](std::chrono::milliseconds d) {
      d = std::min<std::chrono::milliseconds>(d, s.options.max_server_wait);
      k.next_start = std::max(k.next_start, now + d);
    };
    if (head.status == 429) {
      if (auto ra = retry_after(head.headers, std::chrono::system_clock::now()))
        defer(std::chrono::duration_cast<std::chrono::milliseconds>(*ra));
    }
    if (header_int(head.headers, "ratelimit-remaining") == 0)
      if (auto reset = header_int(head.headers, "ratelimit-reset"); reset && *reset >= 0)
        defer(std::chrono::seconds(*reset));
  }

  // Keeps the head of each attempt, for the limiter to learn from once the operation is back on
  // its strand (the inner transport calls the sink from its own).
  struct head_keeping_sink final : body_sink {
    body_sink& out;
    std::optional<http_response> head;
    explicit head_keeping_sink(body_sink& o) : out(o) {}
    result<void> on_head(const http_response& h) override {
      head = http_response{h.status, h.headers, {}};
      return out.on_head(h);
    }
    result<void> on_data(std::string_view chunk) override { return out.on_data(chunk); }
    bool restartable() const noexcept override { return out.restartable(); }
  };

  static boost::asio::awaitable<result<http_response>> run(std::shared_ptr<Inner> inner,
                                                           std::shared_ptr<state> sp,
                                                           const http_request& req,
                                                           body_sink& sink) {
    co_await boost::asio::this_coro::throw_if_cancelled(false);
    state& s = *sp;
    const std::string key = key_of(s, req);
    // Wait until this key may start a request.
    for (;;) {
      key_state& k = s.keys[key];
      auto now = clock::now();
      bool key_free =
          !s.options.max_concurrent_per_key || k.in_flight < s.options.max_concurrent_per_key;
      bool all_free = !s.options.max_concurrent || s.in_flight < s.options.max_concurrent;
      if (key_free && all_free && now >= k.next_start) {
        ++k.in_flight;
        ++s.in_flight;
        if (s.options.requests_per_second > 0)
          k.next_start = std::max(k.next_start, now) +
                         std::chrono::duration_cast<clock::duration>(
                             std::chrono::duration<double>(1.0 / s.options.requests_per_second));
        break;
      }
      auto timer = std::make_shared<boost::asio::steady_timer>(s.strand);
      if (key_free && all_free) {
        timer->expires_at(k.next_start);
      } else {
        timer->expires_at(clock::time_point::max());
        s.sleepers.push_back(timer);
      }
      // Woken (the timer cancelled: a slot freed), expired, or cancelled by the caller.
      (void)co_await timer->async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
      auto state_now = co_await boost::asio::this_coro::cancellation_state;
      if (state_now.cancelled() != boost::asio::cancellation_type::none) {
        std::erase(s.sleepers, timer);
        co_return make_error(errc::cancelled, "cancelled while waiting for the rate limit");
      }
    }
    head_keeping_sink through(sink);
    auto r = co_await uniapi::async_send(*inner, req, through, boost::asio::use_awaitable);
    // Back on the strand (the coroutine resumes on its executor).
    key_state& k = s.keys[key];
    if (through.head) learn(s, k, *through.head);
    --k.in_flight;
    --s.in_flight;
    s.wake_all();
    co_return r;
  }

  std::shared_ptr<Inner> inner_;
  std::shared_ptr<state> state_;
};

}  // namespace uniapi

#endif
