// Runs a command-line tool as a separate process and captures what it wrote (tool tests).
#ifndef UNIAPI_TESTS_TOOL_RUNNER_HPP
#define UNIAPI_TESTS_TOOL_RUNNER_HPP

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

// Defined in sanitizer builds, where peak RSS means little and large runs are 10x slower.
#if defined(__SANITIZE_ADDRESS__)
#define UNIAPI_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNIAPI_SANITIZED 1
#endif
#endif

namespace tool_test {

struct run_result {
  int code = -1;
  std::string out, err;
  std::vector<std::string> lines() const {
    std::vector<std::string> v;
    std::istringstream in(out);
    for (std::string l; std::getline(in, l);)
      v.push_back(l);
    return v;
  }
};

inline std::string temp_path(const std::string& name) {
  static int n = 0;  // one test binary: no concurrent callers
  return (std::filesystem::temp_directory_path() /
          ("uniapi-tool-" + std::to_string(::getpid()) + "-" + std::to_string(++n) + "-" + name))
      .string();
}

inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return std::move(ss).str();
}

inline std::string quote(const std::string& s) {
  std::string q = "'";
  for (char c : s)
    q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// Runs the program at `path` with `args` and a clean environment plus `env`, under `wrapper` (a
// command such as `/usr/bin/time -v`) if given; stdout goes to `out_file` when given (kept, not
// read).
inline run_result run_tool(const std::string& path, const std::vector<std::string>& args,
                           const std::string& env = "", const std::string& wrapper = "",
                           const std::string& out_file = "") {
  std::string out = out_file.empty() ? temp_path("out") : out_file, err = temp_path("err");
  std::string cmd = "env -i PATH=/usr/bin:/bin " + env + " " + wrapper + " " + quote(path);
  for (const auto& a : args)
    cmd += " " + quote(a);
  cmd += " >" + out + " 2>" + err + " </dev/null";
  int status = std::system(cmd.c_str());
  run_result r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  if (out_file.empty()) {
    r.out = slurp(out);
    std::filesystem::remove(out);
  }
  r.err = slurp(err);
  std::filesystem::remove(err);
  return r;
}

inline std::vector<std::string> operator+(std::vector<std::string> a,
                                          const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

}  // namespace tool_test

using namespace tool_test;

#endif
