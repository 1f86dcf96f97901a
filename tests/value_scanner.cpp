// Stepping over unmodelled values: the scanner that finds where an object or array ends accepts
// exactly what Boost.JSON's parser accepts (or leaves the value to it), and a decoder that steps
// over `raw_json` members gives the same values and the same errors as one that parses them.
#include <uniapi/json.hpp>
#include <uniapi/json/detail/value_scanner.hpp>
#include <uniapi/testing/record_generator.hpp>
#include <uniapi/truto/ats/all.hpp>
#include <uniapi/truto/page.hpp>
#include <uniapi/truto/testing/fixtures.hpp>

#include <boost/describe/class.hpp>
#include <boost/json/parse.hpp>

#include "support.hpp"

#include <optional>
#include <random>
#include <string>
#include <vector>

namespace scan_test {
struct rec {
  std::string id;
  std::optional<std::string> name;
  std::optional<uniapi::json::raw_json> remote_data;
  std::optional<std::vector<uniapi::json::raw_json>> extra;
};
BOOST_DESCRIBE_STRUCT(rec, (), (id, name, remote_data, extra))

struct holder {
  rec first;
  std::optional<std::vector<rec>> more;
};
BOOST_DESCRIBE_STRUCT(holder, (), (first, more))

struct page {
  std::vector<rec> result;
  std::optional<std::string> next_cursor;
};
BOOST_DESCRIBE_STRUCT(page, (), (result, next_cursor))
}  // namespace scan_test

namespace {

using uniapi::json::detail::scan_container;

// The end offset scan_container reports for `text` (from its first byte), or -1.
long scanned(std::string_view text) {
  const char* end = scan_container(text.data(), text.data() + text.size());
  return end ? end - text.data() : -1;
}

bool boost_accepts(std::string_view text) {
  boost::system::error_code ec;
  boost::json::parse_options o;
  o.max_depth = 512;
  boost::json::parse(text, ec, {}, o);
  return !ec;
}

// What decoding `text` into a T gives: the encoding and every raw text, or the error message.
// `chunk` 0 writes it at once; otherwise in pieces of that size, each parsed as it comes.
struct outcome {
  bool ok = false;
  std::string text;
  bool operator==(const outcome&) const = default;
};

void raw_texts(const scan_test::rec& r, std::string& out) {
  if (r.remote_data) out += r.remote_data->text() + "\n";
  if (r.extra)
    for (const auto& x : *r.extra)
      out += x.text() + "\n";
}

template <class T>
outcome decode_with(std::string_view text, bool step_over, std::size_t chunk = 0,
                    std::size_t* stepped = nullptr) {
  T value{};
  auto d = uniapi::json::detail::acquire_decoder();
  d->start({&uniapi::json::detail::codec<T>::vt, &value});
  d->step_over_unmodelled(step_over);
  d->gather_small_chunks(false);
  bool ok = true;
  if (chunk == 0) {
    ok = d->write(text);
  } else {
    for (std::size_t i = 0; ok && i < text.size(); i += chunk)
      ok = d->write(text.substr(i, chunk));
  }
  ok = ok && d->finish();
  if (stepped) *stepped = d->values_stepped_over();
  if (!ok) return {false, d->error().message};
  outcome o{true, uniapi::json::encode(value) + "\n"};
  if constexpr (std::is_same_v<T, scan_test::page>) {
    for (const auto& r : value.result)
      raw_texts(r, o.text);
  } else if constexpr (std::is_same_v<T, scan_test::holder>) {
    raw_texts(value.first, o.text);
    if (value.more)
      for (const auto& r : *value.more)
        raw_texts(r, o.text);
  } else {
    for (const auto& r : value.result)
      if (r.remote_data) o.text += r.remote_data->text() + "\n";
  }
  return o;
}

template <class T>
void same_either_way(std::string_view text) {
  INFO(text);
  auto parsed = decode_with<T>(text, false);
  REQUIRE(parsed.ok);
  CHECK(decode_with<T>(text, true) == parsed);
  for (std::size_t chunk : {1, 2, 3, 7, 64})
    CHECK(decode_with<T>(text, true, chunk) == parsed);
}

}  // namespace

