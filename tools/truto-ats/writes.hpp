// `create`, `download`, the custom methods (`move-stage`, `reject`) and `resources`.
#ifndef UNIAPI_TOOLS_TRUTO_ATS_WRITES_HPP
#define UNIAPI_TOOLS_TRUTO_ATS_WRITES_HPP

#include "common.hpp"

#include <uniapi/core/file_part.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

namespace truto_ats {

/// `create RESOURCE --body FILE`: FILE decoded as the resource's create body (uploaded as the
/// `file` part for multipart resources); the created record printed as one line.
inline int create_command(client_t& c, const std::string& account,
                          const std::vector<std::string>& args) {
  if (args.empty()) fail_usage("create needs RESOURCE --body FILE");
  std::optional<std::string> body_file, key;
  parse_flags(std::vector<std::string>(args.begin() + 1, args.end()), "create",
              {{"--body", &body_file}, {"--idempotency-key", &key}});
  if (!body_file) fail_usage("create needs --body FILE");
  int rc = ok;
  with_resource(args[0], [&](auto r) {
    using R = decltype(r);
    if constexpr (!uniapi::creatable<R>) {
      fail_usage(std::string(R::name) + " has no create method");
    } else {
      typename R::create_body body{};
      if constexpr (uniapi::is_multipart_body<typename R::create_body>()) {
        // Multipart resources upload FILE itself as the `file` part.
        auto part = uniapi::file_part::from_file(*body_file);
        if (!part) fail_usage(part.error().message);
        body.file = std::move(*part);
      } else {
        auto decoded = uniapi::json::decode<typename R::create_body>(read_file(*body_file));
        if (!decoded) fail_usage("--body " + *body_file + ": " + decoded.error().message);
        body = std::move(*decoded);
      }
      auto rec = c.create(r, body, {.integrated_account_id = uniapi::truto::account_id(account)},
                          {.idempotency_key = key ? *key : random_uuid()});
      if (!rec) {
        rc = report(rec.error());
        return;
      }
      std::cout << uniapi::json::encode(*rec) << '\n';
    }
  });
  return rc;
}

/// `download --file-url URL --output FILE`: an attachment's bytes, streamed to FILE.
inline int download_command(client_t& c, const std::string& account,
                            const std::vector<std::string>& args) {
  std::optional<std::string> file_url, output;
  parse_flags(args, "download", {{"--file-url", &file_url}, {"--output", &output}});
  if (!file_url || !output) fail_usage("download needs --file-url URL --output FILE");
  // Write to a temporary name and rename when complete, so a failed download leaves no
  // partial file where the caller expects a whole one.
  std::string partial = *output + ".part";
  std::ofstream out(partial, std::ios::binary | std::ios::trunc);
  if (!out) fail_usage("cannot write " + partial);
  auto r = c.download(ats::attachments_download, {},
                      {.integrated_account_id = uniapi::truto::account_id(account),
                       .params = {.file_url = *file_url}},
                      [&](std::string_view chunk) -> uniapi::result<void> {
                        out.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
                        if (!out)
                          return uniapi::make_error(uniapi::errc::sink_failed,
                                                    "cannot write " + partial);
                        return {};
                      });
  out.close();
  if (!r || !out) {
    std::filesystem::remove(partial);
    if (!r) return report(r.error());
    return report(uniapi::make_error(uniapi::errc::sink_failed, "cannot write " + *output));
  }
  std::filesystem::rename(partial, *output);
  std::cerr << "truto-ats: wrote " << r->bytes << " bytes (" << r->content_type << ") to "
            << *output << '\n';
  return ok;
}

/// A JSON custom method (move-stage, reject) named `command`: body from FILE, result printed.
inline int custom_method_command(client_t& c, const std::string& account,
                                 const std::string& command, const std::vector<std::string>& args) {
  std::optional<std::string> body_file, key;
  parse_flags(args, command, {{"--body", &body_file}, {"--idempotency-key", &key}});
  if (!body_file) fail_usage(command + " needs --body FILE");
  int rc = ok;
  std::apply(
      [&](auto... m) {
        auto one = [&](auto md) {
          using M = decltype(md);
          if constexpr (!std::is_same_v<typename M::response, uniapi::binary_response>) {
            if (M::name != command) return;
            auto body = uniapi::json::decode<typename M::body>(read_file(*body_file));
            if (!body) fail_usage("--body " + *body_file + ": " + body.error().message);
            auto r =
                c.call(md, *body, {.integrated_account_id = uniapi::truto::account_id(account)},
                       {.idempotency_key = key ? *key : random_uuid()});
            if (!r) {
              rc = report(r.error());
              return;
            }
            std::cout << uniapi::json::encode(*r) << '\n';
          }
        };
        (one(m), ...);
      },
      ats::all_custom_methods{});
  return rc;
}

/// True when `command` names a JSON custom method (from the descriptors).
inline bool is_custom_method(const std::string& command) {
  bool found = false;
  std::apply(
      [&](auto... m) {
        ((found =
              found || (decltype(m)::name == command &&
                        !std::is_same_v<typename decltype(m)::response, uniapi::binary_response>)),
         ...);
      },
      ats::all_custom_methods{});
  return found;
}

/// `resources`: one line per resource and per custom method.
inline int resources_command() {
  cli::print_resources<ats::all_resources>();
  std::apply(
      [](auto... m) {
        ((std::cout << "{\"resource\":\"" << m.resource << "\",\"custom_method\":\"" << m.name
                    << "\",\"path\":\"" << m.path << "\"}\n"),
         ...);
      },
      ats::all_custom_methods{});
  return ok;
}

}  // namespace truto_ats

#endif
