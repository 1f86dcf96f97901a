// uniapi — the asynchronous client: every operation of `basic_client` as an Asio asynchronous
// operation (completion tokens: use_awaitable, deferred, use_future, callbacks).
#ifndef UNIAPI_CLIENT_ASYNC_BASIC_ASYNC_CLIENT_HPP
#define UNIAPI_CLIENT_ASYNC_BASIC_ASYNC_CLIENT_HPP

#include <uniapi/client/client_hooks.hpp>
#include <uniapi/client/detail/page_delivery.hpp>
#include <uniapi/client/pager.hpp>
#include <uniapi/client/provider_profile.hpp>
#include <uniapi/client/request_builder.hpp>
#include <uniapi/client/request_options.hpp>
#include <uniapi/client/resource.hpp>
#include <uniapi/client/response_reader.hpp>
#include <uniapi/core/http.hpp>
#include <uniapi/core/result.hpp>
#include <uniapi/json/raw_json.hpp>
#include <uniapi/transport/async/async_transport.hpp>
#include <uniapi/transport/async/spawn_completing.hpp>

#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace uniapi {

/// A client for the resources of one provider over an asynchronous transport: the operations of
/// `basic_client`, each started with a completion token and completing with one `result<T>`.
///
/// @code
/// auto page = co_await client.async_list_page(ats::attachments, q, cursor, asio::use_awaitable);
/// @endcode
/// Requests are built by `request_builder` and read by `response_reader` exactly as the
/// synchronous client does (same errors, redaction and hooks); pages are decoded while they
/// arrive. Operations run concurrently on the transport's executor, each as a coroutine; many
/// accounts are served from one thread.
///
/// Cancellation: a terminal cancellation through the completion handler's cancellation slot
/// (`asio::bind_cancellation_slot`, `experimental::awaitable_operators`, a parallel group) ends
/// the operation with `errc::cancelled` (or what the transport reports); a streamed listing's
/// `stream_progress` then says where to resume, as after any error. A per-request bound is
/// `request_options::timeout` (each attempt).
///
/// Lifetimes: the client, and a `stream_progress` or sink passed by reference, outlive the
/// operation; queries and bodies are copied. A callback that throws ends the operation; the
/// exception propagates out of the executor's `run()`, as with `co_spawn`.
template <class Profile, class Transport>
class basic_async_client {
  static_assert(provider_profile<Profile>,
                "uniapi::provider_profile is not satisfied by Profile (the notes below say which "
                "requirement is missing)");
  static_assert(async_transport<Transport>,
                "uniapi::async_transport is not satisfied by Transport: it needs get_executor() "
                "and async_send(const http_request&, body_sink&, send_handler)");

 public:
  /// The provider profile.
  using profile_type = Profile;
  /// The page type of the profile for records of type `T`.
  template <class T>
  using page_type = typename Profile::template envelope<std::vector<T>>;

  basic_async_client(Profile profile, Transport transport, client_hooks hooks = {})
      : profile_(std::move(profile)), transport_(std::move(transport)), hooks_(std::move(hooks)) {}

  const Profile& profile() const noexcept { return profile_; }
  Transport& transport() noexcept { return transport_; }
  /// The executor operations run on (the transport's).
  auto get_executor() { return transport_.get_executor(); }

  /// Fetches one page of `R` at `cursor` (the first page when empty).
  template <listable R, class CompletionToken>
  auto async_list_page(R r, typename list_query_of<R>::type query,
                       std::optional<std::string> cursor, request_options options,
                       CompletionToken&& token) {
    return async_list_page_as<page_type<typename R::model>>(r, std::move(query), std::move(cursor),
                                                            std::move(options),
                                                            std::forward<CompletionToken>(token));
  }
  template <listable R, class CompletionToken>
  auto async_list_page(R r, typename list_query_of<R>::type query,
                       std::optional<std::string> cursor, CompletionToken&& token) {
    return async_list_page(r, std::move(query), std::move(cursor), request_options{},
                           std::forward<CompletionToken>(token));
  }

  /// Fetches one page of `R` at `cursor`, decoded as `Page` (see `basic_client::list_page_as`).
  template <class Page, listable R, class CompletionToken>
  auto async_list_page_as(R r, typename list_query_of<R>::type query,
                          std::optional<std::string> cursor, request_options options,
                          CompletionToken&& token) {
    return launch<Page>(std::forward<CompletionToken>(token),
                        [this, path = std::string(r.path), q = std::move(query),
                         c = std::move(cursor), o = std::move(options)]() mutable {
                          return list_page_op<Page>(std::move(path), std::move(q), std::move(c),
                                                    std::move(o));
                        });
  }

