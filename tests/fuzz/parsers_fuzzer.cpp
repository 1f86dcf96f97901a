// libFuzzer target for the small text parsers: timestamps, HTTP dates, Retry-After, rate-limit
// headers, bracketed query keys, and the JSON compaction of raw values. Checks that a parsed
// timestamp formats to text that parses to the same instant, and that compacting valid JSON
// keeps its value and leaves no whitespace outside strings.
#include <uniapi/json/detail/write.hpp>
#include <uniapi/query_string.hpp>
#include <uniapi/retry_after.hpp>
#include <uniapi/timestamp.hpp>
#include <uniapi/truto/rate_limit.hpp>

#include <boost/json/parse.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  if (auto t = uniapi::timestamp::parse(text)) {
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

  uniapi::query_string q;
  if (q.add_bracketed(text, text) && (std::count(q.str().begin(), q.str().end(), '=') != 1 ||
                                      q.str().find_first_of("&# \r\n") != std::string::npos))
    std::abort();  // one parameter whatever the key and value hold: no injection

  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  std::string compact;
  uniapi::json::detail::write_compact(compact, text);
  if (!ec) {
    auto back = boost::json::parse(compact, ec);
    if (ec || back != v) std::abort();
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
