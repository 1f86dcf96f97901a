#include <uniapi/testing/fake_transport.hpp>
#include <uniapi/transport/retrying_transport.hpp>

#include "support.hpp"

#include <deque>

using namespace std::chrono_literals;
using uniapi::http_request;
using uniapi::http_response;
using uniapi::testing::fake_transport;

namespace {
struct script {
  std::deque<uniapi::result<http_response>> replies;
  fake_transport transport() {
    return fake_transport([this](const http_request&) -> uniapi::result<http_response> {
      REQUIRE_FALSE(replies.empty());
      auto r = std::move(replies.front());
      replies.pop_front();
      return r;
    });
  }
};

http_response status(int s, std::string body = "{}") {
  return fake_transport::json(s, std::move(body));
}

http_response with_header(http_response r, std::string name, std::string value) {
  r.headers.set(std::move(name), std::move(value));
  return r;
}

struct recorder {
  std::vector<std::chrono::milliseconds> sleeps;
  uniapi::retry_policy policy() {
    uniapi::retry_policy p;
    p.sleep = [this](std::chrono::milliseconds d) { sleeps.push_back(d); };
    p.random = [] { return 0.5; };
    p.now = [] { return std::chrono::sys_days{std::chrono::year{2025} / 1 / 1} + 12h; };
    return p;
  }
};

http_request get() {
  http_request r;
  r.url = "https://x.test/a";
  return r;
}
}  // namespace

TEST_CASE("retries 5xx with exponential backoff and full jitter, then gives up") {
  script s;
  for (int i = 0; i < 4; ++i)
    s.replies.push_back(status(503));
  recorder rec;
  uniapi::retrying_transport t(s.transport(), rec.policy());
  auto r = t.send(get());
  REQUIRE(r);
  CHECK(r->status == 503);
  CHECK(rec.sleeps == std::vector<std::chrono::milliseconds>{125ms, 250ms, 500ms});
  CHECK(s.replies.empty());
}

TEST_CASE("honours Retry-After in seconds and as an HTTP date") {
  script s;
  s.replies.push_back(with_header(status(429), "Retry-After", "3"));
  s.replies.push_back(with_header(status(503), "Retry-After", "Wed, 01 Jan 2025 12:00:10 GMT"));
  s.replies.push_back(with_header(status(429), "ratelimit-reset", "2"));
  s.replies.push_back(status(200, R"({"ok":true})"));
  recorder rec;
  uniapi::retrying_transport t(s.transport(), rec.policy());
  auto r = t.send(get());
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(rec.sleeps == std::vector<std::chrono::milliseconds>{3000ms, 10000ms, 2000ms});
}

TEST_CASE("a Retry-After beyond the limit returns the error instead of waiting") {
  script s;
  s.replies.push_back(with_header(status(429), "Retry-After", "3600"));
  recorder rec;
  uniapi::retrying_transport t(s.transport(), rec.policy());
  auto r = t.send(get());
  REQUIRE(r);
  CHECK(r->status == 429);
  CHECK(rec.sleeps.empty());
}

TEST_CASE("only idempotent requests are retried by default") {
  recorder rec;
  {
    script s;
    s.replies.push_back(status(500));
    uniapi::retrying_transport t(s.transport(), rec.policy());
    http_request post = get();
    post.method = uniapi::http_method::post;
    auto r = t.send(post);
    CHECK(r->status == 500);
    CHECK(rec.sleeps.empty());
  }
  {
    script s;
    s.replies.push_back(status(500));
    s.replies.push_back(status(201));
    uniapi::retrying_transport t(s.transport(), rec.policy());
    http_request post = get();
    post.method = uniapi::http_method::post;
    post.headers.set("Idempotency-Key", "k");
    CHECK(t.send(post)->status == 201);
    CHECK(rec.sleeps.size() == 1);
  }
}

TEST_CASE("transient transport errors are retried, others are not") {
  recorder rec;
  script s;
  s.replies.push_back(uniapi::make_error(uniapi::errc::connection_failed, "reset"));
  s.replies.push_back(uniapi::make_error(uniapi::errc::timeout, "slow"));
  s.replies.push_back(uniapi::make_error(uniapi::errc::tls_failed, "bad cert"));
  std::vector<int> attempts;
  auto policy = rec.policy();
  policy.on_retry = [&](const uniapi::retry_event& e) { attempts.push_back(e.attempt); };
  uniapi::retrying_transport t(s.transport(), policy);
  auto r = t.send(get());
  REQUIRE_FALSE(r);
  CHECK(r.error().condition() == uniapi::errc::tls_failed);
  CHECK(attempts == std::vector<int>{1, 2});
  for (auto status : {400, 401, 403, 404, 409, 422})
    CHECK_FALSE(uniapi::retry_policy::retryable_status(status));
}

