// uniapi — the client template: resources × provider profile × transport.
#ifndef UNIAPI_BASIC_CLIENT_HPP
#define UNIAPI_BASIC_CLIENT_HPP

#include <uniapi/body_sink.hpp>
#include <uniapi/client_hooks.hpp>
#include <uniapi/cursor_range.hpp>
#include <uniapi/http.hpp>
#include <uniapi/json/decode.hpp>
#include <uniapi/json/encode.hpp>
#include <uniapi/json/item_stream.hpp>
#include <uniapi/multipart.hpp>
#include <uniapi/query_string.hpp>
#include <uniapi/resource.hpp>
#include <uniapi/result.hpp>
#include <uniapi/transport.hpp>

#include <boost/describe/class.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_set>
#include <utility>

namespace uniapi {

/// How one unified-API vendor speaks: where it lives, how it authenticates, what a page looks
/// like, which query parameter carries the cursor, and how its error bodies read.
///
/// Requirements on `P`:
/// @code
/// struct my_profile {
///   std::string base_url;                                     // origin [+ path prefix]
///   template <class T> using page = my_page<T>;               // has `result` and `next_cursor`
///   static constexpr std::string_view cursor_param = "cursor";
///   void authorize(http_request& req) const;                  // adds credentials
///   error to_error(const http_response& r, std::string_view what) const;  // non-2xx → error
///   std::string redact(std::string text) const;               // removes credentials from text
/// };
/// @endcode
template <class P>
concept provider_profile = requires(const P& p, http_request& req, const http_response& resp,
                                    std::string_view what, std::string text) {
  // Where requests go: scheme://host[:port][/prefix].
  { p.base_url } -> std::convertible_to<std::string_view>;
  // Query parameter that carries the cursor of the page to fetch.
  { P::cursor_param } -> std::convertible_to<std::string_view>;
  // The list envelope for items of a type.
  typename P::template page<int>;
  // Adds credentials to a request.
  p.authorize(req);
  // Maps a non-2xx response to an error; `what` is "METHOD /path".
  { p.to_error(resp, what) } -> std::same_as<error>;
  // Removes credentials from a text before it is shown.
  { p.redact(text) } -> std::same_as<std::string>;
};

namespace detail {
// The body of a DELETE response: `{"id": "..."}`.
struct deleted_record {
  std::optional<std::string> id;
  BOOST_DESCRIBE_CLASS(deleted_record, (), (id), (), ())
};
// A custom method's response wrapped as `{"result": ...}`.
struct wrapped_result {
  std::optional<json::raw_json> result;
  BOOST_DESCRIBE_CLASS(wrapped_result, (), (result), (), ())
};
}  // namespace detail

/// Options of one listing.
struct list_options {
  /// Start from this cursor (saved from `cursor_range::resume_cursor()`) instead of page one.
  std::optional<std::string> cursor;
};

/// Where a streamed listing (`basic_client::for_each_item`) stands.
///
/// Pass the same object again to resume after an error: the listing restarts at `cursor` and
/// skips the `delivered_on_page` items of that page that were already delivered, so nothing is
/// delivered twice or skipped (as long as the server returns that page alike).
struct stream_progress {
  std::optional<std::string> cursor;  ///< cursor of the page being read (none: the first page)
  std::size_t delivered_on_page = 0;  ///< items of that page already delivered
  std::size_t delivered = 0;          ///< items delivered in total
  std::size_t pages = 0;              ///< pages read to the end
};

/// Options of one write (create, update, delete or custom method).
struct call_options {
  /// Sent as `Idempotency-Key`: the server answers a repeat with the first response, which
  /// also makes the request safe to retry.
  std::optional<std::string> idempotency_key;
};

/// Receives downloaded bytes in order; an error aborts the download.
using byte_sink = std::function<result<void>(std::string_view)>;

/// What a download delivered.
struct download_info {
  std::string content_type;  ///< the response's Content-Type
  std::uint64_t bytes = 0;   ///< bytes passed to the sink
};

/// A client for the resources of one provider over one transport.
///
/// Every operation sends authorised requests built from a resource descriptor and typed query
/// and body values, and returns `result<T>`. Methods exist only for resources that declare them
/// (see `resource`). Lists decode each page while it downloads when the transport streams.
///
/// @par Thread Safety
/// As safe as the transport: one client per thread unless the transport says otherwise.
template <provider_profile Profile, transport Transport>
class basic_client {
 public:
  /// The page type of the profile for records of type `T`.
  template <class T>
  using page_type = typename Profile::template page<T>;

