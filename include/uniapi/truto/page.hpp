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

/// One page of a Truto list response: `{"result": [...], "next_cursor": "..."}`.
///
/// `next_cursor` is null or absent on the last page. `prev_cursor`, `result_count` and
/// `is_partial_response` are sent by some integrations only (`is_partial_response`: the provider
/// returned a subset of fields; fetch the record with `get` for all of them).
template <class T>
struct page {
  std::vector<T> result;
  std::optional<std::string> next_cursor;
  std::optional<std::string> prev_cursor;
  std::optional<std::int64_t> result_count;
  std::optional<bool> is_partial_response;

  BOOST_DESCRIBE_CLASS(page, (),
                       (result, next_cursor, prev_cursor, result_count, is_partial_response), (),
                       ())
};

/// One page of a Truto list response whose items go to a callback as they are decoded (see
/// `json::item_stream`), for pages too large to hold: `truto_ignore_limit=true`.
template <class T>
struct streamed_page {
  json::item_stream<T> result;
  std::optional<std::string> next_cursor;
  std::optional<std::string> prev_cursor;
  std::optional<std::int64_t> result_count;
  std::optional<bool> is_partial_response;

  BOOST_DESCRIBE_CLASS(streamed_page, (),
                       (result, next_cursor, prev_cursor, result_count, is_partial_response), (),
                       ())
};

/// A page of a list requested with `truto_key_by`: `result` maps each record's key to the
/// record. Use with `basic_client::list_pages_as`.
template <class T>
struct keyed_page {
  std::map<std::string, T, std::less<>> result;
  std::optional<std::string> next_cursor;
  std::optional<std::string> prev_cursor;
  std::optional<std::int64_t> result_count;
  std::optional<bool> is_partial_response;

  BOOST_DESCRIBE_CLASS(keyed_page, (),
                       (result, next_cursor, prev_cursor, result_count, is_partial_response), (),
                       ())
};

}  // namespace uniapi::truto

#endif
