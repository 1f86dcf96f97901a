#include <uniapi/json.hpp>
#include <uniapi/truto/ats/all.hpp>

#include <boost/mp11/algorithm.hpp>

#include <boost/json/parse.hpp>

#include <boost/describe/class.hpp>
#include <boost/describe/enum.hpp>
#include "support.hpp"

#include <charconv>
#include <cmath>
#include <map>
#include <random>
#include <thread>

namespace t {
enum class hue { red, dark_blue, default_ };
BOOST_DESCRIBE_ENUM(hue, red, dark_blue, default_)

struct ref {
  std::optional<std::string> id;
};
BOOST_DESCRIBE_STRUCT(ref, (), (id))

struct item {
  std::string id;
  std::optional<std::string> name;
  std::optional<ref> candidate;
  std::optional<uniapi::open_enum<hue>> color;
  std::optional<uniapi::timestamp> created_at;
  std::optional<std::int64_t> count;
  std::optional<double> score;
  std::optional<bool> private_;
  std::optional<std::vector<std::string>> tags;
  std::optional<uniapi::json::raw_json> remote_data;
};
BOOST_DESCRIBE_STRUCT(item, (),
                      (id, name, candidate, color, created_at, count, score, private_, tags,
                       remote_data))

struct page {
  std::vector<item> result;
  std::optional<std::string> next_cursor;
};
BOOST_DESCRIBE_STRUCT(page, (), (result, next_cursor))

struct raw_places {
  std::vector<uniapi::json::raw_json> list;
  std::map<std::string, uniapi::json::raw_json, std::less<>> by_key;
  std::optional<uniapi::json::raw_json> after_escaped_key;
};
BOOST_DESCRIBE_STRUCT(raw_places, (), (list, by_key, after_escaped_key))

struct with_dom {
  std::optional<boost::json::value> any;
  std::map<std::string, std::int32_t, std::less<>> counts;
};
BOOST_DESCRIBE_STRUCT(with_dom, (), (any, counts))
}  // namespace t

using uniapi::json::decode;
using uniapi::json::encode;

namespace {
std::string decode_error(std::string_view text) {
  auto r = decode<t::page>(text);
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().condition() == uniapi::errc::decode_failed);
  return r.error().message;
}
}  // namespace

TEST_CASE("unknown keys are ignored, at any depth and of any shape") {
  auto r = decode<t::item>(
      R"({"x":1,"id":"a","y":{"z":[1,{"q":null}],"w":"s"},"name":"n","candidate":{"id":"c","extra":[true]},"zz":[]})");
  REQUIRE(r);
  CHECK(r->id == "a");
  CHECK(r->name == "n");
  REQUIRE(r->candidate);
  CHECK(r->candidate->id == "c");
}

TEST_CASE("missing and null optional members are empty") {
  auto r = decode<t::item>(R"({"id":"a","name":null,"candidate":null})");
  REQUIRE(r);
  CHECK_FALSE(r->name);
  CHECK_FALSE(r->candidate);
  CHECK_FALSE(r->tags);
  CHECK_FALSE(r->remote_data);
}

TEST_CASE("open enums keep values they do not know") {
  auto r = decode<t::item>(R"({"id":"a","color":"dark_blue"})");
  REQUIRE(r);
  CHECK(*r->color == t::hue::dark_blue);
  auto u = decode<t::item>(R"({"id":"a","color":"ultraviolet"})");
  REQUIRE(u);
  CHECK_FALSE(u->color->is_known());
  CHECK(u->color->str() == "ultraviolet");
  CHECK(encode(*u) == R"({"id":"a","color":"ultraviolet"})");
  auto k = decode<t::item>(R"({"id":"a","color":"default"})");
  REQUIRE(k);
  CHECK(*k->color == t::hue::default_);
}

TEST_CASE("a trailing underscore maps a keyword member to its key") {
  auto r = decode<t::item>(R"({"id":"a","private":true})");
  REQUIRE(r);
  CHECK(r->private_ == true);
  CHECK(encode(*r) == R"({"id":"a","private":true})");
}