  /// Lists `R`, handing each item to `on_item` as soon as it is decoded, page after page, with
  /// the guarantees of `basic_client::for_each_item`: nothing skipped or delivered twice across
  /// retries, and `progress` (which outlives the operation) says where to resume after an error
  /// or a cancellation. Completes with the number of items this call delivered.
  template <listable R, class F, class CompletionToken>
  requires std::invocable<F&, typename R::model&>
  auto async_for_each_item(R r, typename list_query_of<R>::type query, F on_item,
                           stream_progress& progress, request_options options,
                           CompletionToken&& token) {
    return launch<std::size_t>(std::forward<CompletionToken>(token),
                               [this, r, q = std::move(query), f = std::move(on_item), &progress,
                                o = std::move(options)]() mutable {
                                 return for_each_item_op(r, std::move(q), std::move(f), progress,
                                                         std::move(o));
                               });
  }
  template <listable R, class F, class CompletionToken>
  requires std::invocable<F&, typename R::model&>
  auto async_for_each_item(R r, typename list_query_of<R>::type query, F on_item,
                           stream_progress& progress, CompletionToken&& token) {
    return async_for_each_item(r, std::move(query), std::move(on_item), progress, request_options{},
                               std::forward<CompletionToken>(token));
  }

  /// Lists `R` page by page: `on_page(page&)` (returning void, or bool where false stops with
  /// `errc::stopped`) gets each page once it is read whole. `progress.cursor` is where the
  /// listing starts and, after an error or a cancellation, the page to fetch again. Completes
  /// with the number of pages this call delivered.
  template <listable R, class F, class CompletionToken>
  requires std::invocable < F&, page_type<typename R::model>
  & > auto async_for_each_page(R r, typename list_query_of<R>::type query, F on_page,
                               stream_progress& progress, request_options options,
                               CompletionToken&& token) {
    return launch<std::size_t>(std::forward<CompletionToken>(token),
                               [this, r, q = std::move(query), f = std::move(on_page), &progress,
                                o = std::move(options)]() mutable {
                                 return for_each_page_op(r, std::move(q), std::move(f), progress,
                                                         std::move(o));
                               });
  }

  /// Fetches one page of `R` and passes its body to `sink` as it arrives, undecoded.
  template <listable R, class CompletionToken>
  auto async_list_page_bytes(R r, typename list_query_of<R>::type query,
                             std::optional<std::string> cursor, const byte_sink& sink,
                             request_options options, CompletionToken&& token) {
    return launch<download_info>(std::forward<CompletionToken>(token),
                                 [this, path = std::string(r.path), q = std::move(query),
                                  c = std::move(cursor), &sink, o = std::move(options)]() {
                                   auto req = builder().build(http_method::get, path, q, c, o);
                                   return bytes_op(std::move(req), o, sink);
                                 });
  }

  /// Fetches the record `id` of `R`.
  template <gettable R, class CompletionToken>
  auto async_get(R r, std::string id, typename get_query_of<R>::type query, request_options options,
                 CompletionToken&& token) {
    return launch<typename R::model>(
        std::forward<CompletionToken>(token), [this, path = std::string(r.path), id = std::move(id),
                                               q = std::move(query), o = std::move(options)]() {
          auto req =
              builder().build(http_method::get, request_builder<Profile>::record_path(path, id), q,
                              std::nullopt, o);
          return json_op<typename R::model>(std::move(req), o);
        });
  }
  template <gettable R, class CompletionToken>
  auto async_get(R r, std::string id, typename get_query_of<R>::type query,
                 CompletionToken&& token) {
    return async_get(r, std::move(id), std::move(query), request_options{},
                     std::forward<CompletionToken>(token));
  }

  /// Creates a record of `R` (JSON or multipart body, as `basic_client::create`).
  template <creatable R, class CompletionToken>
  auto async_create(R r, typename create_types_of<R>::body body,
                    typename create_types_of<R>::query query, call_options options,
                    CompletionToken&& token) {
    return launch<typename R::model>(std::forward<CompletionToken>(token),
                                     [this, path = std::string(r.path), b = std::move(body),
                                      q = std::move(query), o = std::move(options)]() {
                                       return write_op<typename R::model>(http_method::post, path,
                                                                          q, b, o);
                                     });
  }

