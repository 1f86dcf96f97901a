// uniapi — what the client needs to know about a unified-API provider.
#ifndef UNIAPI_CLIENT_PROVIDER_PROFILE_HPP
#define UNIAPI_CLIENT_PROVIDER_PROFILE_HPP

#include <uniapi/core/error.hpp>
#include <uniapi/core/http.hpp>
#include <uniapi/core/result.hpp>
#include <uniapi/json/item_stream.hpp>
#include <uniapi/wire/query_string.hpp>

#include <boost/describe/class.hpp>

#include <concepts>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace uniapi {

namespace detail {
// The record type the concept checks a profile's templates with.
struct probe_record {
  std::string id;
  BOOST_DESCRIBE_CLASS(probe_record, (), (id), (), ())
};
}  // namespace detail

/// How a provider's profile places the items and the next cursor of a list response: an
/// envelope template over the items container, and where both sit in it.
///
/// `P::envelope<std::vector<T>>` is a page of `T`; `P::envelope<json::item_stream<T>>` is the
/// same page whose items go to a callback while it downloads (what `for_each_item` decodes), so
/// streaming needs no declaration of its own. The envelope may nest (`{"data": {"items": [...]},
/// "meta": {"next": ...}}`): `items` and `next_cursor` reach into it.
template <class P>
concept profile_envelope =
    requires(typename P::template envelope<std::vector<detail::probe_record>>& page,
             const typename P::template envelope<std::vector<detail::probe_record>>& cpage,
             typename P::template envelope<json::item_stream<detail::probe_record>>& streamed) {
  // The items of a page, by reference.
  { P::items(page) } -> std::same_as<std::vector<detail::probe_record>&>;
  { P::items(streamed) } -> std::same_as<json::item_stream<detail::probe_record>&>;
  // The cursor of the next page; none (or empty) on the last page.
  { P::next_cursor(cpage) } -> std::convertible_to<std::optional<std::string>>;
};

/// How a provider's profile wraps the responses of writes, deletes and custom methods.
template <class P>
concept profile_responses = requires(typename P::template write_response<detail::probe_record>&& w,
                                     const typename P::delete_response& d, std::string_view body) {
  // A create/update response holding a record (`T` itself when the record comes bare); `unwrap_
  // write` takes the record out, or fails when the response holds none.
  { P::unwrap_write(std::move(w)) } -> std::same_as<result<detail::probe_record>>;
  // A delete response, and the id it confirms (none: the client reports the id it sent).
  { P::deleted_id(d) } -> std::convertible_to<std::optional<std::string>>;
  // A custom method's JSON response decoded as `T`, unwrapping it as the provider wraps it.
  {
    P::template unwrap_custom<detail::probe_record>(body)
    } -> std::same_as<result<detail::probe_record>>;
};

/// How a provider's profile addresses and authorises requests and reads errors.
template <class P>
concept profile_requests = requires(const P& p, http_request& req, const http_response& resp,
                                    std::string_view what, std::string text, query_string& qs) {
  // Where requests go: scheme://host[:port][/prefix]; resource paths are appended.
  { p.base_url } -> std::convertible_to<std::string_view>;
  // Adds the cursor of the page to fetch to a list request's query.
  p.add_cursor(qs, what);
  // Adds credentials to a request (any number of headers).
  p.authorize(req);
  // Maps a non-2xx response to an error; `what` is "METHOD /path".
  { p.to_error(resp, what) } -> std::same_as<error>;
  // Removes every credential from a text before it is shown.
  { p.redact(text) } -> std::same_as<std::string>;
};

/// How one unified-API provider speaks: everything `basic_client` needs that differs between
/// providers, so that the client, the ranges and the codec hold nothing provider-specific.
///
/// Requirements on `P` (see the three parts for each one's contract):
/// @code
/// struct my_profile {
///   std::string base_url;                                        // profile_requests
///   void add_cursor(query_string& qs, std::string_view cursor) const;
///   void authorize(http_request& req) const;
///   error to_error(const http_response& r, std::string_view what) const;
///   std::string redact(std::string text) const;
///
///   template <class Items> using envelope = my_page<Items>;      // profile_envelope
///   template <class E> static auto& items(E& page) { return page.results; }
///   template <class E> static std::optional<std::string> next_cursor(const E& page);
///
///   template <class T> using write_response = my_write<T>;       // profile_responses
///   template <class T> static result<T> unwrap_write(write_response<T>&& w);
///   using delete_response = my_deleted;
///   static std::optional<std::string> deleted_id(const delete_response& d);
///   template <class T> static result<T> unwrap_custom(std::string_view body);
/// };
/// @endcode
/// The envelope and response types are described structs (or any type the codec decodes).
template <class P>
concept provider_profile = profile_requests<P> && profile_envelope<P> && profile_responses<P>;

}  // namespace uniapi

#endif
