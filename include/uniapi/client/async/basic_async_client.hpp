// uniapi — the asynchronous client: every operation of `basic_client` as an Asio asynchronous
// operation (completion tokens: use_awaitable, deferred, use_future, callbacks).
#ifndef UNIAPI_CLIENT_ASYNC_BASIC_ASYNC_CLIENT_HPP
#define UNIAPI_CLIENT_ASYNC_BASIC_ASYNC_CLIENT_HPP

#include <uniapi/client/async/detail/run_async.hpp>
#include <uniapi/client/detail/client_base.hpp>
#include <uniapi/client/download_info.hpp>
#include <uniapi/client/pager.hpp>
#include <uniapi/client/request_options.hpp>
#include <uniapi/client/resource.hpp>
#include <uniapi/transport/async/spawn_completing.hpp>

#include <boost/asio/async_result.hpp>

namespace uniapi {

/// A client for the resources of one provider over an asynchronous transport: the operations of
/// `basic_client`, each started with a completion token and completing with one `result<T>`.
///
/// @code
/// auto page = co_await client.async_list_page(ats::attachments, q, cursor, asio::use_awaitable);
/// @endcode
/// Each method runs the operation of `detail::operations` that the synchronous client's
/// namesake runs (same requests, errors, redaction and hooks), as a coroutine; pages are decoded
/// while they arrive. Operations run concurrently on the transport's executor, each as a coroutine;
/// many accounts are served from one thread.
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
class basic_async_client : public detail::client_base<Profile, Transport> {
  static_assert(async_transport<Transport>,
                "uniapi::async_transport is not satisfied by Transport: it needs get_executor() "
                "and async_send(const http_request&, body_sink&, send_handler)");

 public:
  /// The page type of the profile for records of type `T`.
  template <class T>
  using page_type = typename Profile::template envelope<std::vector<T>>;

  using detail::client_base<Profile, Transport>::client_base;