TEST_CASE("streaming: discarded attempts never reach the sink") {
  script s;
  s.replies.push_back(status(502, "bad gateway body"));
  s.replies.push_back(status(200, "the real body"));
  recorder rec;
  uniapi::retrying_transport t(s.transport(), rec.policy());
  struct collect final : uniapi::body_sink {
    std::vector<int> heads;
    std::string data;
    uniapi::result<void> on_head(const http_response& h) override {
      heads.push_back(h.status);
      return {};
    }
    uniapi::result<void> on_data(std::string_view d) override {
      data += d;
      return {};
    }
  } sink;
  auto r = t.send(get(), sink);
  REQUIRE(r);
  CHECK(sink.heads == std::vector<int>{200});
  CHECK(sink.data == "the real body");
  static_assert(uniapi::streaming_transport<uniapi::retrying_transport<fake_transport>>);
}

TEST_CASE("streaming: a sink error is returned at once, not retried") {
  script s;
  s.replies.push_back(status(200, "x"));
  recorder rec;
  uniapi::retrying_transport t(s.transport(), rec.policy());
  struct refuse final : uniapi::body_sink {
    uniapi::result<void> on_head(const http_response&) override { return {}; }
    uniapi::result<void> on_data(std::string_view) override {
      return uniapi::make_error(uniapi::errc::decode_failed, "no");
    }
  } sink;
  auto r = t.send(get(), sink);
  REQUIRE_FALSE(r);
  CHECK(r.error().condition() == uniapi::errc::decode_failed);
  CHECK(rec.sleeps.empty());
}

namespace {
// A streaming transport whose first attempt delivers half the body, then fails as a connection
// reset does; later attempts deliver the whole body.
struct cut_once_transport {
  int attempts = 0;
  uniapi::result<http_response> send(const http_request&) { return status(200, "abcdef"); }
  uniapi::result<http_response> send(const http_request&, uniapi::body_sink& sink) {
    ++attempts;
    http_response head{200, {}, {}};
    if (auto h = sink.on_head(head); !h) return h.error();
    if (auto d = sink.on_data(attempts == 1 ? "abc" : "abcdef"); !d) return d.error();
    if (attempts == 1)
      return uniapi::make_error(uniapi::errc::connection_failed, "Connection reset by peer");
    return head;
  }
};

struct restarting_sink final : uniapi::body_sink {
  bool can_restart;
  int heads = 0;
  std::string data;
  explicit restarting_sink(bool r) : can_restart(r) {}
  uniapi::result<void> on_head(const http_response&) override {
    ++heads;
    data.clear();  // starts over
    return {};
  }
  uniapi::result<void> on_data(std::string_view d) override {
    data += d;
    return {};
  }
  bool restartable() const noexcept override { return can_restart; }
};
}  // namespace

TEST_CASE("streaming: a failure mid-body is retried only for a sink that can start over") {
  recorder rec;
  SECTION("restartable: the next attempt's head and body go to the sink") {
    uniapi::retrying_transport t(cut_once_transport{}, rec.policy());
    restarting_sink sink(true);
    auto r = t.send(get(), sink);
    REQUIRE(r);
    CHECK(sink.heads == 2);
    CHECK(sink.data == "abcdef");
    CHECK(t.inner().attempts == 2);
    CHECK(rec.sleeps.size() == 1);
  }
  SECTION("not restartable: the error is returned, nothing is delivered twice") {
    uniapi::retrying_transport t(cut_once_transport{}, rec.policy());
    restarting_sink sink(false);
    auto r = t.send(get(), sink);
    REQUIRE_FALSE(r);
    CHECK(r.error().condition() == uniapi::errc::connection_failed);
    CHECK(sink.heads == 1);
    CHECK(t.inner().attempts == 1);
  }
  SECTION("a POST without an Idempotency-Key is not retried even so") {
    uniapi::retrying_transport t(cut_once_transport{}, rec.policy());
    restarting_sink sink(true);
    auto post = get();
    post.method = uniapi::http_method::post;
    CHECK_FALSE(t.send(post, sink));
    CHECK(t.inner().attempts == 1);
    post.headers.set("Idempotency-Key", "k");
    uniapi::retrying_transport keyed(cut_once_transport{}, rec.policy());
    CHECK(keyed.send(post, sink));
    CHECK(keyed.inner().attempts == 2);
    CHECK(sink.data == "abcdef");
  }
}

TEST_CASE("Retry-After parsing") {
  uniapi::http_headers h;
  auto now = std::chrono::sys_days{std::chrono::year{2025} / 1 / 1} + 12h;
  CHECK_FALSE(uniapi::retry_after(h, now));
  h.set("Retry-After", "Wed, 01 Jan 2025 11:00:00 GMT");
  CHECK(uniapi::retry_after(h, now) == 0s);
  h.set("Retry-After", "soon");
  CHECK_FALSE(uniapi::retry_after(h, now));
  h.set("Retry-After", "-5");
  CHECK_FALSE(uniapi::retry_after(h, now));
  h.set("Retry-After", " 12 ");
  CHECK(uniapi::retry_after(h, now) == 12s);
}
