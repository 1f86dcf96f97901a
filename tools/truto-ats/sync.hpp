// `sync`: many accounts' records into JSON Lines files, with the asynchronous client.
#ifndef UNIAPI_TOOLS_TRUTO_ATS_SYNC_HPP
#define UNIAPI_TOOLS_TRUTO_ATS_SYNC_HPP

#include "../cli/flags.hpp"

#include <optional>
#include <string>
#include <vector>

namespace truto_ats {

/// `sync RESOURCE ...`: every record of RESOURCE for every account of the accounts file,
/// concurrently, into DIR/<account>.jsonl; resumable (see cli/sync_files.hpp). Usage errors come
/// before any request. `token` is the token given, if any. Defined in sync.cpp: the asynchronous
/// client is compiled there alone.
int sync_command(cli::global_flags& s, std::optional<std::string> token,
                 const std::vector<std::string>& args);

}  // namespace truto_ats

#endif
