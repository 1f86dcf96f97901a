// libFuzzer target for the small text parsers: timestamps, HTTP dates, Retry-After, rate-limit
// headers. Checks that a parsed timestamp formats to text that parses to the same instant.
#include <uniapi/retry_after.hpp>
#include <uniapi/timestamp.hpp>
#include <uniapi/truto/rate_limit.hpp>

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
  return 0;
}