TEST_CASE("timestamps with Z, offsets and fractions") {
  using namespace std::chrono;
  auto at = [](std::string_view s) {
    auto r = decode<t::item>(R"({"id":"a","created_at":")" + std::string(s) + R"("})");
    REQUIRE(r);
    return *r->created_at;
  };
  auto base = sys_days{2024y / 3 / 5} + 10h + 20min + 30s;
  CHECK(at("2024-03-05T10:20:30Z").time() == base);
  CHECK(at("2024-03-05T12:20:30+02:00").time() == base);
  CHECK(at("2024-03-05T05:50:30-0430").time() == base);
  CHECK(at("2024-03-05T10:20:30.123456789Z").time() == base + 123456us);
  CHECK(at("2024-03-05T10:20:30.123456789Z") != at("2024-03-05T10:20:30.123456Z"));
  CHECK(at("9999-12-31T23:59:59Z").time() == sys_days{9999y / 12 / 31} + 23h + 59min + 59s);
  CHECK(at("0001-01-01T00:00:00Z").time() == sys_days{1y / 1 / 1});
  CHECK(at("2024-03-05T10:20:30.5Z").time() == base + 500ms);
  CHECK(at("2024-03-05T10:20:30.1234567891234Z") == at("2024-03-05T10:20:30.123456789Z"));
  CHECK(at("2024-03-05").time() == sys_days{2024y / 3 / 5});
  CHECK(at("2024-03-05T12:20:30+02:00").utc_offset_minutes() == 120);
  // Re-encoding keeps the original text.
  auto r = decode<t::item>(R"({"id":"a","created_at":"2024-03-05T12:20:30.50+02:00"})");
  CHECK(encode(*r) == R"({"id":"a","created_at":"2024-03-05T12:20:30.50+02:00"})");
  for (auto bad : {"2024-13-01T00:00:00Z", "2024-02-30", "yesterday", "2024-03-05T25:00:00Z",
                   "2024-03-05T10:20:30+2", "2024-03-05T10:20:30Zjunk", ""}) {
    auto e = decode<t::item>(R"({"id":"a","created_at":")" + std::string(bad) + R"("})");
    REQUIRE_FALSE(e);
    CHECK_THAT(e.error().message, Catch::StartsWith("created_at: expected ISO 8601 date-time"));
  }
  CHECK(uniapi::timestamp(base + 5ms).text() == "2024-03-05T10:20:30.005Z");
  CHECK(uniapi::timestamp().text() == "1970-01-01T00:00:00Z");
  // The text is kept as received, whether or not it is the form `format` writes (which is then
  // not stored but written again): every variant below reads back and re-encodes as it came.
  for (std::string_view text :
       {"2024-03-05T10:20:30Z", "2024-03-05T10:20:30.5Z", "2024-03-05T10:20:30.000001Z",
        "2024-03-05T10:20:30.123456Z", "2024-03-05T10:20:30.50Z", "2024-03-05T10:20:30.0Z",
        "2024-03-05T10:20:30.1234567Z", "2024-03-05T10:20:30.100000Z", "2024-03-05T23:59:60Z",
        "2024-03-05t10:20:30Z", "2024-03-05 10:20:30Z", "2024-03-05T10:20:30z",
        "2024-03-05T10:20:30,5Z", "2024-03-05T10:20Z", "2024-03-05T10:20:30", "2024-03-05",
        "2024-03-05T10:20:30+00:00", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999Z"}) {
    INFO(text);
    auto t = at(text);
    CHECK(t.text() == text);
    CHECK(encode(t) == '"' + std::string(text) + '"');
    uniapi::timestamp reused = at("2024-01-01T00:00:00.123+05:00");
    REQUIRE(reused.assign(text));
    CHECK(reused.text() == text);
  }
}

TEST_CASE("timestamps: every field at and past its limits, against std::chrono") {
  using namespace std::chrono;
  // Each field takes values around its limits (and non-digits), with each separator and zone
  // form: exactly the valid dates and times are accepted, at the instant std::chrono computes.
  std::mt19937 rng(13);
  auto pick = [&](std::initializer_list<const char*> v) {
    return std::string(v.begin()[rng() % v.size()]);
  };
  int checked = 0, valid = 0;
  for (int n = 0; n < 40000; ++n) {
    std::string y = pick({"2024", "2023", "2000", "1900", "0000", "9999", "0001", "20a4", "2O24"});
    std::string mo = pick({"01", "02", "04", "12", "00", "13", "1x"});
    std::string d = pick({"01", "28", "29", "30", "31", "00", "32", "/1"});
    std::string h = pick({"00", "23", "24", "09", ":0"});
    std::string mi = pick({"00", "59", "60"});
    std::string sec = pick({"00", "59", "60", "61", "5"});
    std::string sep = pick({"T", "t", " ", "x"});
    std::string tail = pick({"Z", "", ".5Z", "+02:00", "-0430", "Zq", ".Z"});
    std::string text = y + "-" + mo + "-" + d + sep + h + ":" + mi + ":" + sec + tail;
    INFO(text);
    auto num = [](const std::string& f, int& out) {
      auto [p, ec] = std::from_chars(f.data(), f.data() + f.size(), out);
      return ec == std::errc{} && p == f.data() + f.size() && f.size() >= 2;
    };
    int yi, moi, di, hi, mii, si;
    bool digits = num(y, yi) && y.size() == 4 && num(mo, moi) && num(d, di) && num(h, hi) &&
                  num(mi, mii) && num(sec, si);
    year_month_day ymd{year{digits ? yi : 0}, month{digits ? unsigned(moi) : 0u},
                       day{digits ? unsigned(di) : 0u}};
    bool ok = digits && sep != "x" && ymd.ok() && hi <= 23 && mii <= 59 && si <= 60 &&
              tail != "Zq" && tail != ".Z";
    auto t = uniapi::timestamp::parse(text);
    REQUIRE(t.has_value() == ok);
    ++checked;
    if (!ok) continue;
    ++valid;
    int offset = tail == "+02:00" ? 120 : tail == "-0430" ? -270 : 0;
    auto expect = sys_days{ymd} + hours{hi} + minutes{mii} + seconds{si} - minutes{offset} +
                  (tail == ".5Z" ? microseconds{500000} : microseconds{0});
    CHECK(t->time() == expect);
    CHECK(t->utc_offset_minutes() == offset);
    CHECK(t->text() == text);
  }
  CHECK(checked == 40000);
  CHECK(valid > 500);  // both outcomes are exercised (about 1,100 valid)
}

TEST_CASE("escaped unicode and surrogate pairs decode to UTF-8") {
  auto r = decode<t::item>(R"({"id":"\u00e9\u4e2d\ud83d\ude00\n\"\\","name":"caf\u00E9"})");
  REQUIRE(r);
  CHECK(r->id == "\xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80\n\"\\");
  CHECK(r->name == "caf\xc3\xa9");
  CHECK(encode(*r) ==
        "{\"id\":\"\xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80\\n\\\"\\\\\",\"name\":\"caf\xc3\xa9\"}");
  auto lone = decode<t::item>(R"({"id":"\ud83d"})");  // lone surrogate: Boost.JSON rejects it
  CHECK_FALSE(lone);
}