  /// Updates the record `id` of `R` (PATCH).
  template <updatable R, class CompletionToken>
  auto async_update(R r, std::string id, typename update_types_of<R>::body body,
                    typename update_types_of<R>::query query, call_options options,
                    CompletionToken&& token) {
    return launch<typename R::model>(
        std::forward<CompletionToken>(token),
        [this, path = std::string(r.path), id = std::move(id), b = std::move(body),
         q = std::move(query), o = std::move(options)]() {
          return write_op<typename R::model>(
              http_method::patch, request_builder<Profile>::record_path(path, id), q, b, o);
        });
  }

  /// Deletes the record `id` of `R`; completes with the id the server confirms (or `id`).
  template <deletable R, class CompletionToken>
  auto async_remove(R r, std::string id, typename delete_query_of<R>::type query,
                    call_options options, CompletionToken&& token) {
    return launch<std::string>(
        std::forward<CompletionToken>(token), [this, path = std::string(r.path), id = std::move(id),
                                               q = std::move(query), o = std::move(options)]() {
          auto ro = o.request();
          auto req =
              builder().build(http_method::delete_, request_builder<Profile>::record_path(path, id),
                              q, std::nullopt, ro);
          if (req && o.idempotency_key) req->headers.set("Idempotency-Key", *o.idempotency_key);
          return remove_op(std::move(req), std::move(ro), id);
        });
  }

  /// Calls the custom method `M` (JSON response, unwrapped as the profile says).
  template <custom_method M, class CompletionToken>
  requires(!std::is_same_v<typename M::response, binary_response>) auto async_call(
      M, typename M::body body, typename M::query query, call_options options,
      CompletionToken&& token) {
    return launch<typename M::response>(
        std::forward<CompletionToken>(token),
        [this, b = std::move(body), q = std::move(query), o = std::move(options)]() {
          auto ro = o.request();
          auto req = builder().build(M::verb, M::path, q, std::nullopt, ro);
          if (req) request_builder<Profile>::set_body(*req, b, o.idempotency_key);
          return call_op<typename M::response>(std::move(req), std::move(ro));
        });
  }

  /// Calls the binary custom method `M`, passing the response body to `sink` as it arrives.
  template <custom_method M, class CompletionToken>
  requires std::is_same_v<typename M::response, binary_response>
  auto async_download(M, typename M::body body, typename M::query query, const byte_sink& sink,
                      call_options options, CompletionToken&& token) {
    return launch<download_info>(
        std::forward<CompletionToken>(token),
        [this, b = std::move(body), q = std::move(query), &sink, o = std::move(options)]() {
          auto ro = o.request();
          auto req = builder().build(M::verb, M::path, q, std::nullopt, ro);
          if (req) {
            request_builder<Profile>::set_body(*req, b, o.idempotency_key);
            req->headers.set("Accept", "*/*");
          }
          return bytes_op(std::move(req), std::move(ro), sink);
        });
  }

  /// Sends `method path?query` and decodes a successful JSON response as `T` (see
  /// `basic_client::fetch_json`: Truto's unified meta).
  template <class T, class Query, class CompletionToken>
  auto async_fetch_json(http_method method, std::string path, Query query, request_options options,
                        CompletionToken&& token) {
    return launch<T>(
        std::forward<CompletionToken>(token),
        [this, method, path = std::move(path), q = std::move(query), o = std::move(options)]() {
          auto req = builder().build(method, path, q, std::nullopt, o);
          return json_op<T>(std::move(req), o);
        });
  }

  /// Sends `method path?query` with `body` as it is and passes a successful response's body to
  /// `sink` as it arrives (see `basic_client::send_raw`: Truto's Custom API, proxy custom
  /// methods, batch requests). `sink` must outlive the operation.
  template <class Query, class CompletionToken>
  auto async_send_raw(http_method method, std::string path, Query query, std::string body,
                      std::string content_type, const byte_sink& sink, call_options options,
                      CompletionToken&& token) {
    return launch<download_info>(
        std::forward<CompletionToken>(token),
        [this, method, path = std::move(path), q = std::move(query), b = std::move(body),
         ct = std::move(content_type), &sink, o = std::move(options)]() mutable {
          auto ro = o.request();
          auto req = builder().build(method, path, q, std::nullopt, ro);
          if (req)
            request_builder<Profile>::set_raw_body(*req, std::move(b), ct, o.idempotency_key);
          return bytes_op(std::move(req), std::move(ro), sink);
        });
  }