  basic_client(Profile profile, Transport transport, client_hooks hooks = {})
      : profile_(std::move(profile)), transport_(std::move(transport)), hooks_(std::move(hooks)) {}

  const Profile& profile() const noexcept { return profile_; }
  Transport& transport() noexcept { return transport_; }

  /// Lists `R`: a lazy range of pages, one request each. `query` is copied, never changed.
  template <resource R>
  requires listable<R> cursor_range<page_type<typename R::model>> list(
      R r, typename list_query_of<R>::type query, list_options options = {}) {
    using page = page_type<typename R::model>;
    return cursor_range<page>(
        [this, r, q = std::move(query)](const std::optional<std::string>& cursor) -> result<page> {
          return list_page(r, q, cursor);
        },
        std::move(options.cursor));
  }

  /// Lists `R` item by item (see `list`).
  template <resource R>
  requires listable<R> item_range<page_type<typename R::model>> list_items(
      R r, typename list_query_of<R>::type query, list_options options = {}) {
    return item_range<page_type<typename R::model>>(list(r, std::move(query), std::move(options)));
  }

  /// Lists `R`, handing each item to `on_item` as soon as it is decoded — while its page is still
  /// downloading — page after page. Memory stays at one item plus the transport's buffers however
  /// large a page is (`truto_ignore_limit=true`). `on_item(model&)` may move from the item; it
  /// returns void, or bool where false stops the listing with `errc::stopped`. Returns the number
  /// of items delivered by this call; `progress` says where the listing stands (see
  /// `stream_progress`), and its `cursor` is where it starts.
  template <resource R, class F>
  requires listable<R> && std::invocable<F&, typename R::model&> result<std::size_t> for_each_item(
      R, typename list_query_of<R>::type query, F on_item, stream_progress& progress) {
    using model = typename R::model;
    using page = typename Profile::template streamed_page<model>;
    std::unordered_set<std::string> seen;
    if (progress.cursor) seen.insert(*progress.cursor);
    std::size_t delivered = 0;
    for (;;) {
      std::size_t skip = progress.delivered_on_page, index = 0;
      // Every attempt at the page (a retry after a reset mid-body included) starts reading it
      // from its first item and skips those already delivered.
      std::function<void()> on_attempt = [&] {
        index = 0;
        skip = progress.delivered_on_page;
      };
      page prototype{};
      prototype.result = json::item_stream<model>([&](model& item) -> bool {
        if (index++ < skip) return true;
        bool go = true;
        if constexpr (std::is_void_v<std::invoke_result_t<F&, model&>>)
          std::invoke(on_item, item);
        else
          go = static_cast<bool>(std::invoke(on_item, item));
        ++progress.delivered_on_page;
        ++progress.delivered;
        ++delivered;
        return go;
      });
      auto req = build(http_method::get, std::string(R::path), query, progress.cursor);
      if (!req) return req.error();
      auto p = execute_json<page>(*req, prototype, &on_attempt);
      if (!p) return p.error();
      ++progress.pages;
      progress.delivered_on_page = 0;
      const auto& next = p->next_cursor;
      if (!next || next->empty()) {
        progress.cursor.reset();
        return delivered;
      }
      progress.cursor = *next;
      if (!seen.insert(*next).second)
        return make_error(errc::repeated_cursor, "the server returned cursor \"" +
                                                     next->substr(0, 64) +
                                                     "\" a second time; stopping to avoid a loop");
    }
  }

  /// `for_each_item` from the first page (or `options.cursor`), without keeping the progress.
  template <resource R, class F>
  requires listable<R> && std::invocable<F&, typename R::model&> result<std::size_t> for_each_item(
      R r, typename list_query_of<R>::type query, F on_item, list_options options = {}) {
    stream_progress progress{.cursor = std::move(options.cursor)};
    return for_each_item(r, std::move(query), std::move(on_item), progress);
  }