TEST_CASE("integers beyond 2^53 are exact, beyond the target type they are errors") {
  auto r = decode<t::item>(R"({"id":"a","count":9007199254740993})");
  REQUIRE(r);
  CHECK(*r->count == 9007199254740993LL);
  auto big = decode<t::item>(R"({"id":"a","count":18446744073709551615})");
  REQUIRE_FALSE(big);
  CHECK(big.error().message == "count: integer out of range: 18446744073709551615");
  auto frac = decode<t::item>(R"({"id":"a","count":1.5})");
  REQUIRE_FALSE(frac);
  CHECK(frac.error().message == "count: expected integer, got number 1.5");
  auto whole = decode<t::item>(R"({"id":"a","count":1e3})");
  REQUIRE(whole);
  CHECK(*whole->count == 1000);
  auto dbl = decode<t::item>(R"({"id":"a","score":12})");
  REQUIRE(dbl);
  CHECK(*dbl->score == 12.0);
}

namespace t {
struct nums {
  std::optional<double> x;
  std::optional<float> f;
  std::optional<boost::json::value> any;
  std::optional<uniapi::json::raw_json> raw;
};
BOOST_DESCRIBE_STRUCT(nums, (), (x, f, any, raw))
}  // namespace t

TEST_CASE("numbers past the range of a double: zero when they are zero, else an error") {
  using t::nums;
  // Boost.JSON 1.81 reads 0e400 as NaN (0 x inf); it is a zero, with its sign.
  auto zero = decode<nums>(R"({"x":0e400,"f":-0.0e999,"any":[0E+309,-0e400]})");
  REQUIRE(zero);
  CHECK(*zero->x == 0.0);
  CHECK_FALSE(std::signbit(*zero->x));
  CHECK(*zero->f == 0.0f);
  CHECK(std::signbit(*zero->f));
  CHECK(zero->any->as_array().at(0).as_double() == 0.0);
  CHECK(std::signbit(zero->any->as_array().at(1).as_double()));
  auto again = decode<nums>(encode(*zero));
  REQUIRE(again);
  CHECK(encode(*again) == encode(*zero));
  for (auto [doc, message] :
       {std::pair{R"({"x":1e400})", "x: number out of range: 1e400"},
        std::pair{R"({"f":3.5e38})", "f: number out of range: 3.5e38"},
        std::pair{R"({"any":{"a":[-1e999]}})", "number out of range: -1e999"}}) {
    INFO(doc);
    auto r = decode<nums>(doc);
    REQUIRE_FALSE(r);
    CHECK_THAT(r.error().message, Catch::Contains(message));
  }
  // Raw values keep the text as it came.
  auto raw = decode<nums>(R"({"raw":[1e400,0e400]})");
  REQUIRE(raw);
  CHECK(raw->raw->text() == "[1e400,0e400]");
}

TEST_CASE("remote_data is kept exactly, big numbers included") {
  std::string remote =
      R"({"n":123456789012345678901234567890,"d":0.1000000000000000055511151231257827,)"
      R"("neg":-9223372036854775808,"u":18446744073709551615,"e":1E400,)"
      R"("s":"\u00e9\"x","a":[[],{},null,true,false,[1,[2]]],"o":{"k":{"k":"v"}}})";
  auto r = decode<t::item>(R"({"id":"a","remote_data": )" + remote + "}");
  REQUIRE(r);
  REQUIRE(r->remote_data);
  CHECK(r->remote_data->text() == remote);  // byte for byte, escapes included
  CHECK(encode(*r) == R"({"id":"a","remote_data":)" + r->remote_data->text() + "}");
  auto scalar = decode<t::item>(R"({"id":"a","remote_data":"just a string"})");
  REQUIRE(scalar);
  CHECK(scalar->remote_data->text() == R"("just a string")");
  auto arr = decode<t::item>(R"({"id":"a","remote_data":[1, 2 ,{"a" : [ ] }]})");
  REQUIRE(arr);
  CHECK(arr->remote_data->text() == R"([1, 2 ,{"a" : [ ] }])");  // as received
  CHECK(arr->remote_data->parse().as_array().size() == 3);
}

TEST_CASE("raw values are sliced as received wherever they are") {
  // Array elements, map values, the whole document, after an escaped key, with brackets and
  // escaped quotes inside strings; the same for every chunking.
  using doc_t = t::raw_places;
  const std::string text =
      R"( {"list":[ {"a":"}"} ,[1, "]\"[" ,{}], "s\u00e9", 12.50 ,null ],)"
      R"("by_key":{"x":{ "y" : [ ] },"z":[{"\"":"\\"}]},"after\u005fescaped_key":[ "k" ]} )";
  for (std::size_t chunk = 1; chunk <= text.size(); ++chunk) {
    uniapi::json::stream_decoder<doc_t> d;
    d.gather_small_chunks(false);  // every chunk boundary reaches the parser
    for (std::size_t i = 0; i < text.size(); i += chunk)
      REQUIRE(d.write(std::string_view(text).substr(i, chunk)));
    auto r = d.finish();
    REQUIRE(r);
    REQUIRE(r->list.size() == 5);
    CHECK(r->list[0].text() == R"({"a":"}"})");
    CHECK(r->list[1].text() == R"([1, "]\"[" ,{}])");
    CHECK(r->list[2].text() == "\"s\xc3\xa9\"");  // a bare string is re-emitted
    CHECK(r->list[3].text() == "12.50");
    CHECK(r->list[4].text() == "null");
    CHECK(r->by_key.at("x").text() == R"({ "y" : [ ] })");
    CHECK(r->by_key.at("z").text() == R"([{"\"":"\\"}])");
    REQUIRE(r->after_escaped_key);
    CHECK(r->after_escaped_key->text() == R"([ "k" ])");
  }
  auto whole = decode<uniapi::json::raw_json>(text);
  REQUIRE(whole);
  CHECK(whole->text() == text.substr(1, text.size() - 2));
}

