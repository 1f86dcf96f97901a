// What the tools print: records as JSON Lines (one compact object per line, whatever whitespace
// the server sent), the resources a provider has, and where to resume a listing that failed.
#ifndef UNIAPI_TOOLS_CLI_OUTPUT_HPP
#define UNIAPI_TOOLS_CLI_OUTPUT_HPP

#include "errors.hpp"

#include <uniapi/client/pager.hpp>
#include <uniapi/client/resource.hpp>
#include <uniapi/json/encode.hpp>

#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <tuple>
#include <utility>

namespace cli {

/// `list,get,...`: the methods in `m` (a `uniapi::method` mask).
inline std::string methods_text(unsigned m) {
  std::string s;
  auto add = [&](uniapi::method f, const char* name) {
    if (m & unsigned(f)) s += (s.empty() ? "" : ",") + std::string(name);
  };
  add(uniapi::method::list, "list");
  add(uniapi::method::get, "get");
  add(uniapi::method::create, "create");
  add(uniapi::method::update, "update");
  add(uniapi::method::remove, "delete");
  return s;
}

/// Calls `f(descriptor)` for the resource of `Resources` (a tuple) named `name`; usage error when
/// there is none.
template <class Resources, class F>
void with_resource(const std::string& name, F&& f) {
  bool found = false;
  std::apply([&](auto... r) { ((!found && r.name == name ? (found = true, f(r), 0) : 0), ...); },
             Resources{});
  if (!found) fail_usage("unknown resource \"" + name + "\" (see: " + tool_name + " resources)");
}

/// One line per resource of `Resources`: `{"resource":..., "path":..., "methods":"list,get"}`.
template <class Resources>
void print_resources() {
  std::apply(
      [](auto... r) {
        ((std::cout << "{\"resource\":\"" << r.name << "\",\"path\":\"" << r.path
                    << "\",\"methods\":\"" << methods_text(uniapi::methods_of<decltype(r)>())
                    << "\"}\n"),
         ...);
      },
      Resources{});
}

/// Streams every item of `r` to stdout, one compact JSON object per line, as each is decoded
/// (memory stays at one record however large a page is), stopping after `max_items`. On failure
/// reports the error and where to resume; returns the exit code.
template <class Client, class R, class Query>
int stream_list(Client& c, R r, Query q, std::optional<long long> max_items) {
  if (max_items && *max_items == 0) return ok;
  long long emitted = 0;
  std::string line;
  uniapi::stream_progress progress;
  auto n = c.for_each_item(
      r, std::move(q),
      [&](typename R::model& item) {
        line.clear();
        uniapi::json::encode_to(line, item);
        line += '\n';
        std::fwrite(line.data(), 1, line.size(), stdout);
        return !max_items || ++emitted < *max_items;
      },
      progress);
  std::fflush(stdout);
  if (!n &&
      !(n.error().condition() == uniapi::errc::stopped && max_items && emitted >= *max_items)) {
    int rc = report(n.error());
    if (progress.cursor || progress.delivered)
      std::cerr << tool_name << ": " << progress.delivered << " records printed; resume from "
                << (progress.cursor ? "cursor " + *progress.cursor : "the first page")
                << " after its first " << progress.delivered_on_page << " records\n";
    return rc;
  }
  return ok;
}

/// Gets record `id` of `r` and prints it as one line.
template <class Client, class R, class Query>
int print_record(Client& c, R r, const std::string& id, Query q) {
  auto rec = c.get(r, id, std::move(q));
  if (!rec) return report(rec.error());
  std::string line = uniapi::json::encode(*rec);
  line += '\n';
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fflush(stdout);
  return ok;
}

}  // namespace cli

#endif
