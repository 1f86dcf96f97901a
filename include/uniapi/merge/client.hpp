// uniapi — the Merge client.
#ifndef UNIAPI_MERGE_CLIENT_HPP
#define UNIAPI_MERGE_CLIENT_HPP

#include <uniapi/client/basic_client.hpp>
#include <uniapi/merge/profile.hpp>
#include <uniapi/merge/query.hpp>

namespace uniapi::merge {

/// A Merge client over the transport `Transport`:
/// @code
/// uniapi::merge::client<uniapi::beast_transport> c(
///     {.api_key = key, .account_token = account}, uniapi::beast_transport{});
/// for (auto& cand : c.list_items(uniapi::merge::ats::candidates, {.page_size = 100}))
///   std::cout << cand.value().id.value_or("") << '\n';
/// @endcode
template <class Transport>
using client = basic_client<profile, Transport>;

}  // namespace uniapi::merge

#endif
