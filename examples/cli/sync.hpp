// `sync`: every record of one resource for many integrated accounts, fetched concurrently with
// the asynchronous client, one JSON Lines file per account, resumable after any interruption.
//
// Progress of account A is DIR/.sync/A.state, a JSON object replaced atomically (write, then
// rename) after each page: the cursor of the next page, the length of DIR/A.jsonl that holds
// every record before it, the record count, and whether the account is complete. A page's records
// are appended to the .jsonl before its state is replaced, so after a crash at any moment the
// file is at least as long as the state says; a rerun truncates it back to that length and
// fetches that page again. Each record therefore ends up in the file exactly once, in API order.
#ifndef UNIAPI_EXAMPLES_CLI_SYNC_HPP
#define UNIAPI_EXAMPLES_CLI_SYNC_HPP

#include "common.hpp"

#include <uniapi/async_retrying_transport.hpp>
#include <uniapi/basic_async_client.hpp>
#include <uniapi/json.hpp>
#include <uniapi/rate_limited_transport.hpp>
#include <uniapi/request_options.hpp>
#include <uniapi/transport/beast_async_transport.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
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

/// FNV-1a, 64 bits, of `s`'s bytes: the stable hash `--shard` splits accounts by.
constexpr std::uint64_t fnv1a64(std::string_view s) noexcept {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

/// The account ids of FILE (one per line; blank lines and lines starting with `#` skipped,
/// surrounding spaces and a CR trimmed), in order, without repeats, of shard K of N. Usage error
/// when the file cannot be read, holds no account at all, or holds an id unfit for a file name.
inline std::vector<std::string> read_accounts(const std::string& path, std::uint64_t shard,
                                              std::uint64_t shards) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail_usage("cannot read the accounts file " + path);
  std::vector<std::string> all, mine;
  std::string line;
  while (std::getline(in, line)) {
    auto b = line.find_first_not_of(" \t\r");
    if (b == std::string::npos) continue;
    auto e = line.find_last_not_of(" \t\r");
    std::string id = line.substr(b, e - b + 1);
    if (id[0] == '#') continue;
    if (id == "." || id == ".." || id.find('/') != std::string::npos ||
        id.find('\0') != std::string::npos)
      fail_usage("account id \"" + id + "\" in " + path + " cannot name a file");
    if (std::find(all.begin(), all.end(), id) != all.end()) continue;
    all.push_back(id);
  }
  if (all.empty()) fail_usage("the accounts file " + path + " lists no account");
  for (auto& id : all)
    if (fnv1a64(id) % shards == shard) mine.push_back(std::move(id));
  return mine;
}

/// What the state file of an account records.
struct sync_state {
  std::optional<std::string> cursor;  ///< next page (none: the first, or none left when done)
  std::uint64_t bytes = 0;            ///< length of the .jsonl before that page
  std::uint64_t records = 0;          ///< records in those bytes
  bool done = false;
};

inline std::optional<sync_state> load_state(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream ss;
  ss << in.rdbuf();
  boost::system::error_code ec;
  auto v = boost::json::parse(ss.str(), ec);
  if (ec || !v.is_object()) return std::nullopt;
  const auto& o = v.as_object();
  sync_state s;
  if (auto* c = o.if_contains("cursor"); c && c->is_string())
    s.cursor = std::string(c->as_string());
  if (auto* b = o.if_contains("bytes"); b && b->is_int64()) s.bytes = b->as_int64();
  if (auto* r = o.if_contains("records"); r && r->is_int64()) s.records = r->as_int64();
  if (auto* d = o.if_contains("done"); d && d->is_bool()) s.done = d->as_bool();
  return s;
}

/// Replaces the state file atomically: a crash leaves the old state or the new, never a mix.
inline bool save_state(const std::filesystem::path& p, const sync_state& s) {
  boost::json::object o;
  if (s.cursor) o["cursor"] = *s.cursor;
  o["bytes"] = static_cast<std::int64_t>(s.bytes);
  o["records"] = static_cast<std::int64_t>(s.records);
  o["done"] = s.done;
  std::string text = boost::json::serialize(o) + "\n";
  auto tmp = p;
  tmp += ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return false;
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ok = ::close(fd) == 0 && ok;
  return ok && std::rename(tmp.c_str(), p.c_str()) == 0;
}

/// An account's output file, opened for appending at a known length.
class jsonl_file {
 public:
  ~jsonl_file() {
    if (fd_ >= 0) ::close(fd_);
  }
  /// Opens `p` and cuts it to `length` (what a crash may have written after it is dropped);
  /// false when it is shorter than `length` (then the account starts over).
  bool open(const std::filesystem::path& p, std::uint64_t length, std::string& err) {
    fd_ = ::open(p.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) return err = "cannot open " + p.string(), false;
    struct stat st {};
    if (::fstat(fd_, &st) != 0) return err = "cannot stat " + p.string(), false;
    if (static_cast<std::uint64_t>(st.st_size) < length) return false;
    if (::ftruncate(fd_, static_cast<off_t>(length)) != 0 ||
        ::lseek(fd_, static_cast<off_t>(length), SEEK_SET) < 0)
      return err = "cannot truncate " + p.string(), false;
    length_ = length;
    return true;
  }
  bool append(const std::string& bytes) {
    std::size_t done = 0;
    while (done < bytes.size()) {
      ssize_t n = ::write(fd_, bytes.data() + done, bytes.size() - done);
      if (n < 0) {
        if (errno == EINTR) continue;
        return false;
      }
      done += static_cast<std::size_t>(n);
    }
    length_ += bytes.size();
    return true;
  }
  std::uint64_t length() const noexcept { return length_; }

