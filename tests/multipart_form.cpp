// parse_multipart_form: the multipart/form-data reader of the test servers, against what
// uniapi's encoder writes, what browsers write, and malformed bodies.
#include <uniapi/testing/multipart_form.hpp>
#include <uniapi/wire/multipart.hpp>

#include "support.hpp"

#include <boost/describe/class.hpp>

using uniapi::testing::parse_multipart_form;

namespace {

struct upload {
  uniapi::file_part file;
  std::optional<std::string> note;
  std::optional<int> count;
  BOOST_DESCRIBE_CLASS(upload, (), (file, note, count), (), ())
};

}  // namespace

TEST_CASE("multipart: what encode_multipart writes reads back part by part") {
  std::string bytes;
  for (int i = 0; i < 1000; ++i)
    bytes += static_cast<char>(i * 37 % 256);  // every byte value, CR and LF and '-' among them
  bytes += "\r\n--";
  upload u{.file = {.filename = "r\u00e9sum\u00e9 \"final\".pdf",
                    .content_type = "application/pdf",
                    .data = bytes},
           .note = "hello\r\nworld",
           .count = 3};
  auto body = uniapi::encode_multipart(u);
  auto parts = parse_multipart_form(body.content_type, body.data);
  REQUIRE(parts);
  REQUIRE(parts->size() == 3);
  const auto& f = (*parts)[0];
  CHECK(f.name == "file");
  CHECK(f.filename == "r\u00e9sum\u00e9 \"final\".pdf");
  CHECK(f.content_type == "application/pdf");
  CHECK(f.data == bytes);
  CHECK((*parts)[1].name == "note");
  CHECK(!(*parts)[1].filename);
  CHECK((*parts)[1].data == "hello\r\nworld");
  CHECK((*parts)[2].name == "count");
  CHECK((*parts)[2].content_type == "application/json");
  CHECK((*parts)[2].data == "3");
}

TEST_CASE("multipart: browsers' forms, quoted boundaries, preambles, empty parts") {
  std::string body =
      "preamble to ignore\r\n"
      "--XyZ\r\n"
      "content-disposition: form-data; name=\"a%22b\"; filename=\"x%0Ay.txt\"\r\n"
      "\r\n"
      "data\r\n"
      "--XyZ   \r\n"
      "Content-Disposition: form-data;name=plain\r\n"
      "\r\n"
      "\r\n"
      "--XyZ--\r\nepilogue";
  auto parts = parse_multipart_form("Multipart/Form-Data; charset=utf-8; boundary=\"XyZ\"", body);
  REQUIRE(parts);
  REQUIRE(parts->size() == 2);
  CHECK((*parts)[0].name == "a\"b");
  CHECK((*parts)[0].filename == "x\ny.txt");
  CHECK((*parts)[0].data == "data");
  CHECK((*parts)[1].name == "plain");
  CHECK((*parts)[1].data.empty());
  // `filename` inside another parameter's value is not a filename.
  auto tricky = parse_multipart_form(
      "multipart/form-data; boundary=b",
      "--b\r\nContent-Disposition: form-data; name=\"filename=x\"\r\n\r\nv\r\n--b--");
  REQUIRE(tricky);
  CHECK((*tricky)[0].name == "filename=x");
  CHECK(!(*tricky)[0].filename);
}

TEST_CASE("multipart: malformed bodies are errors that say what is wrong") {
  auto fails = [](std::string_view type, std::string_view body, std::string_view what) {
    auto r = parse_multipart_form(type, body);
    INFO(body);
    REQUIRE(!r);
    CHECK(r.error().condition() == uniapi::errc::decode_failed);
    CHECK_THAT(r.error().message, Catch::Contains(std::string(what)));
  };
  const char* ok_type = "multipart/form-data; boundary=b";
  fails("application/json", "{}", "not multipart/form-data");
  fails("multipart/form-data", "--b--", "not multipart/form-data");
  fails("multipart/form-data; boundary=\"\"", "--b--", "not multipart/form-data");
  fails(ok_type, "no delimiter here", "no delimiter");
  fails(ok_type, "--bxx\r\n", "not followed by CRLF");
  fails(ok_type, "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n", "no end");
  // Truncated: the body stops inside a part.
  fails(ok_type, "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nhalf a fi",
        "closing delimiter is missing");
  fails(ok_type, "--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--", "no Content-Disposition");
  fails(ok_type, "--b\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n--b--",
        "not form-data");
  fails(ok_type, "--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--", "no name");
  fails(ok_type, "--b\r\nContent-Disposition: form-data; name=\"a\r\n\r\nx\r\n--b--", "no name");
  fails(ok_type, "--b\r\nno colon\r\n\r\nx\r\n--b--", "no colon");
}
