// libFuzzer target for the small text parsers: timestamps, HTTP dates, Retry-After, rate-limit
// headers, bracketed query keys, query parameters read back into query structs, multipart/form-data
// bodies, webhook signature headers, and the JSON compaction of raw values. Checks that a parsed
// timestamp gives back its text and formats to text that parses to the same instant, that a query
// read from any key=value writes itself back unchanged through its own query string, that any
// bytes uploaded as a file part read back exactly, and that compacting valid JSON keeps its value
// and leaves no whitespace outside strings.
#include <uniapi/core/timestamp.hpp>
#include <uniapi/json/write.hpp>
#include <uniapi/merge/ats/candidate.hpp>
#include <uniapi/testing/multipart_form.hpp>
#include <uniapi/truto/ats/activity.hpp>
#include <uniapi/truto/rate_limit.hpp>
#include <uniapi/truto/webhook.hpp>
#include <uniapi/wire/multipart.hpp>
#include <uniapi/wire/query_reader.hpp>
#include <uniapi/wire/query_string.hpp>
#include <uniapi/wire/retry_after.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>

namespace {

struct upload {
  uniapi::file_part file;
  BOOST_DESCRIBE_CLASS(upload, (), (file), (), ())
};

// Reads `key=value` into a fresh query; when it and the query are valid, what the query writes
// must read back into one that writes the same text.
template <class Query>
void query_round_trip(const Query& fresh, std::string_view key, std::string_view value) {
  Query q = fresh;
  if (!uniapi::read_query_parameter(q, key, value)) return;
  uniapi::query_string first;
  if (!q.append_to(first)) return;
  Query back = fresh;
  if (!uniapi::read_query_string(back, first.str())) std::abort();
  uniapi::query_string second;
  if (!back.append_to(second) || second.str() != first.str()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  if (auto t = uniapi::timestamp::parse(text)) {
    if (t->text() != text) std::abort();  // kept as received, stored or written again
    // Years outside 0000-9999 do not format back to four digits; everything else round-trips.
    using namespace std::chrono;
    auto y = int(year_month_day(floor<days>(t->time())).year());
    if (y >= 0 && y <= 9999) {
      auto back = uniapi::timestamp::parse(uniapi::timestamp::format(t->time()));
      if (!back || back->time() != t->time()) std::abort();
    }
  }
  (void)uniapi::parse_http_date(text);
  uniapi::http_headers h;
  h.set("Retry-After", text);
  h.set("ratelimit-limit", text);
  h.set("ratelimit-reset", text);
  (void)uniapi::retry_after(h, std::chrono::system_clock::time_point{});
  (void)uniapi::truto::rate_limit::from(h);

  // A signature header is never accepted unless it carries the body's HMAC (hex in any case, or
  // base64 in the standard or URL alphabet).
  if (uniapi::truto::verify_webhook_signature("secret", text, "{}")) {
    auto d = uniapi::detail::hmac_sha256("secret", "{}");
    std::string hex, b64, b64url;
    for (unsigned char c : d) {
      hex += "0123456789abcdef"[c >> 4];
      hex += "0123456789abcdef"[c & 15];
    }
    static const char* alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (std::size_t i = 0; i + 1 < d.size() + 1; i += 3) {
      std::uint32_t n = std::uint32_t(d[i]) << 16 | (i + 1 < d.size() ? d[i + 1] << 8 : 0) |
                        (i + 2 < d.size() ? d[i + 2] : 0);
      for (int k = 0; k < 4; ++k)
        b64 += alphabet[(n >> (18 - 6 * k)) & 63];
    }
    b64.resize(43);  // 32 bytes: 43 significant characters
    b64url = b64;
    std::replace(b64url.begin(), b64url.end(), '+', '-');
    std::replace(b64url.begin(), b64url.end(), '/', '_');
    std::string lower = text;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (lower.find(hex) == std::string::npos && text.find(b64) == std::string::npos &&
        text.find(b64url) == std::string::npos)
      std::abort();
  }

  uniapi::query_string q;
  if (q.add_bracketed(text, text) && (std::count(q.str().begin(), q.str().end(), '=') != 1 ||
                                      q.str().find_first_of("&# \r\n") != std::string::npos))
    std::abort();  // one parameter whatever the key and value hold: no injection

  std::string_view key = text, value;
  if (auto eq = text.find('='); eq != std::string::npos) {
    key = std::string_view(text).substr(0, eq);
    value = std::string_view(text).substr(eq + 1);
  }
  query_round_trip(
      uniapi::truto::ats::activities_resource::list_query{.integrated_account_id =
                                                              uniapi::truto::account_id("a")},
      key, value);
  query_round_trip(uniapi::merge::ats::candidates_resource::list_query{}, key, value);

  // Multipart: any body, and any bytes uploaded as a file, which must read back exactly.
  if (auto parts = uniapi::testing::parse_multipart_form("multipart/form-data; boundary=b", text))
    for (const auto& p : *parts)
      if (p.data.data() < text.data() || p.data.data() + p.data.size() > text.data() + text.size())
        std::abort();
  (void)uniapi::testing::multipart_boundary(text);
  upload u{.file = {.filename = text, .content_type = "application/pdf", .data = text}};
  auto body = uniapi::encode_multipart(u);
  auto parts = uniapi::testing::parse_multipart_form(body.content_type, body.data);
  if (!parts || parts->size() != 1 || (*parts)[0].data != text || (*parts)[0].name != "file" ||
      !(*parts)[0].filename)
    std::abort();

  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  std::string compact;
  uniapi::json::write_compact(compact, text);
  if (!ec) {
    auto back = boost::json::parse(compact, ec);
    // Compared as text: Boost.JSON 1.81 reads `0e400` as NaN, which equals nothing.
    if (ec || boost::json::serialize(back) != boost::json::serialize(v)) std::abort();
    bool in_string = false;
    for (std::size_t i = 0; i < compact.size(); ++i) {
      char c = compact[i];
      if (in_string && c == '\\')
        ++i;
      else if (c == '"')
        in_string = !in_string;
      else if (!in_string && (c == ' ' || c == '\n' || c == '\r' || c == '\t'))
        std::abort();
    }
  }
  return 0;
}
