// uniapi — Truto's list envelope.
#ifndef UNIAPI_TRUTO_PAGE_HPP
#define UNIAPI_TRUTO_PAGE_HPP

#include <uniapi/json/item_stream.hpp>

#include <boost/describe/class.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace uniapi::truto {

/// Truto's list envelope over an items container: `{"result": [...], "next_cursor": "..."}`.
///
/// `next_cursor` is null or absent on the last page. `prev_cursor`, `result_count` and
/// `is_partial_response` are sent by some integrations only (`is_partial_response`: the provider
/// returned a subset of fields; fetch the record with `get` for all of them).
template <class Items>
struct envelope {
  Items result;
  std::optional<std::string> next_cursor;
  std::optional<std::string> prev_cursor;
  std::optional<std::int64_t> result_count;
  std::optional<bool> is_partial_response;

  BOOST_DESCRIBE_CLASS(envelope, (),
                       (result, next_cursor, prev_cursor, result_count, is_partial_response), (),
                       ())
};

/// One page of a Truto list response.
template <class T>
using page = envelope<std::vector<T>>;

/// One page of a Truto list response whose items go to a callback as they are decoded (see
/// `json::item_stream`), for pages too large to hold: `truto_ignore_limit=true`.
template <class T>
using streamed_page = envelope<json::item_stream<T>>;

/// A page of a list requested with `truto_key_by`: `result` maps each record's key to the
/// record. Use with `basic_client::list_pages_as`.
template <class T>
using keyed_page = envelope<std::map<std::string, T, std::less<>>>;

}  // namespace uniapi::truto

#endif