  /// Fetches one page of `R` at `cursor` (the first page when empty).
  template <resource R>
  requires listable<R> result<page_type<typename R::model>> list_page(
      R r, const typename list_query_of<R>::type& query, const std::optional<std::string>& cursor) {
    return list_page_as<page_type<typename R::model>>(r, query, cursor);
  }

  /// Lists `R` decoding each page as `Page`, for response shapes other than the model's:
  /// `page_type<boost::json::value>` for `truto_response_format=raw` or `normalized`, or a page
  /// whose `result` is a map for `truto_key_by`. `Page` needs `next_cursor`.
  template <class Page, resource R>
  requires listable<R> cursor_range<Page> list_pages_as(R r, typename list_query_of<R>::type query,
                                                        list_options options = {}) {
    return cursor_range<Page>(
        [this, r, q = std::move(query)](const std::optional<std::string>& cursor) -> result<Page> {
          return list_page_as<Page>(r, q, cursor);
        },
        std::move(options.cursor));
  }

  /// Lists `R` item by item, decoding each item as `Item` (see `list_pages_as`).
  template <class Item, resource R>
  requires listable<R> item_range<page_type<Item>> list_items_as(
      R r, typename list_query_of<R>::type query, list_options options = {}) {
    return item_range<page_type<Item>>(
        list_pages_as<page_type<Item>>(r, std::move(query), std::move(options)));
  }

  /// Fetches one page of `R` at `cursor`, decoded as `Page`.
  template <class Page, resource R>
  requires listable<R> result<Page> list_page_as(R, const typename list_query_of<R>::type& query,
                                                 const std::optional<std::string>& cursor) {
    auto req = build(http_method::get, std::string(R::path), query, cursor);
    if (!req) return req.error();
    return execute_json<Page>(*req);
  }

  /// Fetches one page of `R` and passes its body to `sink` as it arrives, undecoded (for
  /// `truto_response_format=stream`, or to store pages as received). Error responses are read
  /// as errors, never passed to the sink.
  template <resource R>
  requires listable<R> result<download_info> list_page_bytes(
      R, const typename list_query_of<R>::type& query, const std::optional<std::string>& cursor,
      const byte_sink& sink) {
    auto req = build(http_method::get, std::string(R::path), query, cursor);
    if (!req) return req.error();
    return stream_to(*req, sink);
  }

  /// Fetches the record `id` of `R`.
  template <resource R>
  requires gettable<R> result<typename R::model> get(R, std::string_view id,
                                                     typename get_query_of<R>::type query) {
    auto req = build(http_method::get, record_path<R>(id), query);
    if (!req) return req.error();
    return execute_json<typename R::model>(*req);
  }

  /// Creates a record of `R` (JSON body, or multipart when the body has a `file_part`).
  template <resource R>
  requires creatable<R> result<typename R::model> create(
      R, const typename create_types_of<R>::body& body, typename create_types_of<R>::query query,
      call_options options = {}) {
    auto req = build(http_method::post, std::string(R::path), query);
    if (!req) return req.error();
    set_body(*req, body, options);
    return execute_json<typename R::model>(*req);
  }

  /// Updates the record `id` of `R` (PATCH).
  template <resource R>
  requires updatable<R> result<typename R::model> update(
      R, std::string_view id, const typename update_types_of<R>::body& body,
      typename update_types_of<R>::query query, call_options options = {}) {
    auto req = build(http_method::patch, record_path<R>(id), query);
    if (!req) return req.error();
    set_body(*req, body, options);
    return execute_json<typename R::model>(*req);
  }

  /// Deletes the record `id` of `R`; returns the id the server confirms.
  template <resource R>
  requires deletable<R> result<std::string> remove(R, std::string_view id,
                                                   typename delete_query_of<R>::type query,
                                                   call_options options = {}) {
    auto req = build(http_method::delete_, record_path<R>(id), query);
    if (!req) return req.error();
    if (options.idempotency_key) req->headers.set("Idempotency-Key", *options.idempotency_key);
    auto r = execute_json<detail::deleted_record>(*req);
    if (!r) return r.error();
    return r->id.value_or(std::string(id));
  }

