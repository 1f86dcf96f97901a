// `list` and `get` over any provider's client: the resource looked up by name, the method checked,
// the query made by the tool, the records printed as JSON Lines.
#ifndef UNIAPI_TOOLS_CLI_RECORDS_HPP
#define UNIAPI_TOOLS_CLI_RECORDS_HPP

#include "errors.hpp"
#include "flags.hpp"
#include "output.hpp"

#include <uniapi/client/resource.hpp>

#include <string>
#include <vector>

namespace cli {

/// `list RESOURCE ...` for a resource of `Resources`: `make_query(descriptor, args)` gives its
/// list query; every record is printed as it is decoded.
template <class Resources, class Client, class MakeQuery>
int list_command(Client& c, const std::vector<std::string>& args, MakeQuery make_query) {
  list_args a = parse_list_args(args);
  int rc = ok;
  with_resource<Resources>(a.resource, [&](auto r) {
    using R = decltype(r);
    if constexpr (!uniapi::listable<R>)
      fail_usage(std::string(R::name) + " has no list method");
    else
      rc = stream_list(c, r, make_query(r, a), a.max_items);
  });
  return rc;
}

/// `get RESOURCE ID ...` for a resource of `Resources`: `make_query(descriptor, args)` gives its
/// get query; the record is printed as one line.
template <class Resources, class Client, class MakeQuery>
int get_command(Client& c, const std::vector<std::string>& args, MakeQuery make_query) {
  get_args a = parse_get_args(args);
  int rc = ok;
  with_resource<Resources>(a.resource, [&](auto r) {
    using R = decltype(r);
    if constexpr (!uniapi::gettable<R>)
      fail_usage(std::string(R::name) + " has no get method");
    else
      rc = print_record(c, r, a.id, make_query(r, a));
  });
  return rc;
}

}  // namespace cli

#endif
