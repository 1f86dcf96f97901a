// uniapi — deterministic Truto records for tests and the Truto server: attachments with the
// irregularities of real data, and Greenhouse-shaped records of the Proxy API.
#ifndef UNIAPI_TRUTO_TESTING_FIXTURES_HPP
#define UNIAPI_TRUTO_TESTING_FIXTURES_HPP

#include <uniapi/testing/json_record.hpp>

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace uniapi::testing {

/// Candidate `i` of a provider's own API as Truto's Proxy API returns it (Greenhouse-shaped:
/// numeric ids, nested contact lists, custom fields, nulls), for `/proxy/candidates`. Its id is
/// the number `4100<i>`.
inline json_record proxy_candidate_record(std::size_t i) {
  std::string n = std::to_string(i);
  auto q = [](std::string_view s) { return "\"" + std::string(s) + "\""; };
  json_record r;
  r.emplace_back("id", "4100" + n);
  r.emplace_back("first_name", q(i % 3 == 0 ? "Jos\\u00e9" : "Ada"));
  r.emplace_back("last_name", q("Lovelace " + n));
  r.emplace_back("company", i % 4 == 0 ? "null" : q("Analytical Engines, Ltd."));
  r.emplace_back("title", q("Engineer"));
  r.emplace_back("created_at", q("2024-01-0" + std::to_string(1 + i % 9) + "T10:00:00.000Z"));
  r.emplace_back("updated_at", q("2024-02-01T10:00:00.000Z"));
  r.emplace_back("is_private", i % 5 == 0 ? "true" : "false");
  r.emplace_back("photo_url", "null");
  r.emplace_back("application_ids",
                 "[" + std::to_string(7000 + i) + "," + std::to_string(8000 + i) + "]");
  r.emplace_back("phone_numbers", "[{\"value\":\"+1 555 010 " + n + "\",\"type\":\"mobile\"}]");
  r.emplace_back("email_addresses",
                 "[{\"value\":\"ada" + n + "@example.com\",\"type\":\"personal\"}]");
  r.emplace_back("tags", "[\"proxy\",\"greenhouse\"]");
  r.emplace_back("custom_fields",
                 "{\"desired_salary\":" + std::to_string(100000 + i * 1000) + ",\"notes\":null}");
  return r;
}

/// Job `i` of a provider's own API as Truto's Proxy API returns it (Greenhouse-shaped), for
/// `/proxy/jobs`. Its id is the number `5200<i>`.
inline json_record proxy_job_record(std::size_t i) {
  std::string n = std::to_string(i);
  auto q = [](std::string_view s) { return "\"" + std::string(s) + "\""; };
  json_record r;
  r.emplace_back("id", "5200" + n);
  r.emplace_back("name", q("Platform Engineer " + n));
  r.emplace_back("requisition_id", q("REQ-" + n));
  r.emplace_back("status", q(i % 4 == 3 ? "closed" : "open"));
  r.emplace_back("confidential", "false");
  r.emplace_back("opened_at", q("2023-11-01T09:00:00.000Z"));
  r.emplace_back("closed_at", i % 4 == 3 ? q("2024-03-01T09:00:00.000Z") : "null");
  r.emplace_back("departments",
                 "[{\"id\":" + std::to_string(30 + i % 3) + ",\"name\":\"Engineering\"}]");
  r.emplace_back("offices", "[{\"id\":9,\"name\":\"Remote\",\"location\":{\"name\":null}}]");
  r.emplace_back("openings", "[{\"id\":" + std::to_string(600 + i) +
                                 ",\"opening_id\":null,\"status\":\"open\"}]");
  return r;
}

/// The size of the file behind attachment `i`'s `file_url`.
inline std::uint64_t attachment_file_size(std::size_t i) {
  return 1000 + (i * 7919) % 50000;
}

/// Attachment number `i` as Truto would send it, with the irregularities of real data: absent
/// optionals, nulls, unknown keys, an enum value outside the spec, escaped unicode, timestamps
/// with offsets and fractions, and `remote_data` with integers beyond 2^64.
inline json_record attachment_record(std::size_t i) {
  char id[32];
  std::snprintf(id, sizeof id, "att_%05zu", i);
  auto q = [](std::string_view s) { return "\"" + std::string(s) + "\""; };
  json_record r;
  r.emplace_back("id", q(id));
  if (i % 7 != 3)
    r.emplace_back("file_name", i % 2 ? q("r\\u00e9sum\\u00e9-" + std::to_string(i) + ".pdf")
                                      : q("cover letter " + std::to_string(i) + ".docx"));
  else
    r.emplace_back("file_name", "null");
  r.emplace_back("file_url", q("https://files.local.test/attachments/" + std::string(id) +
                               "/file.bin?size=" + std::to_string(attachment_file_size(i))));
  if (i % 5 != 4) r.emplace_back("candidate", "{\"id\":\"cand_" + std::to_string(i / 3) + "\"}");
  r.emplace_back("application", i % 3 == 0 ? "{\"id\":\"app_" + std::to_string(i) + "\"}" : "null");
  r.emplace_back("job", "{\"id\":\"job_" + std::to_string(i % 11) + "\",\"name\":\"extra key\"}");
  static const char* kinds[] = {"resume", "cover_letter", "other", "portfolio"};
  if (i % 9 != 8) r.emplace_back("attachment_type", q(kinds[i % 4]));
  static const char* times[] = {"2024-01-02T03:04:05Z", "2024-01-02T05:04:05.123+02:00",
                                "2023-12-31T22:04:05.123456-05:00", "2024-02-29T00:00:00.5Z"};
  r.emplace_back("created_at", q(times[i % 4]));
  r.emplace_back("updated_at", i % 4 == 0 ? "null" : q(times[(i + 1) % 4]));
  r.emplace_back("x_provider_field", "{\"a\":[1,2,{\"b\":null}],\"c\":\"\\ud83d\\ude00\"}");
  r.emplace_back("remote_data",
                 "{\"id\":9" + std::to_string(i) +
                     "123456789012345678901234567890,\"index\":" + std::to_string(i) +
                     ",\"ratio\":0.1000000000000000055511151231257827,\"tags\":[\"a\",\"\\u00e9\"],"
                     "\"nested\":{\"deep\":[{\"k\":null,\"t\":true}]},\"text\":\"line\\nbreak\"}");
  return r;
}

}  // namespace uniapi::testing

#endif