TEST_CASE("scan_container finds the end of valid objects and arrays") {
  for (std::string_view v :
       {"{}", "[]", "{ }", "[ \n\t\r]", R"({"a":1})", R"([1,-2,3.5,-0.0e+10,1E-3,0])",
        R"({"a":{"b":[{"c":null,"d":true,"e":false}]},"f":"g"})",
        R"({ "k" : "v" , "n" : [ 1 , { } , [ ] ] })", R"(["\"\\\/\b\f\n\r\t\u00e9\uD83D\uDE00"])",
        "[\"r\xC3\xA9sum\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xED\x9F\xBF \xEE\x80\x80\"]",
        R"({"id":90123456789012345678901234567890,"r":0.1000000000000000055511151231257827})",
        R"(["a long string that crosses sixteen-byte blocks more than once, twice, thrice"])"}) {
    INFO(v);
    std::string text(v);
    CHECK(scanned(text) == static_cast<long>(text.size()));
    CHECK(boost_accepts(text));
    // Only the value is taken: what follows is left alone.
    CHECK(scanned(text + ",\"next\":1}") == static_cast<long>(text.size()));
    // Cut anywhere, it is incomplete: left to the parser, or to be scanned again with more.
    for (std::size_t n = 1; n < text.size(); ++n) {
      CHECK(scanned(std::string_view(text).substr(0, n)) == -1);
      std::string_view cut = std::string_view(text).substr(0, n);
      CHECK(uniapi::json::detail::scan_may_continue(cut.data(), cut.data() + n));
    }
  }
}

TEST_CASE("scan_container leaves invalid or doubtful values to the parser") {
  for (std::string_view v : {"[1,]",
                             "{\"a\":1,}",
                             "{\"a\" 1}",
                             "{a:1}",
                             "{\"a\":}",
                             "[01]",
                             "[-]",
                             "[1.]",
                             "[.5]",
                             "[1e]",
                             "[1e+]",
                             "[+1]",
                             "[tru]",
                             "[nul]",
                             "[fals]",
                             "[True]",
                             "[NaN]",
                             "[1 2]",
                             "{\"a\":1 \"b\":2}",
                             "[\"\\x\"]",
                             "[\"\\u12G4\"]",
                             "[\"\\uD800\"]",
                             "[\"\\uDC00\"]",
                             "[\"\\uD800\\u0041\"]",
                             "[\"tab\there\"]",
                             "[\"nul\x01\"]",
                             "[\"\xC0\x80\"]",
                             "[\"\xC1\xBF\"]",
                             "[\"\xE0\x80\x80\"]",
                             "[\"\xED\xA0\x80\"]",
                             "[\"\xF0\x80\x80\x80\"]",
                             "[\"\xF4\x90\x80\x80\"]",
                             "[\"\xF5\x80\x80\x80\"]",
                             "[\"\x80\"]",
                             "[\"\xC3\"]",
                             "[\"\xE2\x82\"]",
                             "{\"a\":1]",
                             "[1}",
                             "[[1]",
                             "[1e123456789]",
                             "[1]]"}) {
    INFO(v);
    long end = scanned(v);
    // Gone wrong well before the input's end: more input cannot help ("[[1]" only lacks its
    // end).
    std::string padded = std::string(v) + std::string(40, ' ');
    if (v != "[1]]" && v != "[[1]")
      CHECK_FALSE(
          uniapi::json::detail::scan_may_continue(padded.data(), padded.data() + padded.size()));
    // "[1]]" ends after "[1]": the rest is the caller's.
    if (v == "[1]]") {
      CHECK(end == 3);
      continue;
    }
    CHECK(end == -1);
  }
  // Nesting: up to scan_max_depth levels are followed, deeper values are the parser's.
  std::string deep(uniapi::json::detail::scan_max_depth, '[');
  deep += std::string(uniapi::json::detail::scan_max_depth, ']');
  CHECK(scanned(deep) == static_cast<long>(deep.size()));
  CHECK(scanned("[" + deep + "]") == -1);
  std::string deeper = "[" + deep + "]" + std::string(40, ' ');
  CHECK_FALSE(
      uniapi::json::detail::scan_may_continue(deeper.data(), deeper.data() + deeper.size()));
  // A long string or number cut by the end may go on; one longer than the scanner takes may not.
  std::string long_string = "[\"" + std::string(500, 'x') + "\\u00e9" + std::string(300, 'y');
  CHECK(uniapi::json::detail::scan_may_continue(long_string.data(),
                                                long_string.data() + long_string.size()));
  std::string long_number = "[1" + std::string(1000, '0');
  CHECK(uniapi::json::detail::scan_may_continue(long_number.data(),
                                                long_number.data() + long_number.size()));
  long_number = "[1" + std::string(5000, '0');
  CHECK_FALSE(uniapi::json::detail::scan_may_continue(long_number.data(),
                                                      long_number.data() + long_number.size()));
}

