// uniapi — the client template: resources × provider profile × transport.
#ifndef UNIAPI_CLIENT_BASIC_CLIENT_HPP
#define UNIAPI_CLIENT_BASIC_CLIENT_HPP

#include <uniapi/client/cursor_range.hpp>
#include <uniapi/client/detail/client_base.hpp>
#include <uniapi/client/detail/run.hpp>
#include <uniapi/client/download_info.hpp>
#include <uniapi/client/pager.hpp>
#include <uniapi/client/request_options.hpp>
#include <uniapi/client/resource.hpp>
#include <uniapi/json/item_stream.hpp>

#include <functional>

namespace uniapi {

/// A client for the resources of one provider over one transport.
///
/// Every operation sends authorised requests built from a resource descriptor and typed query
/// and body values, and returns `result<T>`. Methods exist only for resources that declare them
/// (see `resource`). Lists decode each page while it downloads when the transport streams.
/// `Profile` must satisfy `provider_profile` and `Transport` must satisfy `transport`; the
/// first error of a type that does not names the concept.
///
/// The client is a facade: each method runs one of the operations of `detail::operations` (which
/// build the requests, read the responses and follow the cursors, without I/O) over the
/// transport; `basic_async_client` runs the same operations asynchronously.
///
/// @par Thread Safety
/// As safe as the transport: one client per thread unless the transport says otherwise.
template <class Profile, class Transport>
class basic_client : public detail::client_base<Profile, Transport> {
  static_assert(transport<Transport>,
                "uniapi::transport is not satisfied by Transport: it needs "
                "result<http_response> send(const http_request&)");

 public:
  /// The page type of the profile for records of type `T`.
  template <class T>
  using page_type = typename Profile::template envelope<std::vector<T>>;
  /// The page type whose items go to a callback while the page downloads.
  template <class T>
  using streamed_page_type = typename Profile::template envelope<json::item_stream<T>>;

  using detail::client_base<Profile, Transport>::client_base;

  /// Lists `R`: a lazy range of pages, one request each. `query` is copied, never changed.
  template <listable R>
  cursor_range<page_type<typename R::model>> list(R r, typename list_query_of<R>::type query,
                                                  list_options options = {});

  /// Lists `R` item by item (see `list`).
  template <listable R>
  item_range<page_type<typename R::model>, typename R::model> list_items(
      R r, typename list_query_of<R>::type query, list_options options = {});

  /// Lists `R`, handing each item to `on_item` as soon as it is decoded — while its page is still
  /// downloading — page after page. Memory stays at one item plus the transport's buffers however
  /// large a page is. `on_item(model&)` may move from the item; it returns void, or bool where
  /// false stops the listing with `errc::stopped`. Returns the number of items delivered by this
  /// call; `progress` says where the listing stands (see `stream_progress`), and its `cursor` is
  /// where it starts.
  template <listable R, class F>
  requires std::invocable<F&, typename R::model&> result<std::size_t> for_each_item(
      R r, typename list_query_of<R>::type query, F on_item, stream_progress& progress,
      request_options options = {});

  /// Lists `R` page by page: `on_page(page&)` (returning void, or bool where false stops with
  /// `errc::stopped`) gets each page once it is read whole. `progress.cursor` is where the
  /// listing starts and, after an error, the page to fetch again. Returns the number of pages
  /// this call delivered.
  template <listable R, class F>
  requires std::invocable < F&, page_type<typename R::model>
  & > result<std::size_t> for_each_page(R r, typename list_query_of<R>::type query, F on_page,
                                        stream_progress& progress, request_options options = {}) {
    return run(this->ops().template stream_pages<typename R::model>(
        std::string(r.path), std::move(query), std::ref(on_page), progress, std::move(options)));
  }

  /// `for_each_item` from the first page (or `options.cursor`), without keeping the progress.
  template <listable R, class F>
  requires std::invocable<F&, typename R::model&> result<std::size_t> for_each_item(
      R r, typename list_query_of<R>::type query, F on_item, list_options options = {});

  /// Fetches one page of `R` at `cursor` (the first page when empty).
  template <listable R>
  result<page_type<typename R::model>> list_page(R r, const typename list_query_of<R>::type& query,
                                                 const std::optional<std::string>& cursor,
                                                 const request_options& options = {});

