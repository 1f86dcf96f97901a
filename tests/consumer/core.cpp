#include <uniapi/json/decode.hpp>
#include <uniapi/truto/ats/attachment.hpp>

int main() {
  auto a = uniapi::json::decode<uniapi::truto::ats::attachment>(
      R"({"id":"x","attachment_type":"resume"})");
  return a && a->id == "x" && *a->attachment_type == uniapi::truto::ats::attachment_kind::resume
             ? 0
             : 1;
}