TEST_CASE("scan_container never accepts what Boost.JSON rejects (random mutations)") {
  std::vector<std::string> seeds = {
      R"({"id":9123,"ratio":0.5,"tags":["a","\u00e9"],"nested":{"deep":[{"k":null,"t":true}]},"text":"line\nbreak"})",
      "[\"r\xC3\xA9sum\xC3\xA9\",{\"x\":[1,2,{\"y\":\"\\uD83D\\uDE00\"}]},-1.5e-3,false]",
      R"({"a" : [ 1 , 2 ] , "b" : { "c" : "d" } })"};
  const std::string alphabet = "{}[]:,\"\\ \t\n0123456789-+.eEtrufalsn\x01\x7F\xC3\xA9\xED\xF4\x80";
  std::mt19937 rng(20261205);
  std::size_t accepted = 0, rejected = 0;
  for (int round = 0; round < 60000; ++round) {
    std::string s = seeds[static_cast<std::size_t>(round) % seeds.size()];
    int edits = 1 + static_cast<int>(rng() % 3);
    for (int k = 0; k < edits; ++k) {
      std::size_t at = rng() % s.size();
      char c = alphabet[rng() % alphabet.size()];
      switch (rng() % 3) {
        case 0:
          s[at] = c;
          break;
        case 1:
          s.insert(s.begin() + static_cast<std::ptrdiff_t>(at), c);
          break;
        default:
          if (s.size() > 2) s.erase(at, 1);
          break;
      }
    }
    if (s.empty() || (s[0] != '{' && s[0] != '[')) continue;
    long end = scanned(s);
    if (end >= 0) {
      ++accepted;
      INFO(s);
      REQUIRE(boost_accepts(std::string_view(s).substr(0, static_cast<std::size_t>(end))));
    } else {
      ++rejected;
    }
  }
  // Both outcomes happened often enough for the property to mean something.
  CHECK(accepted > 1000);
  CHECK(rejected > 1000);
}

