// uniapi — the Truto client.
#ifndef UNIAPI_TRUTO_CLIENT_HPP
#define UNIAPI_TRUTO_CLIENT_HPP

#include <uniapi/client/basic_client.hpp>
#include <uniapi/truto/profile.hpp>
#include <uniapi/truto/query.hpp>
#include <uniapi/truto/rate_limit.hpp>

namespace uniapi::truto {

/// A Truto client over the transport `Transport`:
/// @code
/// uniapi::truto::client<uniapi::beast_transport> c({.token = tok}, uniapi::beast_transport{});
/// for (auto& a : c.list_items(uniapi::truto::ats::attachments,
///                             {.integrated_account_id = uniapi::truto::account_id(acct)}))
///   std::cout << a.value().id << '\n';
/// @endcode
template <class Transport>
using client = basic_client<profile, Transport>;

}  // namespace uniapi::truto

#endif
