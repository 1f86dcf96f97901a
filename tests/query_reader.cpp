// read_query_parameter and read_query_string: the inverse of append_query, over both providers'
// query types and every member type a query can hold.
#include <uniapi/merge/ats.hpp>
#include <uniapi/truto/ats.hpp>
#include <uniapi/wire/query_reader.hpp>

#include "support.hpp"

#include <boost/describe/class.hpp>

#include <map>

namespace ats = uniapi::truto::ats;
namespace mats = uniapi::merge::ats;
using uniapi::query_parameter_use;
using uniapi::truto::account_id;

namespace {

template <class Query>
std::string written(const Query& q) {
  uniapi::query_string s;
  auto r = q.append_to(s);
  REQUIRE(r);
  return s.str();
}

enum class colour { red, dark_blue_ };
BOOST_DESCRIBE_ENUM(colour, red, dark_blue_)

struct inner {
  std::optional<std::string> id;
  std::optional<std::string> type;
  BOOST_DESCRIBE_CLASS(inner, (), (id, type), (), ())
};

struct everything {
  std::optional<std::string> text;
  std::optional<bool> flag;
  std::optional<std::int64_t> count;
  std::optional<double> ratio;
  std::optional<uniapi::timestamp> when;
  std::optional<colour> plain_enum;
  std::optional<uniapi::open_enum<colour>> open;
  std::vector<std::string> names;
  std::vector<std::int64_t> numbers;
  std::map<std::string, std::string> labels;
  boost::json::object tree;
  std::optional<inner> nested;
  std::vector<std::pair<std::string, std::string>> extra_params;
  BOOST_DESCRIBE_CLASS(everything, (),
                       (text, flag, count, ratio, when, plain_enum, open, names, numbers, labels,
                        tree, nested),
                       (), ())
};

struct no_extras {
  std::optional<std::string> a;
  BOOST_DESCRIBE_CLASS(no_extras, (), (a), (), ())
};

}  // namespace

TEST_CASE("read_query_parameter: each member type reads its wire form") {
  everything e;
  auto set = [&](std::string_view k, std::string_view v) {
    auto r = uniapi::read_query_parameter(e, k, v);
    INFO(k << "=" << v);
    REQUIRE(r);
    CHECK(*r == query_parameter_use::modelled);
  };
  set("text", "a b&c");
  set("flag", "true");
  set("count", "-42");
  set("ratio", "0.25");
  set("when", "2024-01-02T05:04:05+02:00");
  set("plain_enum", "dark_blue");  // the wire name: the trailing underscore dropped
  set("open", "green");            // an open enum keeps a value it does not know
  set("names[]", "x");
  set("names", "y");
  set("names[7]", "z");
  set("numbers[]", "1");
  set("labels[k1]", "v1");
  set("tree[a][b]", "deep");
  set("nested[id]", "u 1");
  CHECK(e.text == "a b&c");
  CHECK(e.flag == true);
  CHECK(e.count == -42);
  CHECK(e.ratio == 0.25);
  REQUIRE(e.when);
  CHECK(e.when->text() == "2024-01-02T05:04:05+02:00");
  CHECK(e.when->time() == uniapi::timestamp::parse("2024-01-02T03:04:05Z")->time());
  CHECK(e.plain_enum == colour::dark_blue_);
  CHECK(e.open->str() == "green");
  CHECK(!e.open->is_known());
  CHECK(e.names == std::vector<std::string>{"x", "y", "z"});
  CHECK(e.numbers == std::vector<std::int64_t>{1});
  CHECK(e.labels.at("k1") == "v1");
  CHECK(e.tree.at("a").as_object().at("b").as_string() == "deep");
  REQUIRE(e.nested);
  CHECK(e.nested->id == "u 1");
  CHECK(!e.nested->type);
  CHECK(e.extra_params.empty());
}

TEST_CASE("read_query_parameter: a value a member cannot hold is an error and sets nothing") {
  everything e;
  for (auto [k, v] :
       std::vector<std::pair<std::string, std::string>>{{"flag", "yes"},
                                                        {"flag", "1"},
                                                        {"count", "4x"},
                                                        {"count", ""},
                                                        {"count", "99999999999999999999"},
                                                        {"ratio", "abc"},
                                                        {"when", "yesterday"},
                                                        {"plain_enum", "purple"},
                                                        {"numbers[]", "one"}}) {
    INFO(k << "=" << v);
    auto r = uniapi::read_query_parameter(e, k, v);
    REQUIRE(!r);
    CHECK(r.error().condition() == uniapi::errc::invalid_argument);
    CHECK_THAT(r.error().message,
               Catch::Contains("malformed value for query parameter \"" + k + "\""));
  }
  CHECK(!e.flag);
  CHECK(!e.count);
  CHECK(!e.ratio);
  CHECK(!e.when);
  CHECK(!e.plain_enum);
  CHECK(e.numbers.empty());
  CHECK(e.extra_params.empty());
}