TEST_CASE("boost::json::value and string-keyed maps") {
  auto r = decode<t::with_dom>(R"({"any":{"a":[1,"x",null,2.5,true]},"counts":{"a":1,"b c":2}})");
  REQUIRE(r);
  CHECK(*r->any == boost::json::parse(R"({"a":[1,"x",null,2.5,true]})"));
  CHECK(r->counts.at("b c") == 2);
  auto e = decode<t::with_dom>(R"({"counts":{"a":1,"b":"two"}})");
  REQUIRE_FALSE(e);
  CHECK(e.error().message == "counts.b: expected integer, got string");
}

TEST_CASE("wrong JSON types are errors with their path") {
  CHECK(decode_error(
            R"({"result":[{"id":"a"},{"id":"b"},{"id":"c"},{"id":"d","candidate":{"id":7}}]})") ==
        "result[3].candidate.id: expected string, got number");
  CHECK(decode_error(R"({"result":[{"id":"a","tags":["x",1]}]})") ==
        "result[0].tags[1]: expected string, got number");
  CHECK(decode_error(R"({"result":{}})") == "result: expected array, got object");
  CHECK(decode_error(R"({"result":[{"id":"a","candidate":"c"}]})") ==
        "result[0].candidate: expected object, got string");
  CHECK(decode_error(R"({"result":[{"id":null}]})") == "result[0].id: expected string, got null");
  CHECK(decode_error(R"([])") == "expected object, got array");
  CHECK(decode_error(R"({"result":[],"next_cursor":false})") ==
        "next_cursor: expected string, got boolean");
}

TEST_CASE("missing required keys are errors with their path") {
  CHECK(decode_error(R"({"next_cursor":"x"})") == "result: missing required key");
  CHECK(decode_error(R"({"result":[{"id":"a"},{"name":"b"}]})") ==
        "result[1].id: missing required key");
}

TEST_CASE("malformed and truncated JSON are errors with a position") {
  CHECK_THAT(decode_error(R"({"result":[{"id":"a"},])"), Catch::Contains("malformed JSON at byte"));
  CHECK_THAT(decode_error(R"({"result":[{"id":"a"})"), Catch::Contains("malformed JSON"));
  CHECK_THAT(decode_error(R"({"result":[]} x)"), Catch::Contains("malformed JSON"));
  CHECK_THAT(decode_error(""), Catch::Contains("malformed JSON"));
  CHECK_THAT(decode_error("{\"result\":[{\"id\":\"\xff\"}]}"), Catch::Contains("malformed JSON"));
}

TEST_CASE("stream_decoder gives the same result for every chunking") {
  std::string doc =
      R"({"result":[{"id":"a\u00e9","name":"long name with spaces","count":-123456789,)"
      R"("score":3.25e-2,"remote_data": {"big":123456789012345678901234, "s":"x\"y}]\\\u00e9",)"
      R"( "k":[1,2, {"[":"]"}, [], {}],"\u0022{":"\\"},)"
      R"("created_at":"2024-01-01T00:00:00.5+01:00","tags":["p","q"]},{"id":"b"}],"next_cursor":"c2"})";
  auto whole = decode<t::page>(doc);
  REQUIRE(whole);
  std::string expected = encode(*whole);
  for (std::size_t chunk = 1; chunk <= doc.size(); ++chunk) {
    uniapi::json::stream_decoder<t::page> d;
    d.gather_small_chunks(chunk % 2 == 0);  // odd sizes: every chunk parsed as it comes
    for (std::size_t i = 0; i < doc.size(); i += chunk)
      REQUIRE(d.write(std::string_view(doc).substr(i, chunk)));
    auto r = d.finish();
    REQUIRE(r);
    REQUIRE(encode(*r) == expected);
  }
  uniapi::json::stream_decoder<t::page> truncated;
  REQUIRE(truncated.write(std::string_view(doc).substr(0, doc.size() / 2)));
  auto r = truncated.finish();
  REQUIRE_FALSE(r);
  CHECK_THAT(r.error().message, Catch::Contains("incomplete"));
}

TEST_CASE("a page's records are sized from the first one: one allocation, no moves") {
  // 200 records of about the same size, each with a nested array: the page's vector is reserved
  // once from the first record's bytes (growing by doubling would end at capacity 256 after 8
  // moves of every record); nested arrays are not sized from the page.
  std::string doc = R"({"result":[)";
  for (int i = 0; i < 200; ++i) {
    if (i) doc += ',';
    doc += R"({"id":"r)" + std::to_string(1000 + i) + R"(","name":"record","tags":["a","b","c"]})";
  }
  doc += R"(],"next_cursor":"n"})";
  auto whole = decode<t::page>(doc);
  REQUIRE(whole);
  REQUIRE(whole->result.size() == 200);
  CHECK(whole->result.capacity() >= 200);
  CHECK(whole->result.capacity() <= 210);
  CHECK(whole->result[7].tags->capacity() <= 4);
  CHECK(whole->result[199].id == "r1199");
  // A root array too; in small chunks each chunk's estimate is smaller, the result the same.
  std::string root = R"([1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25])";
  auto ints = decode<std::vector<int>>(root);
  REQUIRE(ints);
  CHECK(ints->size() == 25);
  CHECK(ints->capacity() <= 40);
  // A small first record does not reserve for thousands: at most eight times the input's bytes.
  std::string skewed = R"({"result":[{"id":"x"})";
  for (int i = 0; i < 100; ++i)
    skewed += R"(,{"id":"r","name":")" + std::string(1000, 'n') + R"("})";
  skewed += "]}";
  auto few = decode<t::page>(skewed);
  REQUIRE(few);
  REQUIRE(few->result.size() == 101);
  CHECK(few->result.capacity() * sizeof(t::item) <= 8 * skewed.size());
  // Chunk by chunk, a 100-byte chunk holds about one record: without the document's size the
  // vector grows by doubling (on a thread whose decoders have not seen such a page: the pool is
  // per thread); with it (an HTTP Content-Length) it is sized once, as whole.
  auto in_chunks = [&](const std::string& text) {
    uniapi::json::stream_decoder<t::page> chunked;
    chunked.gather_small_chunks(false);
    for (std::size_t i = 0; i < text.size(); i += 100)
      REQUIRE(chunked.write(std::string_view(text).substr(i, 100)));
    auto r = chunked.finish();
    REQUIRE(r);
    return std::move(*r);
  };
  std::size_t first_capacity = 0;
  std::thread([&] { first_capacity = in_chunks(doc).result.capacity(); }).join();
  CHECK(first_capacity == 256);
  auto r = in_chunks(doc);
  CHECK(encode(r) == encode(*whole));
  uniapi::json::stream_decoder<t::page> sized;
  sized.gather_small_chunks(false);
  sized.expect_size(doc.size());
  for (std::size_t i = 0; i < doc.size(); i += 100)
    REQUIRE(sized.write(std::string_view(doc).substr(i, 100)));
  auto s = sized.finish();
  REQUIRE(s);
  CHECK(encode(*s) == encode(*whole));
  CHECK(s->result.capacity() >= 200);
  CHECK(s->result.capacity() <= 210);
  // A size far larger than the document (a wrong header) costs memory within bounds, nothing
  // else: at most 128 MiB of records reserved.
  uniapi::json::stream_decoder<t::page> lied;
  lied.expect_size(std::size_t{1} << 40);
  REQUIRE(lied.write(doc));
  auto l = lied.finish();
  REQUIRE(l);
  CHECK(encode(*l) == encode(*whole));
  CHECK(l->result.capacity() * sizeof(t::item) <= (std::size_t{128} << 20));
}