 private:
  int fd_ = -1;
  std::uint64_t length_ = 0;
};

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

/// Runs `sync` for `accounts`: `make_query(account)` gives each account's list query. Returns
/// the exit code. `Client` is an asynchronous client, `R` a listable resource descriptor.
template <class Client, class R, class MakeQuery>
int run_sync(boost::asio::io_context& ioc, Client& client, R r,
             const std::vector<std::string>& accounts, const std::filesystem::path& dir,
             std::size_t concurrency, MakeQuery make_query) {
  namespace asio = boost::asio;
  using page_t = typename Client::template page_type<typename R::model>;
  const auto start = std::chrono::steady_clock::now();
  const auto state_dir = dir / ".sync";
  std::error_code fec;
  std::filesystem::create_directories(state_dir, fec);
  if (fec) fail_usage("cannot create " + state_dir.string() + ": " + fec.message());

  std::uint64_t records = 0;  // in the files of completed accounts
  std::size_t completed = 0, finished = 0, next = 0;
  int rc = ok;
  const bool live = ::isatty(2);
  auto finish_line = [&](const std::string& text) {
    if (live) std::cerr << "\r\033[K";
    std::cerr << text << '\n';
  };

  // One account from its saved state to its last page.
  auto sync_account = [&](std::string account) -> asio::awaitable<void> {
    const auto data_path = dir / (account + ".jsonl");
    const auto state_path = state_dir / (account + ".state");
    sync_state st = load_state(state_path).value_or(sync_state{});
    auto fail = [&](const std::string& reason, int code) {
      finish_line(account + ": failed: " + reason);
      rc = std::max(rc, code);  // transport (3) outranks API (1)
      ++finished;
    };
    if (st.done) {
      records += st.records;
      ++completed;
      ++finished;
      finish_line(account + ": " + std::to_string(st.records) + " records");
      co_return;
    }
    jsonl_file out;
    std::string err;
    if (!out.open(data_path, st.bytes, err)) {
      if (!err.empty()) co_return fail(err, transport);
      st = sync_state{};  // the file lost data the state counted: start the account over
      if (!out.open(data_path, 0, err)) co_return fail(err, transport);
    }
    auto query = make_query(account);
    uniapi::stream_progress progress{.cursor = st.cursor};
    std::string lines;
    std::optional<std::string> write_error;
    auto on_page = [&](page_t& page) -> bool {
      lines.clear();
      std::uint64_t n = 0;
      for (auto& item : Client::profile_type::items(page)) {
        uniapi::json::encode_to(lines, item);
        lines += '\n';
        ++n;
      }
      if (!out.append(lines)) {
        write_error = "cannot write " + data_path.string();
        return false;
      }
      st.records += n;
      st.bytes = out.length();
      st.cursor = Client::profile_type::next_cursor(page);
      if (st.cursor && st.cursor->empty()) st.cursor.reset();
      st.done = !st.cursor;
      if (!save_state(state_path, st)) {
        write_error = "cannot write " + state_path.string();
        return false;
      }
      return true;
    };
    uniapi::request_options ropts;  // (a named value: see async_client.cpp on GCC 12)
    auto n = co_await client.async_for_each_page(r, query, on_page, progress, ropts,
                                                 asio::use_awaitable);
    if (write_error) co_return fail(*write_error, transport);
    if (!n) co_return fail(n.error().to_string(), sync_exit_code_of(n.error()));
    records += st.records;
    ++completed;
    ++finished;
    finish_line(account + ": " + std::to_string(st.records) + " records");
  };

  // `concurrency` workers, each taking the next account until none is left.
  auto worker = [&]() -> asio::awaitable<void> {
    while (next < accounts.size())
      co_await sync_account(accounts[next++]);
  };
  std::size_t workers = std::min(concurrency, accounts.size());
  for (std::size_t i = 0; i < workers; ++i)
    asio::co_spawn(ioc, worker(), [](std::exception_ptr e) {
      if (e) std::rethrow_exception(e);
    });

  // A live progress line on a terminal.
  asio::steady_timer ticker(ioc);
  std::function<void()> tick = [&] {
    if (finished == accounts.size()) return;
    std::cerr << "\r\033[K" << finished << "/" << accounts.size() << " accounts, " << records
              << " records from completed accounts" << std::flush;
    ticker.expires_after(std::chrono::milliseconds(250));
    ticker.async_wait([&](boost::system::error_code ec) {
      if (!ec) tick();
    });
  };
  if (live) tick();
  ioc.run();

  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  char took[32];
  std::snprintf(took, sizeof took, "%.1f", seconds);
  finish_line("synced " + std::to_string(records) + " records from " + std::to_string(completed) +
              " accounts in " + took + " s");
  return rc;
}

}  // namespace cli

#endif