  /// Sends a request built by the caller, with credentials added; completes with the raw
  /// response (whole body), whatever its status.
  template <class CompletionToken>
  auto async_send(http_request req, CompletionToken&& token) {
    return launch<http_response>(std::forward<CompletionToken>(token),
                                 [this, req = std::move(req)]() mutable {
                                   profile_.authorize(req);
                                   return raw_op(std::move(req));
                                 });
  }

 private:
  using reader_type = response_reader<Profile, Transport>;

  // Starts the coroutine `make()` on the transport's executor and completes `token` with its
  // result. The handler's cancellation slot reaches every operation the coroutine awaits.
  template <class T, class CompletionToken, class Make>
  auto launch(CompletionToken&& token, Make make) {
    return boost::asio::async_initiate<CompletionToken, void(result<T>)>(
        [this](auto handler, Make make) {
          spawn_completing(transport_.get_executor(), make(), std::move(handler));
        },
        token, std::move(make));
  }

  request_builder<Profile> builder() const noexcept { return request_builder<Profile>(profile_); }
  reader_type reader() noexcept { return reader_type(profile_, transport_, hooks_); }

  // True once the operation was cancelled: a listing checks it between pages, since a
  // cancellation that arrives while a page's last bytes are being decoded ends no request.
  static boost::asio::awaitable<bool> cancelled() {
    auto state = co_await boost::asio::this_coro::cancellation_state;
    co_return state.cancelled() != boost::asio::cancellation_type::none;
  }

  error cancelled_error(const http_request& req, const request_options& options) {
    return reader().with_context(make_error(errc::cancelled, "cancelled"), req, options);
  }

  // Sends `req` through the transport, telling the hooks, with the body going to `sink`.
  boost::asio::awaitable<result<http_response>> observed_send(const http_request& req,
                                                              body_sink& sink) {
    auto rd = reader();
    auto o = rd.observe_request(req);
    auto r = co_await uniapi::async_send(transport_, req, sink, boost::asio::use_awaitable);
    rd.observe_response(req, o, r);
    co_return r;
  }

  // Decodes a 2xx body into `T`, starting from `*prototype` when given. (No defaulted `T{}`
  // argument: GCC 12 destroys an aggregate temporary of a co_await expression twice.)
  template <class T>
  boost::asio::awaitable<result<T>> read_json(const http_request& req,
                                              const request_options& options,
                                              const T* prototype = nullptr,
                                              const std::function<void()>* on_attempt = nullptr) {
    std::optional<T> fresh;
    if (!prototype) prototype = &fresh.emplace();
    typename reader_type::template json_sink<T> sink(*prototype, on_attempt);
    auto r = co_await observed_send(req, sink);
    co_return reader().finish(sink, std::move(r), req, options);
  }

  template <class T>
  boost::asio::awaitable<result<T>> json_op(result<http_request> req, request_options options) {
    co_await boost::asio::this_coro::throw_if_cancelled(false);
    if (!req) co_return req.error();
    co_return co_await read_json<T>(*req, options);
  }

  template <class Page, class Query>
  boost::asio::awaitable<result<Page>> list_page_op(std::string path, Query query,
                                                    std::optional<std::string> cursor,
                                                    request_options options) {
    co_await boost::asio::this_coro::throw_if_cancelled(false);
    auto req = builder().build(http_method::get, path, query, cursor, options);
    if (!req) co_return req.error();
    co_return co_await read_json<Page>(*req, options);
  }

  template <class R, class Query, class F>
  boost::asio::awaitable<result<std::size_t>> for_each_item_op(R r, Query query, F on_item,
                                                               stream_progress& progress,
                                                               request_options options) {
    co_await boost::asio::this_coro::throw_if_cancelled(false);
    uniapi::pager pages(progress.cursor);
    std::size_t delivered = 0;
    for (;;) {
      detail::page_delivery<Profile, typename R::model, F> page(on_item, progress, delivered);
      auto req = builder().build(http_method::get, r.path, query, pages.cursor(), options);
      if (!req) co_return req.error();
      if (co_await cancelled()) co_return cancelled_error(*req, options);
      auto p = co_await read_json(*req, options, &page.prototype, &page.on_attempt);
      if (!p) co_return p.error();
      auto done = detail::page_done(pages, progress, Profile::next_cursor(*p));
      if (!done) co_return done.error();
      if (*done) co_return delivered;
    }
  }

