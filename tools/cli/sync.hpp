// `sync`: every record of one resource for many integrated accounts, fetched concurrently with
// the asynchronous client, one JSON Lines file per account, resumable after any interruption
// (how: sync_files.hpp).
#ifndef UNIAPI_TOOLS_CLI_SYNC_HPP
#define UNIAPI_TOOLS_CLI_SYNC_HPP

#include "errors.hpp"
#include "flags.hpp"
#include "sync_files.hpp"

#include <uniapi/client/async/basic_async_client.hpp>
#include <uniapi/client/request_options.hpp>
#include <uniapi/json.hpp>
#include <uniapi/transport/async/async_retrying_transport.hpp>
#include <uniapi/transport/async/rate_limited_transport.hpp>
#include <uniapi/transport/beast/beast_async_transport.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

namespace cli {

/// The options of `sync RESOURCE --accounts-file FILE --output-dir DIR [--concurrency N]
/// [--page-size N] [--query key=value]... [--shard K/N]`.
struct sync_args {
  std::string resource;
  std::optional<std::string> accounts_file, output_dir;
  long long concurrency = 8;
  std::optional<long long> page_size;
  std::vector<std::string> queries;
  std::uint64_t shard = 0, shards = 1;
};

/// Parses the arguments of `sync`; usage error on a missing resource, file or directory, a bad
/// `--shard`, or an unknown flag.
inline sync_args parse_sync_args(const std::vector<std::string>& args) {
  if (args.empty() || args[0].rfind("--", 0) == 0) fail_usage("sync needs a RESOURCE");
  sync_args out;
  out.resource = args[0];
  options_parser p{std::vector<std::string>(args.begin() + 1, args.end())};
  while (!p.done()) {
    const std::string flag = p.peek();
    if (flag == "--accounts-file") {
      out.accounts_file = p.value(flag);
    } else if (flag == "--output-dir") {
      out.output_dir = p.value(flag);
    } else if (flag == "--concurrency") {
      out.concurrency = parse_number(flag, p.value(flag), 1);
    } else if (flag == "--page-size") {
      out.page_size = parse_number(flag, p.value(flag), 1);
    } else if (flag == "--query") {
      out.queries.push_back(p.value(flag));
    } else if (flag == "--shard") {
      std::string v = p.value(flag);
      auto slash = v.find('/');
      if (slash == std::string::npos) fail_usage("--shard needs K/N, got \"" + v + "\"");
      out.shard = static_cast<std::uint64_t>(parse_number(flag, v.substr(0, slash), 0));
      out.shards = static_cast<std::uint64_t>(parse_number(flag, v.substr(slash + 1), 1));
      if (out.shard >= out.shards) fail_usage("--shard K/N needs K < N, got \"" + v + "\"");
    } else {
      fail_usage("unknown sync option \"" + flag + "\"");
    }
  }
  if (!out.accounts_file) fail_usage("sync needs --accounts-file FILE");
  if (!out.output_dir) fail_usage("sync needs --output-dir DIR");
  return out;
}

/// The exit code an account's failure maps to: 1 for an answer of the API (an error status, a
/// repeated cursor, a body that does not decode), 3 for the transport.
inline int sync_exit_code_of(const uniapi::error& e) {
  switch (e.condition()) {
    case uniapi::errc::api_error:
    case uniapi::errc::repeated_cursor:
    case uniapi::errc::decode_failed:
      return api;
    default:
      return transport;
  }
}

using async_transport_t =
    uniapi::async_retrying_transport<uniapi::rate_limited_transport<uniapi::beast_async_transport>>;

/// The asynchronous transport of `sync`: Beast with a pool of `concurrency` connections, paced
/// per integrated account (the server's `Retry-After` and `ratelimit-*` answers obeyed for that
/// account only), each request retried `--retries` times.
inline async_transport_t make_async_transport(boost::asio::io_context& ioc, const global_flags& s,
                                              std::size_t concurrency) {
  uniapi::beast_async_transport_options topts;
  if (s.ca_file) topts.http.ca_file = *s.ca_file;
  if (s.timeout_seconds) {
    topts.http.request_timeout = std::chrono::seconds(*s.timeout_seconds);
    topts.http.connect_timeout = std::min(topts.http.connect_timeout, topts.http.request_timeout);
  }
  topts.max_connections_per_origin = concurrency;
  uniapi::retry_policy policy;
  policy.max_attempts = static_cast<int>(s.retries + 1);
  return async_transport_t(uniapi::rate_limited_transport<uniapi::beast_async_transport>(
                               uniapi::beast_async_transport(ioc.get_executor(), std::move(topts))),
                           std::move(policy));
}

/// One run of `sync`: `concurrency` workers on `ioc`, each taking the next account until none is
/// left and listing it page by page from its saved state (see sync_files.hpp); a live progress
/// line on a terminal; one line per account and a summary on stderr. `Client` is an asynchronous
/// client, `R` a listable resource descriptor, `make_query(account)` an account's list query.
template <class Client, class R, class MakeQuery>
class sync_run {
 public:
  sync_run(boost::asio::io_context& ioc, Client& client, R r,
           const std::vector<std::string>& accounts, std::filesystem::path dir,
           std::size_t concurrency, MakeQuery make_query)
      : ioc_(ioc),
        client_(client),
        resource_(r),
        accounts_(accounts),
        dir_(std::move(dir)),
        state_dir_(dir_ / ".sync"),
        concurrency_(concurrency),
        make_query_(std::move(make_query)),
        ticker_(ioc) {}