TEST_CASE("without the document's size, a page is sized from the previous page of its kind") {
  // A listing read without Content-Length (chunked transfer): the first page grows by doubling,
  // the next ones are reserved from the previous page's length, so they neither move their
  // records nor make the allocator hand memory back and fault it in again.
  auto page_of = [](int n) {
    std::string doc = R"({"result":[)";
    for (int i = 0; i < n; ++i) {
      if (i) doc += ',';
      doc += R"({"id":"r)" + std::to_string(1000 + i) + R"(","name":"record"})";
    }
    return doc + R"(],"next_cursor":"n"})";
  };
  auto in_chunks = [](const std::string& text) {
    uniapi::json::stream_decoder<t::page> d;
    d.gather_small_chunks(false);  // each 1 KiB chunk holds about 25 records
    for (std::size_t i = 0; i < text.size(); i += 1024)
      REQUIRE(d.write(std::string_view(text).substr(i, 1024)));
    auto r = d.finish();
    REQUIRE(r);
    return std::move(*r);
  };
  const std::string big = page_of(300), small = page_of(20), tiny = page_of(17);
  const std::string big_json = encode(*decode<t::page>(big));
  const std::string small_json = encode(*decode<t::page>(small));
  std::vector<std::size_t> capacity;
  std::size_t whole_capacity = 0;
  std::thread([&] {  // a fresh thread: its pooled decoders have seen no page yet
    for (const std::string* text : {&big, &big, &small, &big}) {
      t::page p = in_chunks(*text);
      REQUIRE(encode(p) == (text == &small ? small_json : big_json));
      capacity.push_back(p.result.capacity());
    }
    // A whole buffer knows its size and is not swayed by the previous page.
    whole_capacity = decode<t::page>(tiny)->result.capacity();
  })
      .join();
  REQUIRE(capacity.size() == 4);
  CHECK(capacity[0] > 300);     // grown by doubling
  CHECK(capacity[1] == 300);    // reserved once from the previous page
  CHECK(capacity[2] <= 300);    // a smaller page: at most what the previous one held
  CHECK(capacity[3] >= 300);    // after a small page it grows again (the hint is only a hint)
  CHECK(whole_capacity < 100);  // sized from its own bytes (17 records), not as 300
}

TEST_CASE("decode_into overwrites what was there") {
  t::page p;
  REQUIRE(uniapi::json::decode_into(
      p, R"({"result":[{"id":"a","name":"x"},{"id":"b"}],"next_cursor":"n"})"));
  REQUIRE(uniapi::json::decode_into(p, R"({"result":[{"id":"c"}]})"));
  REQUIRE(p.result.size() == 1);
  CHECK(p.result[0].id == "c");
  CHECK_FALSE(p.result[0].name);
  CHECK_FALSE(p.next_cursor);
}

TEST_CASE("encode omits empty optionals and round-trips") {
  t::item i{.id = "x", .name = std::nullopt, .tags = std::vector<std::string>{"a"}};
  CHECK(encode(i) == R"({"id":"x","tags":["a"]})");
  auto back = decode<t::item>(encode(i));
  REQUIRE(back);
  CHECK(encode(*back) == encode(i));
  t::item control{.id = std::string("\x01\t", 2)};
  CHECK(encode(control) == R"({"id":"\u0001\t"})");
}

namespace t {
struct streamed {
  uniapi::json::item_stream<item> result;
  std::optional<std::string> next_cursor;
};
BOOST_DESCRIBE_STRUCT(streamed, (), (result, next_cursor))
}  // namespace t

namespace {
std::string numbered_page(std::size_t n) {
  std::string s = R"({"result":[)";
  for (std::size_t i = 0; i < n; ++i) {
    if (i) s += ',';
    s += R"({"id":"r)" + std::to_string(i) + R"(","count":)" + std::to_string(i) +
         (i % 3 ? R"(,"name":"item number )" + std::to_string(i) + "\"" : std::string()) +
         (i % 4 == 1 ? R"(,"remote_data":{"i":)" + std::to_string(i) + "}" : std::string()) + "}";
  }
  return s + R"(],"next_cursor":"after"})";
}
}  // namespace