  /// Calls the custom method `M`, decoding its JSON response. Accepts the response both bare and
  /// wrapped as `{"result": ...}`.
  template <custom_method M>
  requires(!std::is_same_v<typename M::response, binary_response>)
      result<typename M::response> call(M, const typename M::body& body, typename M::query query,
                                        call_options options = {}) {
    auto req = build(M::verb, std::string(M::path), query);
    if (!req) return req.error();
    set_body(*req, body, options);
    auto raw = execute_json<json::raw_json>(*req);
    if (!raw) return raw.error();
    std::string_view text = raw->text();
    auto w = json::decode<detail::wrapped_result>(text);
    if (w && w->result && !raw->text().empty() && raw->text().front() == '{') {
      // Wrapped only when "result" is the sole key: the bare record never is just that.
      auto only = json::decode<boost::json::value>(text);
      if (only && only->is_object() && only->as_object().size() == 1) text = w->result->text();
    }
    auto r = json::decode<typename M::response>(text);
    if (!r) return with_context(r.error(), describe(*req));
    return r;
  }

  /// Calls the binary custom method `M`, passing the response body to `sink` as it arrives. Error
  /// responses are read as errors, never passed to the sink.
  template <custom_method M>
  requires std::is_same_v<typename M::response, binary_response> result<download_info> download(
      M, const typename M::body& body, typename M::query query, const byte_sink& sink,
      call_options options = {}) {
    auto req = build(M::verb, std::string(M::path), query);
    if (!req) return req.error();
    set_body(*req, body, options);
    req->headers.set("Accept", "*/*");
    return stream_to(*req, sink);
  }

  /// Sends a request built by the caller, with credentials added; returns the raw response.
  result<http_response> send(http_request req) {
    profile_.authorize(req);
    auto r = transport_.send(req);
    if (!r) return with_context(r.error(), describe(req));
    return r;
  }

 private:
  static constexpr std::size_t max_error_body = 1 << 20;

  // Sends `req` and passes a 2xx body to `sink` as it arrives; other statuses become errors.
  result<download_info> stream_to(const http_request& req, const byte_sink& sink) {
    struct bytes_sink final : body_sink {
      const byte_sink& out;
      download_info info;
      http_response error_response;
      bool ok = false;
      explicit bytes_sink(const byte_sink& s) : out(s) {}
      result<void> on_head(const http_response& head) override {
        ok = is_success(head.status);
        info = {};
        error_response = head;
        if (auto t = head.headers.find("Content-Type")) info.content_type = *t;
        return {};
      }
      result<void> on_data(std::string_view chunk) override {
        if (!ok) {
          if (error_response.body.size() < max_error_body) error_response.body.append(chunk);
          return {};
        }
        info.bytes += chunk.size();
        return out(chunk);
      }
    } s(sink);
    auto r = observed_send(req, s);
    if (!r) return with_context(r.error(), describe(req));
    if (!s.ok) {
      s.error_response.status = r->status;
      return profile_.to_error(s.error_response, describe(req));
    }
    return s.info;
  }

  template <class R>
  static std::string record_path(std::string_view id) {
    std::string p(R::path);
    p += '/';
    if (id == "." || id == "..")
      for (std::size_t i = 0; i < id.size(); ++i)
        p += "%2E";
    else
      p += boost::urls::encode(id, boost::urls::unreserved_chars);
    return p;
  }

  template <class Q>
  result<http_request> build(http_method m, std::string path, const Q& query,
                             const std::optional<std::string>& cursor = std::nullopt) {
    query_string qs;
    if constexpr (requires { query.append_to(qs); }) {
      if (auto r = query.append_to(qs); !r)
        return with_context(r.error(), std::string(to_string(m)) + " " + path);
    } else {
      append_query(qs, query);
    }
    if (cursor) qs.add(Profile::cursor_param, *cursor);
    http_request req;
    req.method = m;
    std::string_view base = profile_.base_url;
    while (!base.empty() && base.back() == '/')
      base.remove_suffix(1);
    req.url.reserve(base.size() + path.size() + qs.str().size() + 1);
    req.url.append(base).append(path);
    if (!qs.empty()) req.url.append("?").append(qs.str());
    req.headers.set("Accept", "application/json");
    profile_.authorize(req);
    return req;
  }