  template <class R, class Query, class F>
  boost::asio::awaitable<result<std::size_t>> for_each_page_op(R r, Query query, F on_page,
                                                               stream_progress& progress,
                                                               request_options options) {
    using page = page_type<typename R::model>;
    co_await boost::asio::this_coro::throw_if_cancelled(false);
    uniapi::pager pages(progress.cursor);
    std::size_t delivered = 0;
    for (;;) {
      auto req = builder().build(http_method::get, r.path, query, pages.cursor(), options);
      if (!req) co_return req.error();
      if (co_await cancelled()) co_return cancelled_error(*req, options);
      auto p = co_await read_json<page>(*req, options);
      if (!p) co_return p.error();
      auto next = Profile::next_cursor(*p);
      bool go = true;
      if constexpr (std::is_void_v<std::invoke_result_t<F&, page&>>)
        std::invoke(on_page, *p);
      else
        go = static_cast<bool>(std::invoke(on_page, *p));
      ++delivered;
      progress.delivered += Profile::items(*p).size();
      auto done = detail::page_done(pages, progress, std::move(next));
      if (!done) co_return done.error();
      if (*done) co_return delivered;
      if (!go) co_return make_error(errc::stopped, "the page callback stopped the listing");
    }
  }

  boost::asio::awaitable<result<download_info>> bytes_op(result<http_request> req,
                                                         request_options options,
                                                         const byte_sink& out) {
    co_await boost::asio::this_coro::throw_if_cancelled(false);
    if (!req) co_return req.error();
    typename reader_type::bytes_sink sink(out);
    auto r = co_await observed_send(*req, sink);
    co_return reader().finish(sink, std::move(r), *req, options);
  }

  template <class Model, class Query, class Body>
  boost::asio::awaitable<result<Model>> write_op(http_method method, std::string path, Query query,
                                                 Body body, call_options options) {
    co_await boost::asio::this_coro::throw_if_cancelled(false);
    auto o = options.request();
    auto req = builder().build(method, path, query, std::nullopt, o);
    if (!req) co_return req.error();
    request_builder<Profile>::set_body(*req, body, options.idempotency_key);
    auto r = co_await read_json<typename Profile::template write_response<Model>>(*req, o);
    if (!r) co_return r.error();
    auto record = Profile::unwrap_write(std::move(*r));
    if (!record) co_return reader().with_context(record.error(), *req, o);
    co_return record;
  }

  boost::asio::awaitable<result<std::string>> remove_op(result<http_request> req,
                                                        request_options options, std::string id) {
    co_await boost::asio::this_coro::throw_if_cancelled(false);
    if (!req) co_return req.error();
    auto r = co_await read_json<typename Profile::delete_response>(*req, options);
    if (!r) co_return r.error();
    std::optional<std::string> confirmed = Profile::deleted_id(*r);
    co_return confirmed ? std::move(*confirmed) : std::move(id);
  }

  template <class Response>
  boost::asio::awaitable<result<Response>> call_op(result<http_request> req,
                                                   request_options options) {
    co_await boost::asio::this_coro::throw_if_cancelled(false);
    if (!req) co_return req.error();
    auto raw = co_await read_json<json::raw_json>(*req, options);
    if (!raw) co_return raw.error();
    auto r = Profile::template unwrap_custom<Response>(raw->text());
    if (!r) co_return reader().with_context(r.error(), *req, options);
    co_return r;
  }

  boost::asio::awaitable<result<http_response>> raw_op(http_request req) {
    co_await boost::asio::this_coro::throw_if_cancelled(false);
    struct buffering_sink final : body_sink {
      http_response response;
      result<void> on_head(const http_response& head) override {
        response = head;
        response.body.clear();
        return {};
      }
      bool restartable() const noexcept override { return true; }
      result<void> on_data(std::string_view chunk) override {
        response.body.append(chunk);
        return {};
      }
    } sink;
    auto r = co_await observed_send(req, sink);
    if (!r) co_return reader().with_context(r.error(), req, {});
    co_return std::move(sink.response);
  }

  Profile profile_;
  Transport transport_;
  client_hooks hooks_;
};

}  // namespace uniapi

#endif
