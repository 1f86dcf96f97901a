// Checks that every peer decoder in the benchmarks yields the same structs as uniapi, so that the
// throughput comparison is between decoders that do the same job. Exit status 0 when all agree.
#include "pages.hpp"
#include "peers/boost_dom.hpp"
#include "peers/compare.hpp"
#include "peers/nlohmann.hpp"
#include "peers/rapidjson.hpp"
#include "peers/simdjson.hpp"

#include <uniapi/json/decode.hpp>

#include <cstdio>

namespace {

int failures = 0;

template <class Page>
void check(const char* name, const std::string& text) {
  auto ours = uniapi::json::decode<Page>(text);
  if (!ours) {
    std::printf("FAIL %s: uniapi: %s\n", name, ours.error().message.c_str());
    ++failures;
    return;
  }
  if (ours->result.empty()) {
    std::printf("FAIL %s: empty page\n", name);
    ++failures;
    return;
  }
  auto expect = [&](const char* peer, const Page& theirs) {
    if (auto d = peers::first_difference(*ours, theirs)) {
      std::printf("FAIL %s: %s differs at %s\n", name, peer, d->c_str());
      ++failures;
    } else {
      std::printf("ok   %s: %s == uniapi (%zu records)\n", name, peer, theirs.result.size());
    }
  };
  expect("boost.json dom", peers::boost_dom::decode<Page>(text));
  expect("nlohmann", peers::nlohmann_dom::decode<Page>(text));
  expect("rapidjson", peers::rapidjson_dom::decode<Page>(text));
  simdjson::ondemand::parser parser;
  simdjson::padded_string padded(text);
  expect("simdjson on-demand", peers::simdjson_ondemand::decode<Page>(parser, padded));

  // The same document through uniapi's other entry points.
  Page reused;
  if (auto r = uniapi::json::decode_into(reused, text); !r) {
    std::printf("FAIL %s: decode_into: %s\n", name, r.error().message.c_str());
    ++failures;
  }
  expect("uniapi decode_into (fresh object)", reused);
  for (std::size_t chunk : {1u, 7u, 1024u, 65536u}) {
    uniapi::json::stream_decoder<Page> sd;
    sd.gather_small_chunks(chunk != 7);  // chunks of 7: every boundary reaches the parser
    for (std::size_t i = 0; i < text.size(); i += chunk)
      if (auto r = sd.write(std::string_view(text).substr(i, chunk)); !r) break;
    auto r = sd.finish();
    if (!r) {
      std::printf("FAIL %s: chunks of %zu: %s\n", name, chunk, r.error().message.c_str());
      ++failures;
      continue;
    }
    expect(("uniapi stream_decoder, chunks of " + std::to_string(chunk)).c_str(), *r);
  }
}

}  // namespace

int main() {
  std::printf("attachments page: %zu bytes with remote_data, %zu without\n",
              pages::attachments(1000, true).size(), pages::attachments(1000, false).size());
  check<pages::attachments_page>("attachments with remote_data", pages::attachments(1000, true));
  check<pages::attachments_page>("attachments without remote_data",
                                 pages::attachments(1000, false));
  check<pages::candidates_page>("candidates", pages::candidates(300));
  if (failures) std::printf("%d failure(s)\n", failures);
  return failures ? 1 : 0;
}