TEST_CASE("item_stream hands each element over once, in order, whatever the chunking") {
  const std::string doc = numbered_page(40);
  auto reference = decode<t::page>(doc);
  REQUIRE(reference);
  for (std::size_t chunk : {std::size_t{1}, std::size_t{3}, std::size_t{64}, doc.size()}) {
    std::vector<std::string> seen;
    t::streamed page{uniapi::json::item_stream<t::item>([&](t::item& it) {
      seen.push_back(encode(it));
      return true;
    })};
    uniapi::json::stream_decoder<t::streamed> d(std::move(page));
    d.gather_small_chunks(chunk != 3);
    for (std::size_t i = 0; i < doc.size(); i += chunk)
      REQUIRE(d.write(std::string_view(doc).substr(i, chunk)));
    auto r = d.finish();
    REQUIRE(r);
    CHECK(r->next_cursor == "after");
    CHECK(r->result.delivered() == 40);
    REQUIRE(seen.size() == 40);
    // The element object is reused: members absent from one item must not leak from the last.
    for (std::size_t i = 0; i < seen.size(); ++i)
      CHECK(seen[i] == encode(reference->result[i]));
  }
}

TEST_CASE("item_stream: false from the callback stops decoding with errc::stopped") {
  std::size_t calls = 0;
  t::streamed page{uniapi::json::item_stream<t::item>([&](t::item&) { return ++calls < 5; })};
  auto r = uniapi::json::decode_into(page, numbered_page(40));
  REQUIRE_FALSE(r);
  CHECK(r.error().condition() == uniapi::errc::stopped);
  CHECK(calls == 5);
  CHECK_THAT(r.error().message, Catch::Contains("after result[4]"));
}

TEST_CASE("item_stream: a bad element is an error with its index and is not delivered") {
  std::string doc = numbered_page(10);
  doc.replace(doc.find(R"("count":7)"), 9, R"("count":"seven")");
  std::vector<std::string> ids;
  t::streamed page{uniapi::json::item_stream<t::item>([&](t::item& it) {
    ids.push_back(it.id);
    return true;
  })};
  auto r = uniapi::json::decode_into(page, doc);
  REQUIRE_FALSE(r);
  CHECK(r.error().condition() == uniapi::errc::decode_failed);
  CHECK(r.error().message == "result[7].count: expected integer, got string");
  CHECK(ids == std::vector<std::string>{"r0", "r1", "r2", "r3", "r4", "r5", "r6"});
}

TEST_CASE("item_stream: an exception from the callback propagates and ends the document") {
  t::streamed page{uniapi::json::item_stream<t::item>([&](t::item& it) -> bool {
    if (it.id == "r2") throw std::runtime_error("disk full");
    return true;
  })};
  uniapi::json::stream_decoder<t::streamed> d(std::move(page));
  auto feed = [&] {
    (void)d.write(numbered_page(5));
    return d.finish();
  };
  CHECK_THROWS_WITH(feed(), "disk full");
  auto r = d.finish();
  REQUIRE_FALSE(r);
  CHECK(r.error().condition() == uniapi::errc::stopped);
}

TEST_CASE("decode_into over a previous value gives what a fresh decode gives") {
  // Larger then smaller, smaller then larger, and pages whose items have different members.
  std::vector<std::string> docs = {numbered_page(30),
                                   numbered_page(7),
                                   numbered_page(50),
                                   R"({"result":[{"id":"only","tags":["x"],"score":1.5,)"
                                   R"("created_at":"2024-01-01T00:00:00Z","color":"purple"}]})",
                                   numbered_page(3),
                                   R"({"result":[]})",
                                   numbered_page(12)};
  t::page reused;
  for (const auto& doc : docs) {
    auto fresh = decode<t::page>(doc);
    REQUIRE(fresh);
    REQUIRE(uniapi::json::decode_into(reused, doc));
    CHECK(encode(reused) == encode(*fresh));
  }
}

TEST_CASE("member lookup: keys in any order, near-miss keys, a perfect index for every model") {
  // Reverse declaration order; "nbme" has the length, first, middle and last bytes of "name"
  // (the hash's features, so the same bucket) and must not overwrite it.
  auto r = decode<t::item>(
      R"({"tags":["a"],"private":true,"score":1.5,"count":2,"created_at":"2024-01-01",)"
      R"("color":"red","candidate":{"id":"c"},"name":"n","nbme":"x","id":"a"})");
  REQUIRE(r);
  CHECK(r->id == "a");
  CHECK(r->name == "n");
  CHECK(r->count == 2);
  CHECK(r->score == 1.5);
  CHECK(r->tags == std::vector<std::string>{"a"});
  CHECK(r->candidate->id == "c");
  CHECK_FALSE(decode<t::item>(R"({"ID":"a"})"));  // keys are case-sensitive: id is missing
  boost::mp11::mp_for_each<uniapi::truto::ats::all_resources>([](auto r) {
    using model = typename decltype(r)::model;
    STATIC_REQUIRE(uniapi::json::detail::codec<model>::index.perfect());
  });
}

