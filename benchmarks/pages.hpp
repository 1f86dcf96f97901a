// The Truto pages the benchmarks decode, built from the deterministic test fixtures.
#ifndef UNIAPI_BENCHMARKS_PAGES_HPP
#define UNIAPI_BENCHMARKS_PAGES_HPP

#include <uniapi/testing/record_generator.hpp>
#include <uniapi/truto/ats.hpp>
#include <uniapi/truto/testing/fixtures.hpp>

#include <string>
#include <string_view>

namespace pages {

using attachments_page = uniapi::truto::page<uniapi::truto::ats::attachment>;
using candidates_page = uniapi::truto::page<uniapi::truto::ats::candidate>;

inline std::string wrap(const std::vector<std::string>& records, std::size_t n) {
  std::string s = "{\"result\":[";
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (i) s += ',';
    s += records[i];
  }
  return s + "],\"next_cursor\":\"cursor-after-" + std::to_string(n) + "\"}";
}

/// `remote_data` of attachment `i` the size real providers send (about 1.7 KB): the provider's
/// attachment object with a signed download URL, the uploader, a candidate summary, custom
/// fields, plus the fixture's hard cases (an integer beyond 2^64, a 34-digit decimal, escapes).
inline std::string rich_remote_data(std::size_t i) {
  std::string n = std::to_string(i);
  std::string sig;
  for (std::size_t k = 0; k < 64; ++k)
    sig += "0123456789abcdef"[(i * 7 + k * 13) % 16];
  std::string s = "{\"id\":9" + n + "123456789012345678901234567890,\"index\":" + n +
                  ",\"ratio\":0.1000000000000000055511151231257827";
  s += ",\"filename\":\"r\\u00e9sum\\u00e9-" + n + ".pdf\",\"type\":\"resume\"";
  s += ",\"content_type\":\"application/pdf\",\"size\":" + std::to_string(1000 + i * 7919 % 50000);
  s += ",\"url\":\"https://prod-attachments.s3.amazonaws.com/person_attachments/data/" + n +
       "/original/"
       "resume.pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAEXAMPLE%2F20240102"
       "%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20240102T030405Z&X-Amz-Expires=604800"
       "&X-Amz-SignedHeaders=host&X-Amz-Signature=" +
       sig + "\"";
  s += ",\"created_at\":\"2024-01-02T03:04:05.123Z\",\"updated_at\":\"2024-01-03T04:05:06Z\"";
  s += ",\"uploaded_by\":{\"id\":" + std::to_string(4000 + i % 50) +
       ",\"first_name\":\"Zo\\u00eb\",\"last_name\":\"O'Brien\",\"name\":\"Zo\\u00eb O'Brien\","
       "\"employee_id\":null,\"primary_email_address\":\"zoe.obrien@example.com\",\"disabled\":"
       "false,"
       "\"site_admin\":true,\"created_at\":\"2019-05-06T07:08:09Z\"}";
  s += ",\"candidate\":{\"id\":" + std::to_string(10000000 + i / 3) +
       ",\"first_name\":\"Jos\\u00e9\",\"last_name\":\"Garc\\u00eda\",\"company\":\"Acme, Inc.\","
       "\"title\":\"Senior \\\"Platform\\\" Engineer\",\"is_private\":false,\"can_email\":true,"
       "\"phone_numbers\":[{\"value\":\"+1 (555) 010-" +
       std::to_string(1000 + i % 9000) +
       "\",\"type\":\"mobile\"}],\"email_addresses\":[{\"value\":\"jose.garcia" + n +
       "@example.com\",\"type\":\"personal\"},{\"value\":\"jgarcia@acme.example\",\"type\":"
       "\"work\"}],"
       "\"tags\":[\"Referral\",\"Backend\",\"Remote \\u2014 EU\"],\"recruiter\":null}";
  s += ",\"custom_fields\":[";
  static const char* fields[][2] = {{"desired_salary", "\"$120,000\""},
                                    {"notice_period_days", "30"},
                                    {"willing_to_relocate", "true"},
                                    {"source_detail", "null"},
                                    {"languages", "[\"en\",\"es\",\"fr\"]"},
                                    {"notes", "\"Met at conference;\\nfollow up in Q2\""}};
  for (std::size_t k = 0; k < 6; ++k) {
    if (k) s += ',';
    s += std::string("{\"name\":\"") + fields[k][0] + "\",\"name_key\":\"" + fields[k][0] +
         "\",\"value\":" + fields[k][1] + ",\"private\":" + (k % 2 ? "true" : "false") + "}";
  }
  s += "],\"nested\":{\"deep\":[{\"k\":null,\"t\":true}]},\"text\":\"line\\nbreak\"}";
  return s;
}

/// A Truto attachments page of `n` records (about 2.2 KB each), with `remote_data` or as
/// `truto_ignore_remote_data=true` returns it. Records come from the test fixture (absent and
/// null optionals, unknown keys, enum values outside the spec, escapes, varied timestamps).
inline std::string attachments(std::size_t n, bool with_remote_data) {
  std::vector<std::string> records;
  for (std::size_t i = 0; i < n; ++i) {
    auto r = uniapi::testing::attachment_record(i);
    for (auto& [k, v] : r)
      if (k == "remote_data") v = rich_remote_data(i);
    records.push_back(with_remote_data ? uniapi::testing::to_json(r)
                                       : uniapi::testing::to_json(r, {"remote_data"}));
  }
  return wrap(records, n);
}

/// A Truto candidates page of `n` records: nested phones, emails, applications with their
/// stages and jobs, attachments, tags, and `remote_data`.
inline std::string candidates(std::size_t n) {
  std::vector<std::string> records;
  for (std::size_t i = 0; i < n; ++i)
    records.push_back(uniapi::testing::to_json(
        uniapi::testing::generate_record<uniapi::truto::ats::candidate>("cand", i)));
  return wrap(records, n);
}

}  // namespace pages

#endif