  template <class Body>
  void set_body(http_request& req, const Body& body, const call_options& options) {
    if constexpr (is_multipart_body<Body>()) {
      auto mp = encode_multipart(body);
      req.headers.set("Content-Type", std::move(mp.content_type));
      req.body = std::move(mp.data);
    } else {
      req.headers.set("Content-Type", "application/json");
      req.body = json::encode(body);
    }
    if (options.idempotency_key) req.headers.set("Idempotency-Key", *options.idempotency_key);
  }

  // "GET /unified/ats/attachments": method and path, never the query (it may carry ids users
  // consider private) nor the host's credentials.
  static std::string describe(const http_request& req) {
    std::string_view u = req.url;
    auto scheme = u.find("://");
    auto path_at = u.find('/', scheme == u.npos ? 0 : scheme + 3);
    std::string_view path = path_at == u.npos ? std::string_view("/") : u.substr(path_at);
    path = path.substr(0, path.find('?'));
    return std::string(to_string(req.method)) + " " + std::string(path);
  }

  error with_context(error e, const std::string& what) const {
    e.message = profile_.redact(e.message.empty() ? what : what + ": " + e.message);
    return e;
  }

  // Decodes a 2xx body into T while it arrives; keeps an error body for to_error.
  // `prototype` is the value decoding starts from (a streamed page carries its item callback);
  // `on_attempt`, if any, is called at each attempt's head. Every attempt decodes afresh, so a
  // retrying transport may retry a transfer that failed mid-body.
  template <class T>
  result<T> execute_json(const http_request& req, const T& prototype = T{},
                         const std::function<void()>* on_attempt = nullptr) {
    struct decoding_sink final : body_sink {
      decoding_sink(const T& p, const std::function<void()>* a) : prototype(p), on_attempt(a) {}
      const T& prototype;
      const std::function<void()>* on_attempt;
      std::optional<json::stream_decoder<T>> decoder;
      http_response error_response;
      bool ok = false;
      result<void> on_head(const http_response& head) override {
        ok = is_success(head.status);
        decoder.reset();
        if (on_attempt) (*on_attempt)();
        decoder.emplace(prototype);
        error_response = head;
        return {};
      }
      bool restartable() const noexcept override { return true; }
      result<void> on_data(std::string_view chunk) override {
        if (ok) return decoder->write(chunk);
        if (error_response.body.size() < max_error_body) error_response.body.append(chunk);
        return {};
      }
    } sink(prototype, on_attempt);
    auto r = observed_send(req, sink);
    if (!r) {
      // Items of a streamed page that arrived whole before the failure are still delivered.
      if (sink.ok && sink.decoder) (void)sink.decoder->flush();
      return with_context(r.error(), describe(req));
    }
    if (!sink.ok) {
      sink.error_response.status = r->status;
      return profile_.to_error(sink.error_response, describe(req));
    }
    auto v = sink.decoder->finish();
    if (!v) return with_context(v.error(), describe(req));
    return v;
  }

  // Sends through the transport, telling the hooks (if any) before and after.
  result<http_response> observed_send(const http_request& req, body_sink& sink) {
    if (!hooks_.on_request && !hooks_.on_response) return send_streaming(transport_, req, sink);
    std::string what = describe(req);
    std::string_view path = std::string_view(what).substr(what.find(' ') + 1);
    if (hooks_.on_request) hooks_.on_request(request_event{req.method, path});
    auto start = std::chrono::steady_clock::now();
    auto r = send_streaming(transport_, req, sink);
    if (hooks_.on_response) {
      response_event ev{req.method, path};
      ev.elapsed = std::chrono::steady_clock::now() - start;
      std::optional<error> failure;
      if (r) {
        ev.status = r->status;
        ev.headers = &r->headers;
      } else {
        failure = r.error();
        ev.failure = &*failure;
      }
      hooks_.on_response(ev);
    }
    return r;
  }

  Profile profile_;
  Transport transport_;
  client_hooks hooks_;
};

}  // namespace uniapi

#endif
