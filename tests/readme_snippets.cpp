// The code shown in README.md, compiled (and where it can run offline, run) so the docs cannot rot.
#include <uniapi/retrying_transport.hpp>
#include <uniapi/testing/local_server.hpp>
#include <uniapi/transport/beast_transport.hpp>
#include <uniapi/truto/ats.hpp>

#include "support.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>

namespace ats = uniapi::truto::ats;

namespace readme {

void print_attachments(const std::string& token, const std::string& account) {
  uniapi::truto::client<uniapi::beast_transport> client({.token = token},
                                                        uniapi::beast_transport{});
  for (auto& item : client.list_items(ats::attachments,
                                      {.integrated_account_id = uniapi::truto::account_id(account),
                                      .params = {.candidate_id = "cand_1"},
                                      .limit = 100})) {
    if (!item) {  // an error ends the listing; nothing is skipped or repeated
      std::cerr << item.error() << '\n';
      return;
    }
    std::cout << item->id << ' ' << item->file_name.value_or("-") << '\n';
  }
}

struct my_transport {
  uniapi::result<uniapi::http_response> send(const uniapi::http_request& req);
};
static_assert(uniapi::transport<my_transport>);

void construct_clients(const std::string& token) {
  uniapi::truto::client<my_transport> client({.token = "..."}, my_transport{});
  (void)client;
  uniapi::retry_policy policy;
  policy.max_attempts = 5;
  uniapi::truto::client<uniapi::retrying_transport<uniapi::beast_transport>> retrying(
      {.token = token}, {uniapi::beast_transport{}, policy});
  (void)retrying;
}

template <class Client>
void download(Client& client, const std::string& account, const ats::attachment& attachment) {
  std::ofstream out("cv.pdf", std::ios::binary);
  auto info = client.download(ats::attachments_download, {},
                              {.integrated_account_id = uniapi::truto::account_id(account),
                               .params = {.file_url = attachment.file_url.value()}},
                              [&](std::string_view bytes) -> uniapi::result<void> {
                                out.write(bytes.data(), bytes.size());
                                return {};
                              });
  (void)info;
}

template <class Client>
void move_stage(Client& client, const std::string& account) {
  auto app = client.call(ats::applications_move_stage, {.application_id = "123", .stage_id = "456"},
                         {.integrated_account_id = uniapi::truto::account_id(account)},
                         {.idempotency_key = "move-123-456"});  // safe to retry
  (void)app;
}

template <class Client, class Index>
std::size_t stream_all(Client& client, const std::string& account, Index& index) {
  uniapi::stream_progress progress;  // pass it again to resume after an error, without repeats
  auto n = client.for_each_item(
      ats::attachments,
      {.integrated_account_id = uniapi::truto::account_id(account), .truto_ignore_limit = true},
      [&](ats::attachment& a) { index.add(std::move(a)); }, progress);
  return n.value();
}

}  // namespace readme

TEST_CASE("README snippets compile and the download one runs") {
  (void)&readme::print_attachments;
  (void)&readme::construct_clients;
  uniapi::testing::local_server server;
  uniapi::truto::client<uniapi::beast_transport> c(
      {.base_url = server.base_url(), .token = server.token()}, uniapi::beast_transport{});
  auto first = c.list_page(ats::attachments,
                           {.integrated_account_id = uniapi::truto::account_id("a")}, std::nullopt);
  REQUIRE(first);
  auto dir =
      std::filesystem::temp_directory_path() / ("uniapi-readme-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto cwd = std::filesystem::current_path();
  std::filesystem::current_path(dir);
  readme::download(c, "a", first->result.at(0));
  readme::move_stage(c, "a");
  struct {
    std::vector<ats::attachment> all;
    void add(ats::attachment&& a) { all.push_back(std::move(a)); }
  } index;
  CHECK(readme::stream_all(c, "a", index) == 57);
  CHECK(index.all.size() == 57);
  CHECK(index.all.back().id == "att_00056");
  std::filesystem::current_path(cwd);
  CHECK(std::filesystem::file_size(dir / "cv.pdf") == uniapi::testing::attachment_file_size(0));
  std::filesystem::remove_all(dir);
}