TEST_CASE(
    "encode writes raw values on one line: whitespace between tokens dropped, the rest kept") {
  // Pretty-printed with LF, CRLF and tabs; spaces, tabs (escaped) and newlines (escaped) inside
  // strings, escaped quotes and backslashes before whitespace, big numbers, duplicate keys.
  const std::string pretty =
      "{\r\n\t\"name\" : \"Jane  Doe \\\" \\\\\" ,\n  \"note\": \"line\\nnext\\t \\r\\n  x\",\n"
      "  \"big\" :  123456789012345678901234567890 ,\r\n  \"d\": 1.50E+3,\n"
      "  \"dup\": 1, \"dup\" : 2,\n  \"list\" : [ 1 ,\t2 , { } , [ ] , \"a b\" ],\n"
      "  \"\\\"k y\\\\\" :\tnull\n}";
  const std::string compact =
      "{\"name\":\"Jane  Doe \\\" \\\\\",\"note\":\"line\\nnext\\t \\r\\n  x\","
      "\"big\":123456789012345678901234567890,\"d\":1.50E+3,"
      "\"dup\":1,\"dup\":2,\"list\":[1,2,{},[],\"a b\"],"
      "\"\\\"k y\\\\\":null}";
  auto r = decode<t::item>("{\"id\":\"a\",\"remote_data\":" + pretty + "}");
  REQUIRE(r);
  CHECK(r->remote_data->text() == pretty);  // kept as received
  const std::string line = encode(*r);
  CHECK(line == "{\"id\":\"a\",\"remote_data\":" + compact + "}");
  CHECK(line.find_first_of("\r\n\t") == std::string::npos);
  CHECK(boost::json::parse(line).at("remote_data") == boost::json::parse(pretty));

  // Whitespace-free text is copied as is; whitespace-only edges and every chunk size of the
  // escape scanner (strings longer than 16 bytes with the quote at every position).
  std::string out;
  uniapi::json::write_compact(out, compact);
  CHECK(out == compact);
  for (std::size_t n = 0; n < 40; ++n) {
    std::string s(n, 'x');
    std::string text = " [ \"" + s + "\\\" " + s + "\" ,\n\"" + s + "\" ] ";
    out.clear();
    uniapi::json::write_compact(out, text);
    CHECK(out == "[\"" + s + "\\\" " + s + "\",\"" + s + "\"]");
  }
}

TEST_CASE("decoding is re-entrant: an item callback may decode values of the same types") {
  const std::string doc = numbered_page(20);
  std::vector<std::string> inner;
  t::streamed outer{uniapi::json::item_stream<t::item>([&](t::item& it) {
    // The same types as the outer decode, whole and streamed.
    auto again = decode<t::item>(encode(it));
    REQUIRE(again);
    t::streamed nested{uniapi::json::item_stream<t::item>([&](t::item& n) {
      inner.push_back(n.id);
      return true;
    })};
    REQUIRE(uniapi::json::decode_into(nested, numbered_page(2)));
    auto page = decode<t::page>(numbered_page(1));
    REQUIRE(page);
    inner.push_back(again->id);
    return true;
  })};
  auto r = uniapi::json::decode_into(outer, doc);
  REQUIRE(r);
  CHECK(outer.next_cursor == "after");
  CHECK(outer.result.delivered() == 20);
  REQUIRE(inner.size() == 60);
  CHECK(inner[2] == "r0");
  CHECK(inner[59] == "r19");
}

TEST_CASE("item_stream takes an object too: its values in document order (truto_key_by pages)") {
  const std::string doc =
      R"({"result":{"z":{"id":"r0","count":0},"a":{"id":"r1","name":"n"},"m":{"id":"r2"}},)"
      R"("next_cursor":"after"})";
  for (std::size_t chunk : {std::size_t{1}, std::size_t{5}, doc.size()}) {
    std::vector<std::string> ids;
    t::streamed page{uniapi::json::item_stream<t::item>([&](t::item& it) {
      ids.push_back(it.id + (it.name ? "/" + *it.name : ""));
      return true;
    })};
    uniapi::json::stream_decoder<t::streamed> d(std::move(page));
    d.gather_small_chunks(false);
    for (std::size_t i = 0; i < doc.size(); i += chunk)
      REQUIRE(d.write(std::string_view(doc).substr(i, chunk)));
    auto r = d.finish();
    REQUIRE(r);
    CHECK(r->next_cursor == "after");
    CHECK(ids == std::vector<std::string>{"r0", "r1/n", "r2"});
  }
  std::vector<std::string> ids;
  t::streamed page{uniapi::json::item_stream<t::item>([&](t::item& it) {
    ids.push_back(it.id);
    return ids.size() < 2;
  })};
  auto stopped = uniapi::json::decode_into(page, doc);
  REQUIRE_FALSE(stopped);
  CHECK(stopped.error().condition() == uniapi::errc::stopped);
  CHECK(ids.size() == 2);
  auto bad = uniapi::json::decode<t::streamed>(R"({"result":{"k1":{"id":"a"},"k2":{"id":3}}})");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message == "result.k2.id: expected string, got number");
  CHECK(decode_error(R"({"result":{"k":{"id":"a"}}})") == "result: expected array, got object");
}

// ---- public customisation: JSON names and user value types ---------------------------------

namespace custom {
struct link {
  std::string class_name;               // "class"
  std::optional<std::string> next_url;  // "next"
  std::optional<std::string> type_;     // "type" (the default rule)
  std::optional<std::string> plain;     // "plain"
};
BOOST_DESCRIBE_STRUCT(link, (), (class_name, next_url, type_, plain))

enum class stage { phone_screen, onsite };
BOOST_DESCRIBE_ENUM(stage, phone_screen, onsite)

// Money in cents, written as a decimal string ("12.34"); not described.
struct cents {
  std::int64_t value = 0;
  friend bool operator==(const cents&, const cents&) = default;
};

// A duration in whole seconds, written as a JSON number.
struct seconds {
  std::int64_t count = 0;
};

struct order {
  cents price;
  std::optional<cents> discount;
  std::vector<cents> parts;
  std::optional<seconds> ttl;
  std::optional<uniapi::open_enum<stage>> current_stage;
  std::optional<stage> exact_stage;
};
BOOST_DESCRIBE_STRUCT(order, (), (price, discount, parts, ttl, current_stage, exact_stage))
}  // namespace custom

template <>
struct uniapi::wire_names<custom::link> {
  static constexpr std::string_view name(std::string_view member) noexcept {
    if (member == "class_name") return "class";
    if (member == "next_url") return "next";
    return uniapi::default_wire_name(member);
  }
};

template <>
struct uniapi::wire_names<custom::stage> {
  static constexpr std::string_view name(std::string_view e) noexcept {
    return e == "phone_screen" ? "Phone Screen" : "On-site";
  }
};