  /// Syncs every account; returns the exit code (0, or the worst failure: 3 over 1).
  int run() {
    const auto start = std::chrono::steady_clock::now();
    std::error_code ec;
    std::filesystem::create_directories(state_dir_, ec);
    if (ec) fail_usage("cannot create " + state_dir_.string() + ": " + ec.message());
    std::size_t workers = std::min(concurrency_, accounts_.size());
    for (std::size_t i = 0; i < workers; ++i)
      boost::asio::co_spawn(ioc_, worker(), [](std::exception_ptr e) {
        if (e) std::rethrow_exception(e);
      });
    if (live_) tick();
    ioc_.run();
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    char took[32];
    std::snprintf(took, sizeof took, "%.1f", seconds);
    finish_line("synced " + std::to_string(records_) + " records from " +
                std::to_string(completed_) + " accounts in " + took + " s");
    return rc_;
  }

 private:
  using page_t = typename Client::template page_type<typename R::model>;

  boost::asio::awaitable<void> worker() {
    while (next_ < accounts_.size())
      co_await sync_account(accounts_[next_++]);
  }

  /// One account from its saved state to its last page.
  boost::asio::awaitable<void> sync_account(std::string account) {
    const auto data_path = dir_ / (account + ".jsonl");
    const auto state_path = state_dir_ / (account + ".state");
    sync_state st = load_state(state_path).value_or(sync_state{});
    if (st.done) co_return completed(account, st.records);
    jsonl_file out;
    std::string err;
    if (!out.open(data_path, st.bytes, err)) {
      if (!err.empty()) co_return failed(account, err, transport);
      st = sync_state{};  // the file lost data the state counted: start the account over
      if (!out.open(data_path, 0, err)) co_return failed(account, err, transport);
    }
    auto query = make_query_(account);
    uniapi::stream_progress progress{.cursor = st.cursor};
    std::string lines;
    std::optional<std::string> write_error;
    auto on_page = [&](page_t& page) {
      write_error = save_page(page, lines, out, data_path, st, state_path);
      return !write_error;
    };
    uniapi::request_options ropts;  // (a named value: see async_client.cpp on GCC 12)
    auto n = co_await client_.async_for_each_page(resource_, query, on_page, progress, ropts,
                                                  boost::asio::use_awaitable);
    if (write_error) co_return failed(account, *write_error, transport);
    if (!n) co_return failed(account, n.error().to_string(), sync_exit_code_of(n.error()));
    completed(account, st.records);
  }

  /// Appends the page's records to `out`, then saves the state after them; the error, if any.
  static std::optional<std::string> save_page(page_t& page, std::string& lines, jsonl_file& out,
                                              const std::filesystem::path& data_path,
                                              sync_state& st,
                                              const std::filesystem::path& state_path) {
    lines.clear();
    std::uint64_t n = 0;
    for (auto& item : Client::profile_type::items(page)) {
      uniapi::json::encode_to(lines, item);
      lines += '\n';
      ++n;
    }
    if (!out.append(lines)) return "cannot write " + data_path.string();
    st.records += n;
    st.bytes = out.length();
    st.cursor = Client::profile_type::next_cursor(page);
    if (st.cursor && st.cursor->empty()) st.cursor.reset();
    st.done = !st.cursor;
    if (!save_state(state_path, st)) return "cannot write " + state_path.string();
    return std::nullopt;
  }

  void completed(const std::string& account, std::uint64_t records) {
    records_ += records;
    ++completed_;
    ++finished_;
    finish_line(account + ": " + std::to_string(records) + " records");
  }

  void failed(const std::string& account, const std::string& reason, int code) {
    finish_line(account + ": failed: " + reason);
    rc_ = std::max(rc_, code);  // transport (3) outranks API (1)
    ++finished_;
  }

  void finish_line(const std::string& text) {
    if (live_) std::cerr << "\r\033[K";
    std::cerr << text << '\n';
  }

  /// The live progress line, redrawn every 250 ms until every account has finished.
  void tick() {
    if (finished_ == accounts_.size()) return;
    std::cerr << "\r\033[K" << finished_ << "/" << accounts_.size() << " accounts, " << records_
              << " records from completed accounts" << std::flush;
    ticker_.expires_after(std::chrono::milliseconds(250));
    ticker_.async_wait([this](boost::system::error_code ec) {
      if (!ec) tick();
    });
  }

  boost::asio::io_context& ioc_;
  Client& client_;
  R resource_;
  const std::vector<std::string>& accounts_;
  std::filesystem::path dir_, state_dir_;
  std::size_t concurrency_;
  MakeQuery make_query_;
  boost::asio::steady_timer ticker_;
  const bool live_ = ::isatty(2);
  std::uint64_t records_ = 0;  // in the files of completed accounts
  std::size_t completed_ = 0, finished_ = 0, next_ = 0;
  int rc_ = ok;
};

/// Runs `sync` for `accounts` (see `sync_run`); returns the exit code.
template <class Client, class R, class MakeQuery>
int run_sync(boost::asio::io_context& ioc, Client& client, R r,
             const std::vector<std::string>& accounts, const std::filesystem::path& dir,
             std::size_t concurrency, MakeQuery make_query) {
  return sync_run<Client, R, MakeQuery>(ioc, client, r, accounts, dir, concurrency,
                                        std::move(make_query))
      .run();
}

}  // namespace cli

#endif
