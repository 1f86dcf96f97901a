// uniapi — Merge's list envelope and write response.
#ifndef UNIAPI_MERGE_PAGE_HPP
#define UNIAPI_MERGE_PAGE_HPP

#include <uniapi/json/item_stream.hpp>
#include <uniapi/json/raw_json.hpp>

#include <boost/describe/class.hpp>

#include <optional>
#include <string>
#include <vector>

namespace uniapi::merge {

/// Merge's list envelope over an items container: `{"next": ..., "previous": ..., "results":
/// [...]}`. `next` is the cursor of the next page, null on the last; `previous` the cursor back.
template <class Items>
struct envelope {
  std::optional<std::string> next;
  std::optional<std::string> previous;
  Items results;

  BOOST_DESCRIBE_CLASS(envelope, (), (next, previous, results), (), ())
};

/// One page of a Merge list response.
template <class T>
using page = envelope<std::vector<T>>;

/// Merge's response to a write: `{"model": ..., "warnings": [...], "errors": [...]}`.
template <class T>
struct write_response {
  std::optional<T> model;
  std::optional<json::raw_json> warnings;
  std::optional<json::raw_json> errors;

  BOOST_DESCRIBE_CLASS(write_response, (), (model, warnings, errors), (), ())
};

}  // namespace uniapi::merge

#endif