TEST_CASE("stepping over raw members gives what parsing them gives, values and errors") {
  using scan_test::holder;
  using scan_test::page;
  // Values.
  same_either_way<page>(
      R"({"result":[{"id":"1","remote_data":{"a":[1,2,{"b":null}],"c":"\u00e9"},"name":"x"},)"
      R"({"id":"2","remote_data":[],"extra":[{"q":1},[2],"s",3,null]},)"
      R"({"id":"3","remote_data" : { "spaced" : [ 1 , 2 ] } },)"
      R"({"id":"4","remote_data":null},{"id":"5","remote_data":"a string"},)"
      R"({"id":"6","remote_data":12.5e3}],"next_cursor":"c"})");
  // "remote_data" where it is not a raw member's key: in strings, escaped, as an unknown key
  // of another object, nested inside a raw value, as a key of an unmodelled object.
  same_either_way<page>(
      R"({"result":[{"id":"\"remote_data\":{","name":"a \"remote_data\":[1] b",)"
      R"("unknown":{"remote_data":{"x":1}},"remote_data":{"remote_data":{"y":2}}},)"
      R"({"id":"k\\","remote_data":{"z":"\\\"remote_data\":{"}}],)"
      R"("remote_data":{"top":"level unknown"},"next_cursor":null})");
  same_either_way<holder>(
      R"({"first":{"id":"a","remote_data":{"x":[{}]}},"more":[{"id":"b","remote_data":[[]]}],)"
      R"("remote_data":{"ignored":true}})");
  // Errors: invalid JSON inside the stepped-over value, after it, and type errors after it,
  // reported as the parser reports them (message, path and byte offset).
  for (std::string_view bad : {R"({"result":[{"id":"1","remote_data":{"a":[1,2,}}]})",
                               R"({"result":[{"id":"1","remote_data":{"a":"\uD800"}}]})",
                               "{\"result\":[{\"id\":\"1\",\"remote_data\":{\"a\":\"\xC0\x80\"}}]}",
                               R"({"result":[{"id":"1","remote_data":{"a":01}}]})",
                               R"({"result":[{"id":"1","remote_data":{"a":1}},{"id":2}]})",
                               R"({"result":[{"id":"1","remote_data":{"a":1} "name":"x"}]})",
                               R"({"result":[{"id":"1","remote_data":{"a":1}}]})"
                               R"(garbage)",
                               R"({"result":[{"remote_data":{"a":1}}]})",
                               R"({"result":[{"id":"1","remote_data":{"a":[1]})"}) {
    INFO(bad);
    auto parsed = decode_with<page>(bad, false);
    CHECK_FALSE(parsed.ok);
    CHECK(decode_with<page>(bad, true) == parsed);
    for (std::size_t chunk : {1, 5, 16})
      CHECK(decode_with<page>(bad, true, chunk) == parsed);
  }
}

TEST_CASE("a value cut by a chunk's end gives the same values and errors, split anywhere") {
  using scan_test::page;
  // Each document split in two at every byte: a value held back at the first chunk's end, then
  // found whole, found invalid, or cut by the end of the document, decodes as a plain parse.
  auto split_decode = [](std::string_view text, std::size_t at) {
    page value{};
    auto d = uniapi::json::detail::acquire_decoder();
    d->start({&uniapi::json::detail::codec<page>::vt, &value});
    d->step_over_unmodelled(true);
    d->gather_small_chunks(false);
    bool ok = d->write(text.substr(0, at)) && d->write(text.substr(at)) && d->finish();
    if (!ok) return outcome{false, d->error().message};
    outcome o{true, uniapi::json::encode(value) + "\n"};
    for (const auto& r : value.result)
      raw_texts(r, o.text);
    return o;
  };
  const std::string long_value = R"({"k":")" + std::string(300, 'v') + R"(","n":[1,2,{"x":null}]})";
  for (std::string bad :
       {R"({"result":[{"id":"1","remote_data":)" + long_value + R"(}],"next_cursor":"c"})",
        std::string(R"({"result":[{"id":"1","remote_data":{"a":[1,2,}},{"id":"2"}]})"),
        std::string(
            R"({"result":[{"id":"1","remote_data":{"a":"\uD800 and more text after it"}}]})"),
        std::string("{\"result\":[{\"id\":\"1\",\"remote_data\":{\"a\":\"\xC0\x80 and more\"}}]}"),
        std::string(R"({"result":[{"id":"1","remote_data":{"a":01,"b":"more text after it"}}]})"),
        std::string(R"({"result":[{"id":"1","remote_data":{"a":1} "name":"x"}]})"),
        R"({"result":[{"id":"1","remote_data":)" + long_value.substr(0, 200),
        R"({"result":[{"id":"1","remote_data":[)" + std::string(70, '[') + "]]}]}"}) {
    INFO(bad);
    auto parsed = decode_with<page>(bad, false);
    for (std::size_t at = 0; at <= bad.size(); ++at) {
      INFO("split at " << at);
      CHECK(split_decode(bad, at) == parsed);
    }
  }
}