TEST_CASE("read_query_parameter: unknown keys pass through, malformed keys are errors") {
  everything e;
  auto r = uniapi::read_query_parameter(e, "some_new_filter[op]", "x y");
  REQUIRE(r);
  CHECK(*r == query_parameter_use::passed_through);
  // A known name with a shape the member does not have passes through too (the provider may
  // know it): a scalar with brackets, an index into a struct.
  CHECK(*uniapi::read_query_parameter(e, "text[x]", "1") == query_parameter_use::passed_through);
  CHECK(*uniapi::read_query_parameter(e, "nested[other]", "1") ==
        query_parameter_use::passed_through);
  CHECK(*uniapi::read_query_parameter(e, "names[a]", "1") == query_parameter_use::passed_through);
  CHECK(e.extra_params ==
        std::vector<std::pair<std::string, std::string>>{{"some_new_filter[op]", "x y"},
                                                         {"text[x]", "1"},
                                                         {"nested[other]", "1"},
                                                         {"names[a]", "1"}});
  CHECK(!e.text);
  CHECK(!e.nested);  // not left behind, empty, by the failed lookup
  for (std::string_view bad : {"a[b", "a]b[", "[a]", "", "a[b]c", "a[[b]]"}) {
    INFO(bad);
    auto m = uniapi::read_query_parameter(e, bad, "v");
    REQUIRE(!m);
    CHECK_THAT(m.error().message, Catch::Contains("malformed query parameter name"));
  }
  no_extras n;
  auto u = uniapi::read_query_parameter(n, "b", "1");
  REQUIRE(!u);
  CHECK_THAT(u.error().message, Catch::Contains("unknown query parameter \"b\""));
}

TEST_CASE("read_query_parameter: Truto's queries, common parameters and the resource's own") {
  ats::candidates_resource::list_query q{.integrated_account_id = account_id("acct")};
  for (auto [k, v] :
       std::vector<std::pair<std::string, std::string>>{{"created_at[gte]", "2024-01-01T00:00:00Z"},
                                                        {"created_at", "2024-06-01"},
                                                        {"job_id", "j1"},
                                                        {"truto_exclude_fields[]", "remote_data"},
                                                        {"truto_ignore_remote_data", "true"},
                                                        {"truto_response_format", "raw"},
                                                        {"remote_query[a][b]", "c"},
                                                        {"limit", "5"}}) {
    INFO(k);
    auto r = uniapi::read_query_parameter(q, k, v);
    REQUIRE(r);
    CHECK(*r == query_parameter_use::modelled);
  }
  REQUIRE(q.params.created_at);
  CHECK(q.params.created_at->gte == "2024-01-01T00:00:00Z");
  CHECK(q.params.created_at->eq == "2024-06-01");
  CHECK(q.params.job_id == "j1");
  CHECK(q.limit == 5);
  CHECK(q.truto_response_format->str() == "raw");
  CHECK(written(q) ==
        "integrated_account_id=acct&created_at=2024-06-01&created_at[gte]=2024-01-01T00%3A00%3A00Z"
        "&job_id=j1&truto_response_format=raw&truto_ignore_remote_data=true"
        "&truto_exclude_fields[]=remote_data&remote_query[a][b]=c&limit=5");
  // The activities' nested filter is typed.
  ats::activities_resource::list_query a{.integrated_account_id = account_id("acct")};
  CHECK(*uniapi::read_query_parameter(a, "actor[id]", "u 1") == query_parameter_use::modelled);
  CHECK(a.params.actor->id == "u 1");
}

TEST_CASE("read_query_parameter: Merge's queries, timestamps and comma lists") {
  mats::candidates_resource::list_query q;
  for (auto [k, v] : std::vector<std::pair<std::string, std::string>>{
           {"created_after", "2024-01-02T05:04:05+02:00"},
           {"expand", "applications,attachments"},
           {"include_remote_data", "true"},
           {"page_size", "7"}}) {
    INFO(k);
    auto r = uniapi::read_query_parameter(q, k, v);
    REQUIRE(r);
    CHECK(*r == query_parameter_use::modelled);
  }
  CHECK(q.created_after->text() == "2024-01-02T05:04:05+02:00");
  CHECK(q.expand->names == std::vector<std::string>{"applications", "attachments"});
  CHECK(!uniapi::read_query_parameter(q, "modified_after", "not a date"));
  CHECK(*uniapi::read_query_parameter(q, "unknown_param", "x") ==
        query_parameter_use::passed_through);
  CHECK(written(q) ==
        "page_size=7&created_after=2024-01-02T05%3A04%3A05%2B02%3A00&include_remote_data=true"
        "&expand=applications%2Cattachments&unknown_param=x");
}

TEST_CASE("read_query_string reads back what append_to wrote") {
  ats::activities_resource::list_query q{.integrated_account_id = account_id("a&b=c")};
  q.params.actor = ats::activity_actor{
      .id = "u 1", .type = uniapi::open_enum<ats::actor_kind>::from_string("user")};
  q.params.created_at = uniapi::truto::date_filter{.eq = "2024-01-01", .lt = "2025-01-01"};
  q.limit = 50;
  q.truto_exclude_fields = {"remote_data", "x%y"};
  q.remote_query["k"] = "v w";
  q.extra_params = {{"later[op]", "é/€"}};
  std::string text = written(q);
  ats::activities_resource::list_query back{.integrated_account_id = account_id("other")};
  auto r = uniapi::read_query_string(back, text);
  REQUIRE(r);
  CHECK(written(back) == text);
  CHECK(back.integrated_account_id.str() == "a&b=c");
  CHECK(back.extra_params == q.extra_params);
  CHECK(!uniapi::read_query_string(back, "limit=x"));
  CHECK(uniapi::read_query_string(back, ""));
}

TEST_CASE("read_query_string: raw or encoded brackets, empty pairs, bad escapes") {
  everything e;
  REQUIRE(uniapi::read_query_string(e, "names%5B%5D=a&&names[]=b%26c&text=1+2&tree[x]"));
  CHECK(e.names == std::vector<std::string>{"a", "b&c"});
  CHECK(e.text == "1+2");
  CHECK(e.tree.at("x").as_string() == "");
  auto bad = uniapi::read_query_string(e, "text=%zz");
  REQUIRE(!bad);
  CHECK_THAT(bad.error().message, Catch::Contains("malformed percent escape"));
}