  /// Lists `R` decoding each page as `Page`, for response shapes other than the model's (the
  /// profile's envelope over other items: records as `boost::json::value`, or a map of them).
  template <class Page, listable R>
  cursor_range<Page> list_pages_as(R r, typename list_query_of<R>::type query,
                                   list_options options = {});

  /// Lists `R` item by item, decoding each item as `Item` (see `list_pages_as`).
  template <class Item, listable R>
  item_range<page_type<Item>, Item> list_items_as(R r, typename list_query_of<R>::type query,
                                                  list_options options = {});

  /// Fetches one page of `R` at `cursor`, decoded as `Page`.
  template <class Page, listable R>
  result<Page> list_page_as(R r, const typename list_query_of<R>::type& query,
                            const std::optional<std::string>& cursor,
                            const request_options& options = {});

  /// Fetches one page of `R` and passes its body to `sink` as it arrives, undecoded (to store
  /// pages as received). Error responses are read as errors, never passed to the sink.
  template <listable R>
  result<download_info> list_page_bytes(R r, const typename list_query_of<R>::type& query,
                                        const std::optional<std::string>& cursor,
                                        const byte_sink& sink, const request_options& options = {});

  /// Fetches the record `id` of `R`.
  template <gettable R>
  result<typename R::model> get(R r, std::string_view id, typename get_query_of<R>::type query,
                                const request_options& options = {});

  /// Creates a record of `R` (JSON body, or multipart when the body has a `file_part`); returns
  /// the record as the profile's write response holds it.
  template <creatable R>
  result<typename R::model> create(R r, const typename create_types_of<R>::body& body,
                                   typename create_types_of<R>::query query,
                                   call_options options = {});

  /// Updates the record `id` of `R` (PATCH).
  template <updatable R>
  result<typename R::model> update(R r, std::string_view id,
                                   const typename update_types_of<R>::body& body,
                                   typename update_types_of<R>::query query,
                                   call_options options = {});

  /// Deletes the record `id` of `R`; returns the id the server confirms (or `id`).
  template <deletable R>
  result<std::string> remove(R r, std::string_view id, typename delete_query_of<R>::type query,
                             call_options options = {});

  /// Calls the custom method `M`, decoding its JSON response as the profile unwraps it.
  template <custom_method M>
  requires(!std::is_same_v<typename M::response, binary_response>)
      result<typename M::response> call(M m, const typename M::body& body, typename M::query query,
                                        call_options options = {});

  /// Calls the binary custom method `M`, passing the response body to `sink` as it arrives. Error
  /// responses are read as errors, never passed to the sink.
  template <custom_method M>
  requires std::is_same_v<typename M::response, binary_response> result<download_info> download(
      M m, const typename M::body& body, typename M::query query, const byte_sink& sink,
      call_options options = {});

  /// Sends `method path?query` and decodes a successful JSON response as `T` (which may be
  /// `boost::json::value`), with the retries, hooks and errors of the typed methods: for
  /// endpoints no descriptor covers (Truto's unified meta). `path` is appended to the base URL
  /// as given (percent-encode its segments).
  template <class T, class Query>
  result<T> fetch_json(http_method method, std::string_view path, const Query& query,
                       const request_options& options = {});

  /// Sends `method path?query` with `body` as it is (`content_type`; none when `body` is
  /// empty) and passes a successful response's body to `sink` as it arrives, undecoded; error
  /// responses are read as errors, never passed to the sink. For endpoints whose bodies are the
  /// caller's business (Truto's Custom API).
  template <class Query>
  result<download_info> send_raw(http_method method, std::string_view path, const Query& query,
                                 std::string body, std::string_view content_type,
                                 const byte_sink& sink, call_options options = {});

  /// Sends a request built by the caller, with credentials added; returns the raw response.
  result<http_response> send(http_request req);

 private:
  template <class Op>
  result<typename Op::value_type> run(Op&& op) {
    return detail::run(std::forward<Op>(op), this->transport(), this->hooks());
  }
};

}  // namespace uniapi

#include <uniapi/client/impl/basic_client.hpp>

#endif