TEST_CASE("stepping over remote_data: Truto pages from the fixture, whole and in chunks") {
  using page_t = uniapi::truto::page<uniapi::truto::ats::attachment>;
  std::string text = "{\"result\":[";
  for (std::size_t i = 0; i < 40; ++i) {
    if (i) text += ',';
    text += uniapi::testing::to_json(uniapi::testing::attachment_record(i));
  }
  text += "],\"next_cursor\":\"n\"}";
  REQUIRE(text.find("\"remote_data\":{") != std::string::npos);
  auto parsed = decode_with<page_t>(text, false);
  REQUIRE(parsed.ok);
  for (std::size_t chunk : {0, 1, 13, 100, 4096}) {
    INFO("chunk " << chunk);
    auto got = decode_with<page_t>(text, true, chunk);
    CHECK(got.ok);
    CHECK(got.text.substr(0, 300) == parsed.text.substr(0, 300));
    CHECK(got == parsed);
    if (got.text != parsed.text) {
      std::size_t k = 0;
      while (k < got.text.size() && got.text[k] == parsed.text[k])
        ++k;
      FAIL_CHECK(got.text.substr(k > 200 ? k - 200 : 0, 400)
                 << "\n-----\n"
                 << parsed.text.substr(k > 200 ? k - 200 : 0, 400));
    }
  }

  // A value cut by the end of a chunk is held back and stepped over with the next chunk, not
  // left to the parser: every value whose key, colon and bracket lie in one chunk (and not at
  // its first byte, where an escaping backslash could be out of view) is stepped over.
  // The fixture has two such keys: `remote_data` and an unknown key with an object value.
  std::vector<std::pair<std::size_t, std::size_t>> keys;  // where, and the length to the bracket
  for (std::string_view k : {"\"remote_data\":{", "\"x_provider_field\":{"})
    for (std::size_t at = 0; (at = text.find(k, at)) != std::string::npos; ++at)
      keys.emplace_back(at, k.size());
  std::size_t whole = 0;
  REQUIRE(decode_with<page_t>(text, true, 0, &whole).ok);
  CHECK(whole == keys.size());
  std::size_t cut = 0;
  for (std::size_t chunk : {100, 700, 2000, 3000, 4096}) {
    INFO("chunk " << chunk);
    std::size_t expected = 0;
    for (auto [at, n] : keys) {
      bool in_one = at / chunk == (at + n - 1) / chunk && at % chunk != 0;
      expected += in_one;
      std::string_view v = std::string_view(text).substr(at + n - 1);
      auto len = static_cast<std::size_t>(
          uniapi::json::detail::scan_container(v.data(), v.data() + v.size()) - v.data());
      cut += in_one && (at + n - 1) / chunk != (at + n - 1 + len - 1) / chunk;
    }
    std::size_t stepped = 0;
    CHECK(decode_with<page_t>(text, true, chunk, &stepped) == parsed);
    CHECK(stepped == expected);
  }
  CHECK(cut > 10);  // values cut by a chunk's end were among them
}

TEST_CASE("stepping over the candidates fixture, whole and in chunks") {
  using cand_page = uniapi::truto::page<uniapi::truto::ats::candidate>;
  std::string cands = "{\"result\":[";
  for (std::size_t i = 0; i < 20; ++i) {
    if (i) cands += ',';
    cands += uniapi::testing::to_json(
        uniapi::testing::generate_record<uniapi::truto::ats::candidate>("cand", i));
  }
  cands += "]}";
  auto c1 = decode_with<cand_page>(cands, false);
  REQUIRE(c1.ok);
  CHECK(decode_with<cand_page>(cands, true) == c1);
  CHECK(decode_with<cand_page>(cands, true, 7) == c1);
}
