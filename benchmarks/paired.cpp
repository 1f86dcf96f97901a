// Paired timings: ratios that hold on a noisy shared machine. Each round times uniapi's fresh
// decode, then the other decoder (or the chunked decode), then uniapi's again, in one process,
// and keeps the other's time over the mean of uniapi's two; the median over the rounds and its
// quartiles are printed. Drifts of the machine's speed over seconds cancel out, which the
// medians of separate Google Benchmark runs do not.
//
//   uniapi_paired peers [ROUNDS]            uniapi ÷ simdjson, decode_into, Boost.JSON DOM,
//   nlohmann uniapi_paired chunks [ROUNDS] [--sized] chunked decode's time over whole-buffer
//   decode's
#include "machine.hpp"
#include "pages.hpp"
#include "peers/boost_dom.hpp"
#include "peers/nlohmann.hpp"
#include "peers/simdjson.hpp"

#include <uniapi/json/decode.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace {

double seconds(const std::function<void()>& f, int n) {
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < n; ++i)
    f();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() / n;
}

// Median and quartiles of `other / mean(uniapi before, uniapi after)` over `rounds`.
struct quartiles {
  double q1, median, q3;
};
quartiles paired(const std::function<void()>& uniapi, int n_uniapi,
                 const std::function<void()>& other, int n_other, int rounds) {
  uniapi();
  other();
  std::vector<double> r;
  for (int i = 0; i < rounds; ++i) {
    double a = seconds(uniapi, n_uniapi), b = seconds(other, n_other),
           c = seconds(uniapi, n_uniapi);
    r.push_back(b / ((a + c) / 2));
  }
  std::sort(r.begin(), r.end());
  return {r[r.size() / 4], r[r.size() / 2], r[r.size() * 3 / 4]};
}

template <class Page>
Page must(uniapi::result<Page> r) {
  if (!r) {
    std::fprintf(stderr, "decode failed: %s\n", r.error().message.c_str());
    std::exit(1);
  }
  return std::move(*r);
}

template <class Page>
void peers_of(const char* name, const std::string& text, int rounds) {
  simdjson::ondemand::parser parser;
  simdjson::padded_string padded(text);
  Page into;
  auto fresh = [&] { must(uniapi::json::decode<Page>(text)); };
  struct peer {
    const char* name;
    std::function<void()> decode;
    int n;  // decodes per timing
  };
  const peer peers[] = {
      {"simdjson_ondemand", [&] { (void)peers::simdjson_ondemand::decode<Page>(parser, padded); },
       10},
      {"uniapi_decode_into",
       [&] {
         if (!uniapi::json::decode_into(into, text)) std::exit(1);
       },
       10},
      {"boost_json_dom", [&] { (void)peers::boost_dom::decode<Page>(text); }, 2},
      {"nlohmann", [&] { (void)peers::nlohmann_dom::decode<Page>(text); }, 1},
  };
  for (const peer& p : peers) {
    quartiles q = paired(fresh, 10, p.decode, p.n, rounds);
    std::printf("%-24s uniapi_decode ÷ %-18s %6.2f  (quartiles %.2f – %.2f)\n", name, p.name,
                q.median, q.q1, q.q3);
  }
}

template <class Page>
void chunks_of(const char* name, const std::string& text, int rounds, bool sized) {
  auto fresh = [&] { must(uniapi::json::decode<Page>(text)); };
  for (std::size_t chunk : {1024, 4096, 16384, 65536}) {
    auto chunked = [&] {
      uniapi::json::stream_decoder<Page> d;
      if (sized) d.expect_size(text.size());
      for (std::size_t i = 0; i < text.size(); i += chunk)
        if (!d.write(std::string_view(text).substr(i, chunk))) break;
      must(d.finish());
    };
    quartiles q = paired(fresh, 10, chunked, 10, rounds);
    std::printf("%-24s %6zu-byte chunks%s: %+5.1f%%  (quartiles %+.1f%% – %+.1f%%)\n", name, chunk,
                sized ? ", sized" : "", (q.median - 1) * 100, (q.q1 - 1) * 100, (q.q3 - 1) * 100);
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::string mode = argc > 1 ? argv[1] : "";
  int rounds = argc > 2 ? std::atoi(argv[2]) : 21;
  bool sized = argc > 3 && std::string_view(argv[3]) == "--sized";
  if ((mode != "peers" && mode != "chunks") || rounds < 1) {
    std::fprintf(stderr, "usage: uniapi_paired peers|chunks [ROUNDS] [--sized]\n");
    return 2;
  }
  for (const auto& [key, value] : machine_context())
    std::printf("%s: %s\n", key.c_str(), value.c_str());
  const std::string rd = pages::attachments(1000, true), plain = pages::attachments(1000, false),
                    cand = pages::candidates(1000);
  if (mode == "peers") {
    peers_of<pages::attachments_page>("attachments+remote_data", rd, rounds);
    peers_of<pages::attachments_page>("attachments", plain, rounds);
    peers_of<pages::candidates_page>("candidates", cand, rounds);
  } else {
    chunks_of<pages::attachments_page>("attachments+remote_data", rd, rounds, sized);
    chunks_of<pages::attachments_page>("attachments", plain, rounds, sized);
    chunks_of<pages::candidates_page>("candidates", cand, rounds, sized);
  }
}
