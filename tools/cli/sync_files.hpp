// The files of `sync`: the accounts file, and per account a JSON Lines file and a state file.
//
// Progress of account A is DIR/.sync/A.state, a JSON object replaced atomically (write, then
// rename) after each page: the cursor of the next page, the length of DIR/A.jsonl that holds
// every record before it, the record count, and whether the account is complete. A page's records
// are appended to the .jsonl before its state is replaced, so after a crash at any moment the
// file is at least as long as the state says; a rerun truncates it back to that length and
// fetches that page again. Each record therefore ends up in the file exactly once, in API order.
#ifndef UNIAPI_TOOLS_CLI_SYNC_FILES_HPP
#define UNIAPI_TOOLS_CLI_SYNC_FILES_HPP

#include "errors.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace cli {

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

/// The state saved at `p`; `std::nullopt` when there is none or it does not parse.
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

}  // namespace cli

#endif