template <>
struct uniapi::json::value_traits<custom::cents> {
  using wire_type = std::string;
  static bool from_wire(const std::string& w, custom::cents& out, std::string& error) {
    auto dot = w.find('.');
    if (dot == std::string::npos || w.size() - dot != 3 || dot == 0) {
      error = "not a decimal amount with two decimals: \"" + w + "\"";
      return false;
    }
    std::int64_t units = 0, hundredths = 0;
    auto [p, ec] = std::from_chars(w.data(), w.data() + dot, units);
    auto [q, ec2] = std::from_chars(w.data() + dot + 1, w.data() + w.size(), hundredths);
    if (ec != std::errc{} || ec2 != std::errc{} || p != w.data() + dot ||
        q != w.data() + w.size()) {
      error = "not a decimal amount with two decimals: \"" + w + "\"";
      return false;
    }
    out.value = units * 100 + hundredths;
    return true;
  }
  static std::string to_wire(const custom::cents& c) {
    std::string s = std::to_string(c.value / 100) + ".";
    s += static_cast<char>('0' + c.value % 100 / 10);
    s += static_cast<char>('0' + c.value % 10);
    return s;
  }
};

template <>
struct uniapi::json::value_traits<custom::seconds> {
  using wire_type = std::int64_t;
  static bool from_wire(std::int64_t w, custom::seconds& out, std::string& error) {
    if (w < 0) {
      error = "a duration cannot be negative";
      return false;
    }
    if (w > 100LL * 366 * 86400) return false;  // refused without a message
    out.count = w;
    return true;
  }
  static std::int64_t to_wire(const custom::seconds& s) { return s.count; }
};

TEST_CASE("wire_names renames members and enumerators everywhere JSON names are used") {
  const std::string text = R"({"class":"a","next":"https://x/?c=2","type":"t","plain":"p"})";
  auto l = decode<custom::link>(text);
  REQUIRE(l);
  CHECK(l->class_name == "a");
  CHECK(l->next_url == "https://x/?c=2");
  CHECK(l->type_ == "t");
  CHECK(encode(*l) == text);
  // Streaming decode and the perfect-hash member lookup use the same names (keys out of order).
  auto reordered = decode<custom::link>(R"({"plain":"p","type":"t","next":"n","class":"c"})");
  REQUIRE(reordered);
  CHECK(reordered->class_name == "c");
  CHECK(reordered->next_url == "n");
  auto missing = decode<custom::link>(R"({"class_name":"a"})");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().message == "class: missing required key");
  uniapi::query_string q;
  uniapi::append_query(q, *l);
  CHECK(q.str() == "class=a&next=https%3A%2F%2Fx%2F%3Fc%3D2&type=t&plain=p");

  CHECK(uniapi::enum_name(custom::stage::phone_screen) == "Phone Screen");
  auto o = decode<custom::order>(
      R"({"price":"1.00","parts":[],"current_stage":"On-site","exact_stage":"Phone Screen"})");
  REQUIRE(o);
  CHECK(*o->current_stage == custom::stage::onsite);
  CHECK(o->exact_stage == custom::stage::phone_screen);
  auto spelled = decode<custom::order>(R"({"price":"1.00","parts":[],"exact_stage":"onsite"})");
  REQUIRE_FALSE(spelled);
  CHECK(spelled.error().message == "exact_stage: unknown value \"onsite\"");
}

TEST_CASE("value_traits: a user type read and written through a type the codec knows") {
  const std::string text =
      R"({"price":"12.34","discount":"0.05","parts":["1.00","11.29"],"ttl":3600})";
  auto o = decode<custom::order>(text);
  REQUIRE(o);
  CHECK(o->price.value == 1234);
  CHECK(o->discount->value == 5);
  CHECK(o->parts == std::vector<custom::cents>{{100}, {1129}});
  CHECK(o->ttl->count == 3600);
  CHECK(encode(*o) == text);
  // Chunked, and into a reused object.
  uniapi::json::stream_decoder<custom::order> d;
  d.gather_small_chunks(false);
  for (char c : text)
    REQUIRE(d.write(std::string_view(&c, 1)));
  auto chunked = d.finish();
  REQUIRE(chunked);
  CHECK(encode(*chunked) == text);
  REQUIRE(uniapi::json::decode_into(*o, R"({"price":"0.99","parts":[]})"));
  CHECK(encode(*o) == R"({"price":"0.99","parts":[]})");

  // Errors carry the path: the wire type's own, then the conversion's.
  auto wrong_kind = decode<custom::order>(R"({"price":12.34,"parts":[]})");
  REQUIRE_FALSE(wrong_kind);
  CHECK(wrong_kind.error().message == "price: expected string, got number");
  auto bad = decode<custom::order>(R"({"price":"1.00","parts":["1.00","12"]})");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message == "parts[1]: not a decimal amount with two decimals: \"12\"");
  auto negative = decode<custom::order>(R"({"price":"1.00","parts":[],"ttl":-1})");
  REQUIRE_FALSE(negative);
  CHECK(negative.error().message == "ttl: a duration cannot be negative");
  // A refusal without a message says so; the previous document's message (same pooled decoder)
  // is not reused.
  auto refused = decode<custom::order>(R"({"price":"1.00","parts":[],"ttl":99999999999})");
  REQUIRE_FALSE(refused);
  CHECK(refused.error().message == "ttl: invalid value");
  auto fraction = decode<custom::order>(R"({"price":"1.00","parts":[],"ttl":1.5})");
  REQUIRE_FALSE(fraction);
  CHECK(fraction.error().message == "ttl: expected integer, got number 1.5");

  // Query strings write the wire form.
  uniapi::query_string q;
  uniapi::append_query(q, custom::order{.price = {250}, .ttl = custom::seconds{60}});
  CHECK(q.str() == "price=2.50&ttl=60");
}