  /// The executor operations run on (the transport's).
  auto get_executor() { return this->transport().get_executor(); }

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
    return launch(std::forward<CompletionToken>(token),
                  [this, r, q = std::move(query), c = std::move(cursor), o = std::move(options)] {
                    return this->ops().template list_page<Page>(r.path, q, c, o);
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
    return launch(std::forward<CompletionToken>(token),
                  [this, r, q = std::move(query), f = std::move(on_item), &progress,
                   o = std::move(options)]() mutable {
                    return this->ops().template stream_items<typename R::model>(
                        std::string(r.path), std::move(q), std::move(f), progress, std::move(o));
                  });
  }
  template <listable R, class F, class CompletionToken>
  requires std::invocable<F&, typename R::model&>
  auto async_for_each_item(R r, typename list_query_of<R>::type query, F on_item,
                           stream_progress& progress, CompletionToken&& token) {
    return async_for_each_item(r, std::move(query), std::move(on_item), progress, request_options{},
                               std::forward<CompletionToken>(token));
  }

  /// Lists `R` page by page (see `basic_client::for_each_page`); `progress` outlives the
  /// operation and, after an error or a cancellation, says which page to fetch again.
  /// Completes with the number of pages this call delivered.
  template <listable R, class F, class CompletionToken>
  requires std::invocable < F&, page_type<typename R::model>
  & > auto async_for_each_page(R r, typename list_query_of<R>::type query, F on_page,
                               stream_progress& progress, request_options options,
                               CompletionToken&& token) {
    return launch(std::forward<CompletionToken>(token),
                  [this, r, q = std::move(query), f = std::move(on_page), &progress,
                   o = std::move(options)]() mutable {
                    return this->ops().template stream_pages<typename R::model>(
                        std::string(r.path), std::move(q), std::move(f), progress, std::move(o));
                  });
  }

  /// Fetches one page of `R` and passes its body to `sink` as it arrives, undecoded.
  template <listable R, class CompletionToken>
  auto async_list_page_bytes(R r, typename list_query_of<R>::type query,
                             std::optional<std::string> cursor, const byte_sink& sink,
                             request_options options, CompletionToken&& token) {
    return launch(
        std::forward<CompletionToken>(token),
        [this, r, q = std::move(query), c = std::move(cursor), &sink, o = std::move(options)] {
          return this->ops().list_page_bytes(r.path, q, c, sink, o);
        });
  }

  /// Fetches the record `id` of `R`.
  template <gettable R, class CompletionToken>
  auto async_get(R r, std::string id, typename get_query_of<R>::type query, request_options options,
                 CompletionToken&& token) {
    return launch(std::forward<CompletionToken>(token),
                  [this, r, id = std::move(id), q = std::move(query), o = std::move(options)] {
                    return this->ops().template get<typename R::model>(r.path, id, q, o);
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
    return launch(std::forward<CompletionToken>(token),
                  [this, r, b = std::move(body), q = std::move(query), o = std::move(options)] {
                    return this->ops().template write<typename R::model>(http_method::post, r.path,
                                                                         q, b, o);
                  });
  }

  /// Updates the record `id` of `R` (PATCH).
  template <updatable R, class CompletionToken>
  auto async_update(R r, std::string id, typename update_types_of<R>::body body,
                    typename update_types_of<R>::query query, call_options options,
                    CompletionToken&& token) {
    return launch(
        std::forward<CompletionToken>(token), [this, r, id = std::move(id), b = std::move(body),
                                               q = std::move(query), o = std::move(options)] {
          return this->ops().template write<typename R::model>(
              http_method::patch, request_builder<Profile>::record_path(r.path, id), q, b, o);
        });
  }

  /// Deletes the record `id` of `R`; completes with the id the server confirms (or `id`).
  template <deletable R, class CompletionToken>
  auto async_remove(R r, std::string id, typename delete_query_of<R>::type query,
                    call_options options, CompletionToken&& token) {
    return launch(std::forward<CompletionToken>(token),
                  [this, r, id = std::move(id), q = std::move(query), o = std::move(options)] {
                    return this->ops().remove(r.path, id, q, o);
                  });
  }

  /// Calls the custom method `M` (JSON response, unwrapped as the profile says).
  template <custom_method M, class CompletionToken>
  requires(!std::is_same_v<typename M::response, binary_response>) auto async_call(
      M, typename M::body body, typename M::query query, call_options options,
      CompletionToken&& token) {
    return launch(std::forward<CompletionToken>(token),
                  [this, b = std::move(body), q = std::move(query), o = std::move(options)] {
                    return this->ops().template call<typename M::response>(M::verb, M::path, q, b,
                                                                           o);
                  });
  }

  /// Calls the binary custom method `M`, passing the response body to `sink` as it arrives.
  template <custom_method M, class CompletionToken>
  requires std::is_same_v<typename M::response, binary_response>
  auto async_download(M, typename M::body body, typename M::query query, const byte_sink& sink,
                      call_options options, CompletionToken&& token) {
    return launch(std::forward<CompletionToken>(token),
                  [this, b = std::move(body), q = std::move(query), &sink, o = std::move(options)] {
                    return this->ops().download(M::verb, M::path, q, b, sink, o);
                  });
  }

  /// Sends `method path?query` and decodes a successful JSON response as `T` (see
  /// `basic_client::fetch_json`: Truto's unified meta).
  template <class T, class Query, class CompletionToken>
  auto async_fetch_json(http_method method, std::string path, Query query, request_options options,
                        CompletionToken&& token) {
    return launch(
        std::forward<CompletionToken>(token),
        [this, method, p = std::move(path), q = std::move(query), o = std::move(options)] {
          return this->ops().template fetch_json<T>(method, p, q, o);
        });
  }

  /// Sends `method path?query` with `body` as it is and passes a successful response's body to
  /// `sink` as it arrives (see `basic_client::send_raw`: Truto's Custom API, proxy custom
  /// methods, batch requests). `sink` must outlive the operation.
  template <class Query, class CompletionToken>
  auto async_send_raw(http_method method, std::string path, Query query, std::string body,
                      std::string content_type, const byte_sink& sink, call_options options,
                      CompletionToken&& token) {
    return launch(std::forward<CompletionToken>(token),
                  [this, method, p = std::move(path), q = std::move(query), b = std::move(body),
                   ct = std::move(content_type), &sink, o = std::move(options)]() mutable {
                    return this->ops().send_raw(method, p, q, std::move(b), ct, sink, o);
                  });
  }

  /// Sends a request built by the caller, with credentials added; completes with the raw
  /// response (whole body), whatever its status.
  template <class CompletionToken>
  auto async_send(http_request req, CompletionToken&& token) {
    return launch(std::forward<CompletionToken>(token), [this, req = std::move(req)]() mutable {
      return this->ops().send(std::move(req));
    });
  }

 private:
  // Completes `token` with the result of the operation `make()` returns, run as a coroutine on
  // the transport's executor. The handler's cancellation slot reaches every request it sends.
  template <class CompletionToken, class Make>
  auto launch(CompletionToken&& token, Make make) {
    using value_type = typename detail::made_operation<Make>::value_type;
    return boost::asio::async_initiate<CompletionToken, void(result<value_type>)>(
        [this](auto handler, Make make) {
          spawn_completing(this->transport().get_executor(),
                           detail::run_async(this->transport(), this->hooks(), std::move(make)),
                           std::move(handler));
        },
        token, std::move(make));
  }
};

}  // namespace uniapi

#endif
