// uniapi — every client operation written once, without I/O: each builds its requests, reads the
// responses a runner hands it and makes the result. `run` (client/detail/run.hpp) drives one
// synchronously, `run_async` (client/async/detail/run_async.hpp) as a coroutine.
#ifndef UNIAPI_CLIENT_DETAIL_OPERATIONS_HPP
#define UNIAPI_CLIENT_DETAIL_OPERATIONS_HPP

#include <uniapi/client/detail/page_delivery.hpp>
#include <uniapi/client/detail/reply.hpp>
#include <uniapi/client/download_info.hpp>
#include <uniapi/client/pager.hpp>
#include <uniapi/client/request_builder.hpp>
#include <uniapi/client/request_options.hpp>
#include <uniapi/core/http.hpp>
#include <uniapi/core/result.hpp>
#include <uniapi/json/raw_json.hpp>
#include <uniapi/transport/body_sink.hpp>

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace uniapi::detail {

/// What an operation asks its runner to do: send `*request` with the body going to `*sink`;
/// `whole` when the body is kept in memory (a synchronous transport then applies its limit on
/// buffered bodies).
struct send_step {
  const http_request* request;
  body_sink* sink;
  bool whole = false;
};

/// An operation a runner drives: `next()` gives the request to send (none once the result is
/// known), `complete` takes how that send ended, `take()` gives the result at the end.
template <class Op>
concept client_operation = requires(Op& op, result<http_response> r) {
  typename Op::value_type;
  { op.next() } -> std::same_as<std::optional<send_step>>;
  op.complete(std::move(r));
  { op.take() } -> std::same_as<result<typename Op::value_type>>;
};

/// One request, its response read by `Reply` (`json_reply<T>`, `bytes_reply`, `whole_reply`).
/// Built in place (the reply's sink is referred to while it runs): neither copied nor moved.
template <class Profile, class Reply>
class exchange_op {
 public:
  using value_type = typename Reply::value_type;

  template <class... ReplyArgs>
  exchange_op(const Profile& profile, result<http_request> req, request_options options,
              ReplyArgs&&... reply_args)
      : profile_(&profile),
        options_(std::move(options)),
        reply_(std::forward<ReplyArgs>(reply_args)...) {
    if (req)
      request_ = std::move(*req);
    else
      result_.emplace(req.error());
  }
  exchange_op(const exchange_op&) = delete;
  exchange_op& operator=(const exchange_op&) = delete;

  std::optional<send_step> next() {
    if (result_) return std::nullopt;
    return send_step{&request_, &reply_, Reply::whole};
  }
  void complete(result<http_response> r) {
    result_.emplace(reply_.finish(std::move(r), context()));
  }
  result<value_type> take() { return std::move(*result_); }

  /// For errors found after the response was read (the profile's unwrapping).
  reply_context<Profile> context() const { return {profile_, &request_, &options_}; }

 private:
  const Profile* profile_;
  request_options options_;
  http_request request_;
  Reply reply_;
  std::optional<result<value_type>> result_;
};

/// `Op`, whose value `then(value, op)` turns into the result (an error with `op.context()`).
template <class Op, class Then>
class then_op {
 public:
  using value_type =
      typename std::invoke_result_t<Then&, typename Op::value_type&&, const Op&>::value_type;

  template <class... OpArgs>
  explicit then_op(Then then, OpArgs&&... op_args)
      : op_(std::forward<OpArgs>(op_args)...), then_(std::move(then)) {}

  std::optional<send_step> next() { return op_.next(); }
  void complete(result<http_response> r) { op_.complete(std::move(r)); }
  result<value_type> take() {
    auto v = op_.take();
    if (!v) return v.error();
    return then_(std::move(*v), op_);
  }

 private:
  Op op_;
  Then then_;
};

/// A listing, page after page from `progress.cursor`, with `Delivery` deciding what becomes of
/// each page (`item_delivery`, `page_callback`). The result is the number of items or pages this
/// run delivered; `progress` says where the listing stands after any error.
template <class Profile, class Query, class Delivery>
class listing_op {
 public:
  using value_type = std::size_t;
  using page = typename Delivery::page;

  listing_op(const Profile& profile, std::string path, Query query,
             typename Delivery::callback deliver, stream_progress& progress,
             request_options options)
      : profile_(&profile),
        path_(std::move(path)),
        query_(std::move(query)),
        delivery_(std::move(deliver)),
        progress_(&progress),
        options_(std::move(options)),
        pages_(progress.cursor) {}
  listing_op(const listing_op&) = delete;
  listing_op& operator=(const listing_op&) = delete;

  std::optional<send_step> next() {
    if (result_) return std::nullopt;
    auto req = request_builder<Profile>(*profile_).build(http_method::get, path_, query_,
                                                         pages_.cursor(), options_);
    if (!req) {
      result_.emplace(req.error());
      return std::nullopt;
    }
    request_ = std::move(*req);
    reply_.reset();
    auto [prototype, on_attempt] = delivery_.start_page(*progress_, delivered_);
    reply_.emplace(prototype, on_attempt);
    return send_step{&request_, &*reply_, false};
  }

  void complete(result<http_response> r) {
    auto p = reply_->finish(std::move(r), reply_context<Profile>{profile_, &request_, &options_});
    if (!p) {
      result_.emplace(p.error());
      return;
    }
    auto next = Profile::next_cursor(*p);
    bool go = delivery_.end_page(*p, *progress_, delivered_);
    auto done = page_done(pages_, *progress_, std::move(next));
    if (!done)
      result_.emplace(done.error());
    else if (*done)
      result_.emplace(delivered_);
    else if (!go)
      result_.emplace(make_error(errc::stopped, "the page callback stopped the listing"));
  }

  result<value_type> take() { return std::move(*result_); }

 private:
  const Profile* profile_;
  std::string path_;
  Query query_;
  Delivery delivery_;
  stream_progress* progress_;
  request_options options_;
  pager pages_;
  std::size_t delivered_ = 0;
  http_request request_;
  std::optional<json_reply<page>> reply_;
  std::optional<result<value_type>> result_;
};

/// Each item to `on_item` as soon as it is decoded, while its page downloads.
template <class Profile, class Model, class F>
class item_delivery {
 public:
  using page = typename page_delivery<Profile, Model, F>::page;
  using callback = F;

  explicit item_delivery(F on_item) : on_item_(std::move(on_item)) {}

  std::pair<const page*, const std::function<void()>*> start_page(stream_progress& progress,
                                                                  std::size_t& delivered) {
    current_.reset();
    current_.emplace(on_item_, progress, delivered);
    return {&current_->prototype, &current_->on_attempt};
  }
  bool end_page(page&, stream_progress&, std::size_t&) { return true; }

 private:
  F on_item_;
  std::optional<page_delivery<Profile, Model, F>> current_;
};

/// Each page to `on_page` once it is read whole.
template <class Profile, class Model, class F>
class page_callback {
 public:
  using page = typename Profile::template envelope<std::vector<Model>>;
  using callback = F;

  explicit page_callback(F on_page) : on_page_(std::move(on_page)) {}

  std::pair<const page*, const std::function<void()>*> start_page(stream_progress&, std::size_t&) {
    return {nullptr, nullptr};
  }
  bool end_page(page& p, stream_progress& progress, std::size_t& delivered) {
    bool go = true;
    if constexpr (std::is_void_v<std::invoke_result_t<F&, page&>>)
      std::invoke(on_page_, p);
    else
      go = static_cast<bool>(std::invoke(on_page_, p));
    ++delivered;
    progress.delivered += Profile::items(p).size();
    return go;
  }

 private:
  F on_page_;
};

/// The operations of a client of `Profile`, each returned ready to run (a prvalue, built in
/// place by the runner).
template <class Profile>
class operations {
 public:
  explicit operations(const Profile& profile) noexcept : profile_(&profile) {}

  /// One page at `cursor`, decoded as `Page`.
  template <class Page, class Query>
  auto list_page(std::string_view path, const Query& query,
                 const std::optional<std::string>& cursor, request_options options) const {
    auto req = builder().build(http_method::get, path, query, cursor, options);
    return exchange_op<Profile, json_reply<Page>>(*profile_, std::move(req), std::move(options));
  }

  /// One page's body, undecoded, to `sink`.
  template <class Query>
  auto list_page_bytes(std::string_view path, const Query& query,
                       const std::optional<std::string>& cursor, const byte_sink& sink,
                       request_options options) const {
    auto req = builder().build(http_method::get, path, query, cursor, options);
    return exchange_op<Profile, bytes_reply>(*profile_, std::move(req), std::move(options), sink);
  }

  /// Every item from `progress.cursor` on, to `on_item` as decoded.
  template <class Model, class Query, class F>
  auto stream_items(std::string path, Query query, F on_item, stream_progress& progress,
                    request_options options) const {
    return listing<item_delivery<Profile, Model, F>>(
        std::move(path), std::move(query), std::move(on_item), progress, std::move(options));
  }

  /// Every page from `progress.cursor` on, to `on_page` once read whole.
  template <class Model, class Query, class F>
  auto stream_pages(std::string path, Query query, F on_page, stream_progress& progress,
                    request_options options) const {
    return listing<page_callback<Profile, Model, F>>(
        std::move(path), std::move(query), std::move(on_page), progress, std::move(options));
  }

  /// The record `id` of the collection at `path`.
  template <class Model, class Query>
  auto get(std::string_view path, std::string_view id, const Query& query,
           request_options options) const {
    auto req = builder().build(http_method::get, request_builder<Profile>::record_path(path, id),
                               query, std::nullopt, options);
    return exchange_op<Profile, json_reply<Model>>(*profile_, std::move(req), std::move(options));
  }

  /// A create (POST to the collection) or an update (PATCH to the record); the record as the
  /// profile's write response holds it.
  template <class Model, class Query, class Body>
  auto write(http_method method, std::string_view path, const Query& query, const Body& body,
             const call_options& options) const {
    using response = typename Profile::template write_response<Model>;
    auto unwrap = [](response&& r, const auto& op) -> result<Model> {
      auto record = Profile::unwrap_write(std::move(r));
      if (!record) return op.context().with_context(record.error());
      return record;
    };
    return then_op<exchange_op<Profile, json_reply<response>>, decltype(unwrap)>(
        unwrap, *profile_, with_body(method, path, query, body, options), options.request());
  }

  /// A delete; the id the server confirms (or `id`).
  template <class Query>
  auto remove(std::string_view path, std::string_view id, const Query& query,
              const call_options& options) const {
    auto o = options.request();
    auto req =
        builder().build(http_method::delete_, request_builder<Profile>::record_path(path, id),
                        query, std::nullopt, o);
    if (req && options.idempotency_key)
      req->headers.set("Idempotency-Key", *options.idempotency_key);
    using response = typename Profile::delete_response;
    auto confirmed = [id = std::string(id)](response&& r, const auto&) -> result<std::string> {
      std::optional<std::string> confirmed = Profile::deleted_id(r);
      return confirmed ? std::move(*confirmed) : id;
    };
    return then_op<exchange_op<Profile, json_reply<response>>, decltype(confirmed)>(
        std::move(confirmed), *profile_, std::move(req), std::move(o));
  }

  /// A custom method with a JSON response, unwrapped as the profile says.
  template <class Response, class Query, class Body>
  auto call(http_method verb, std::string_view path, const Query& query, const Body& body,
            const call_options& options) const {
    auto unwrap = [](json::raw_json&& raw, const auto& op) -> result<Response> {
      auto r = Profile::template unwrap_custom<Response>(raw.text());
      if (!r) return op.context().with_context(r.error());
      return r;
    };
    return then_op<exchange_op<Profile, json_reply<json::raw_json>>, decltype(unwrap)>(
        unwrap, *profile_, with_body(verb, path, query, body, options), options.request());
  }

  /// A custom method with a binary response, to `sink`.
  template <class Query, class Body>
  auto download(http_method verb, std::string_view path, const Query& query, const Body& body,
                const byte_sink& sink, const call_options& options) const {
    auto req = with_body(verb, path, query, body, options);
    if (req) req->headers.set("Accept", "*/*");
    return exchange_op<Profile, bytes_reply>(*profile_, std::move(req), options.request(), sink);
  }

  /// `method path?query`, a 2xx response decoded as `T`.
  template <class T, class Query>
  auto fetch_json(http_method method, std::string_view path, const Query& query,
                  request_options options) const {
    auto req = builder().build(method, path, query, std::nullopt, options);
    return exchange_op<Profile, json_reply<T>>(*profile_, std::move(req), std::move(options));
  }

  /// `method path?query` with `body` as it is, a 2xx response's body to `sink`.
  template <class Query>
  auto send_raw(http_method method, std::string_view path, const Query& query, std::string body,
                std::string_view content_type, const byte_sink& sink,
                const call_options& options) const {
    auto o = options.request();
    auto req = builder().build(method, path, query, std::nullopt, o);
    if (req)
      request_builder<Profile>::set_raw_body(*req, std::move(body), content_type,
                                             options.idempotency_key);
    return exchange_op<Profile, bytes_reply>(*profile_, std::move(req), std::move(o), sink);
  }

  /// The caller's request with credentials added; the whole response, whatever its status.
  auto send(http_request req) const {
    profile_->authorize(req);
    return exchange_op<Profile, whole_reply>(*profile_, std::move(req), request_options{});
  }

 private:
  request_builder<Profile> builder() const noexcept { return request_builder<Profile>(*profile_); }

  // `method path?query` with `body` (JSON or multipart) and the idempotency key.
  template <class Query, class Body>
  result<http_request> with_body(http_method method, std::string_view path, const Query& query,
                                 const Body& body, const call_options& options) const {
    auto req = builder().build(method, path, query, std::nullopt, options.request());
    if (req) request_builder<Profile>::set_body(*req, body, options.idempotency_key);
    return req;
  }

  template <class Delivery, class Query>
  auto listing(std::string path, Query query, typename Delivery::callback deliver,
               stream_progress& progress, request_options options) const {
    return listing_op<Profile, Query, Delivery>(*profile_, std::move(path), std::move(query),
                                                std::move(deliver), progress, std::move(options));
  }

  const Profile* profile_;
};

}  // namespace uniapi::detail

#endif
