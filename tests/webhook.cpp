// Webhook verification: SHA-256 and HMAC-SHA256 against published vectors, Truto's signature
// header in both encodings, and the replay window. Expected digests are from FIPS 180-2, RFC 4231
// and Python's hmac module (independent of this code).
#include <uniapi/core/detail/sha256.hpp>
#include <uniapi/truto/webhook.hpp>

#include "support.hpp"

#include <algorithm>
#include <string>

using uniapi::truto::verify_webhook;
using uniapi::truto::verify_webhook_signature;

namespace {
std::string hex(const uniapi::detail::sha256::digest& d) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  for (unsigned char c : d) {
    s += digits[c >> 4];
    s += digits[c & 15];
  }
  return s;
}

const std::string secret = "b2c7a6f0-3c1e-4a8e-9d51-7f0e2a1c5b44";
const std::string body =
    R"({"id":"evt_1","event":"record:created","payload":{"id":"c1"},"environment_id":"env_1",)"
    R"("webhook_id":"wh_1","created_at":"2026-12-05T10:00:00.123Z"})";
const std::string body_hex = "80fbdf9e4130a734125fa701aa2e806155d5004886d0f27bfcc5b4d566ec8fef";
const std::string body_b64 = "gPvfnkEwpzQSX6cBqi6AYVXVAEiG0PJ7/MW01Wbsj+8=";

std::chrono::system_clock::time_point at(const char* iso) {
  return std::chrono::time_point_cast<std::chrono::system_clock::duration>(
      uniapi::timestamp::parse(iso)->time());
}
}  // namespace

TEST_CASE("sha256 and hmac_sha256 match FIPS 180-2 and RFC 4231") {
  using uniapi::detail::hmac_sha256;
  using uniapi::detail::sha256;
  CHECK(hex(sha256::of("")) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(hex(sha256::of("abc")) ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(hex(sha256::of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")) ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  sha256 million;
  std::string chunk(1000, 'a');
  for (int i = 0; i < 1000; ++i)
    million.update(chunk);
  CHECK(hex(million.finish()) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  CHECK(hex(hmac_sha256(std::string(20, '\x0b'), "Hi There")) ==
        "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  CHECK(hex(hmac_sha256("Jefe", "what do ya want for nothing?")) ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  CHECK(hex(hmac_sha256(std::string(131, '\xaa'),
                        "Test Using Larger Than Block-Size Key - Hash Key First")) ==
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST_CASE(
    "webhook signatures: hex and base64 accepted, anything else rejected without the secret") {
  CHECK(verify_webhook_signature(secret, "format=sha256,v=" + body_hex, body));
  CHECK(verify_webhook_signature(secret, "format=sha256,v=" + body_b64, body));
  CHECK(verify_webhook_signature(secret, "format=sha256,v=" + body_b64.substr(0, 43), body));
  CHECK(verify_webhook_signature(secret, " v=" + body_hex + " , format=sha256 ", body));
  std::string url_safe = body_b64;  // gPvf…7/MW…j+8=: both '/' and '+' occur
  std::replace(url_safe.begin(), url_safe.end(), '/', '_');
  std::replace(url_safe.begin(), url_safe.end(), '+', '-');
  CHECK(verify_webhook_signature(secret, "format=sha256,v=" + url_safe, body));
  std::string mixed = body_b64, non_canonical = body_b64;
  std::replace(mixed.begin(), mixed.end(), '/', '_');  // '+' stays: two alphabets in one value
  non_canonical[42] = '9';                             // '8' and '9' differ in the unused bits
  std::string upper = body_hex;
  for (auto& c : upper)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  CHECK(verify_webhook_signature(secret, "format=sha256,v=" + upper, body));
  CHECK(verify_webhook_signature("Jefe",
                                 "format=sha256,v=W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM=",
                                 "what do ya want for nothing?"));

  struct bad {
    std::string secret, header, body;
  };
  std::vector<bad> cases = {
      {"wrong-secret", "format=sha256,v=" + body_hex, body},
      {secret, "format=sha256,v=" + body_hex, body + " "},          // modified body
      {secret, "format=sha256,v=" + body_b64, body.substr(1)},      // modified body
      {secret, "format=sha256,v=" + body_hex.substr(0, 63), body},  // truncated
      {secret, "format=sha256,v=" + body_b64.substr(0, 40), body},  // truncated
      {secret, "format=sha256,v=", body},                           // empty
      {secret, "format=sha256", body},                              // no v
      {secret, "", body},                                           // missing header
      {secret, "format=sha1,v=" + body_hex, body},                  // other algorithm
      {secret, "format=sha256,v=" + body_hex + "00", body},         // too long
      {secret, "format=sha256,v=" + std::string(64, 'g'), body},    // not hex
      {secret, "format=sha256 v=" + body_hex, body},                // no comma
      {secret, "sha256=" + body_hex, body},                         // GitHub style
      {secret, "format=sha256,v=" + mixed, body},                   // two base64 alphabets
      {secret, "format=sha256,v=" + non_canonical, body},           // same bytes, other text
  };
  for (const auto& c : cases) {
    INFO(c.header);
    auto r = verify_webhook_signature(c.secret, c.header, c.body);
    REQUIRE_FALSE(r);
    CHECK(r.error().condition() == uniapi::errc::invalid_signature);
    CHECK(r.error().to_string().find(secret) == std::string::npos);
  }
}

TEST_CASE("verify_webhook: typed event, replay window on created_at, both date formats") {
  uniapi::truto::webhook_verify_options o{.max_age = std::chrono::seconds(300),
                                          .now = [] { return at("2026-12-05T10:02:00Z"); }};
  auto ev = verify_webhook(secret, "format=sha256,v=" + body_hex, body, o);
  REQUIRE(ev);
  CHECK(ev->id == "evt_1");
  CHECK(ev->name() == "record:created");
  CHECK(ev->payload->text() == R"({"id":"c1"})");
  CHECK(ev->environment_id == "env_1");
  CHECK(ev->webhook_id == "wh_1");

  o.now = [] { return at("2026-12-05T10:06:00Z"); };  // 6 minutes later: outside 5
  auto old = verify_webhook(secret, "format=sha256,v=" + body_hex, body, o);
  REQUIRE_FALSE(old);
  CHECK(old.error().condition() == uniapi::errc::stale_event);
  o.now = [] { return at("2026-12-05T09:58:00Z"); };  // 2 minutes before it: beyond the skew
  auto future = verify_webhook(secret, "format=sha256,v=" + body_hex, body, o);
  REQUIRE_FALSE(future);
  CHECK(future.error().condition() == uniapi::errc::stale_event);

  // `YYYY-MM-DD HH:MM:SS` and `event_type` (other sources' spellings).
  std::string other = R"({"id":"evt_2","event_type":"test","payload":{"foo":"bar"},)"
                      R"("created_at":"2026-12-05 10:00:30"})";
  auto sig = uniapi::detail::hmac_sha256(secret, other);
  o.now = [] { return at("2026-12-05T10:01:00Z"); };
  auto ev2 = verify_webhook(secret, "format=sha256,v=" + hex(sig), other, o);
  REQUIRE(ev2);
  CHECK(ev2->name() == "test");

  // A valid signature over something that is not an event is a decode error.
  auto junk_sig = uniapi::detail::hmac_sha256(secret, "[1,2]");
  auto junk = verify_webhook(secret, "format=sha256,v=" + hex(junk_sig), "[1,2]", o);
  REQUIRE_FALSE(junk);
  CHECK(junk.error().condition() == uniapi::errc::decode_failed);
}
