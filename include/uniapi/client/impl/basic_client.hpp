// uniapi — basic_client's member definitions: each runs one operation of `detail::operations`.
#ifndef UNIAPI_CLIENT_IMPL_BASIC_CLIENT_HPP
#define UNIAPI_CLIENT_IMPL_BASIC_CLIENT_HPP

namespace uniapi {

template <class Profile, class Transport>
template <listable R>
cursor_range<typename basic_client<Profile, Transport>::template page_type<typename R::model>>
basic_client<Profile, Transport>::list(R r, typename list_query_of<R>::type query,
                                       list_options options) {
  return list_pages_as<page_type<typename R::model>>(r, std::move(query), std::move(options));
}

template <class Profile, class Transport>
template <listable R>
item_range<typename basic_client<Profile, Transport>::template page_type<typename R::model>,
           typename R::model>
basic_client<Profile, Transport>::list_items(R r, typename list_query_of<R>::type query,
                                             list_options options) {
  return list_items_as<typename R::model>(r, std::move(query), std::move(options));
}

template <class Profile, class Transport>
template <class Page, listable R>
cursor_range<Page> basic_client<Profile, Transport>::list_pages_as(
    R r, typename list_query_of<R>::type query, list_options options) {
  return cursor_range<Page>(
      [this, r, q = std::move(query),
       o = options.request()](const std::optional<std::string>& cursor) -> result<Page> {
        return list_page_as<Page>(r, q, cursor, o);
      },
      [](const Page& p) -> std::optional<std::string> { return Profile::next_cursor(p); },
      std::move(options.cursor));
}

template <class Profile, class Transport>
template <class Item, listable R>
item_range<typename basic_client<Profile, Transport>::template page_type<Item>, Item>
basic_client<Profile, Transport>::list_items_as(R r, typename list_query_of<R>::type query,
                                                list_options options) {
  using page = page_type<Item>;
  return item_range<page, Item>(list_pages_as<page>(r, std::move(query), std::move(options)),
                                [](page& p) -> std::vector<Item>& { return Profile::items(p); });
}

template <class Profile, class Transport>
template <class Page, listable R>
result<Page> basic_client<Profile, Transport>::list_page_as(
    R r, const typename list_query_of<R>::type& query, const std::optional<std::string>& cursor,
    const request_options& options) {
  return run(this->ops().template list_page<Page>(r.path, query, cursor, options));
}

template <class Profile, class Transport>
template <listable R>
result<typename basic_client<Profile, Transport>::template page_type<typename R::model>>
basic_client<Profile, Transport>::list_page(R r, const typename list_query_of<R>::type& query,
                                            const std::optional<std::string>& cursor,
                                            const request_options& options) {
  return list_page_as<page_type<typename R::model>>(r, query, cursor, options);
}

template <class Profile, class Transport>
template <listable R, class F>
requires std::invocable<F&, typename R::model&> result<std::size_t>
basic_client<Profile, Transport>::for_each_item(R r, typename list_query_of<R>::type query,
                                                F on_item, stream_progress& progress,
                                                request_options options) {
  return run(this->ops().template stream_items<typename R::model>(
      std::string(r.path), std::move(query), std::ref(on_item), progress, std::move(options)));
}

template <class Profile, class Transport>
template <listable R, class F>
requires std::invocable<F&, typename R::model&> result<std::size_t>
basic_client<Profile, Transport>::for_each_item(R r, typename list_query_of<R>::type query,
                                                F on_item, list_options options) {
  stream_progress progress{.cursor = std::move(options.cursor)};
  return for_each_item(r, std::move(query), std::move(on_item), progress, options.request());
}

template <class Profile, class Transport>
template <listable R>
result<download_info> basic_client<Profile, Transport>::list_page_bytes(
    R r, const typename list_query_of<R>::type& query, const std::optional<std::string>& cursor,
    const byte_sink& sink, const request_options& options) {
  return run(this->ops().list_page_bytes(r.path, query, cursor, sink, options));
}

template <class Profile, class Transport>
template <gettable R>
result<typename R::model> basic_client<Profile, Transport>::get(
    R r, std::string_view id, typename get_query_of<R>::type query,
    const request_options& options) {
  return run(this->ops().template get<typename R::model>(r.path, id, query, options));
}

template <class Profile, class Transport>
template <creatable R>
result<typename R::model> basic_client<Profile, Transport>::create(
    R r, const typename create_types_of<R>::body& body, typename create_types_of<R>::query query,
    call_options options) {
  return run(this->ops().template write<typename R::model>(http_method::post, r.path, query, body,
                                                           options));
}

template <class Profile, class Transport>
template <updatable R>
result<typename R::model> basic_client<Profile, Transport>::update(
    R r, std::string_view id, const typename update_types_of<R>::body& body,
    typename update_types_of<R>::query query, call_options options) {
  return run(this->ops().template write<typename R::model>(
      http_method::patch, request_builder<Profile>::record_path(r.path, id), query, body, options));
}

template <class Profile, class Transport>
template <deletable R>
result<std::string> basic_client<Profile, Transport>::remove(
    R r, std::string_view id, typename delete_query_of<R>::type query, call_options options) {
  return run(this->ops().remove(r.path, id, query, options));
}

template <class Profile, class Transport>
template <custom_method M>
requires(!std::is_same_v<typename M::response, binary_response>)
    result<typename M::response> basic_client<Profile, Transport>::call(
        M, const typename M::body& body, typename M::query query, call_options options) {
  return run(
      this->ops().template call<typename M::response>(M::verb, M::path, query, body, options));
}

template <class Profile, class Transport>
template <custom_method M>
requires std::is_same_v<typename M::response, binary_response> result<download_info>
basic_client<Profile, Transport>::download(M, const typename M::body& body, typename M::query query,
                                           const byte_sink& sink, call_options options) {
  return run(this->ops().download(M::verb, M::path, query, body, sink, options));
}

template <class Profile, class Transport>
template <class T, class Query>
result<T> basic_client<Profile, Transport>::fetch_json(http_method method, std::string_view path,
                                                       const Query& query,
                                                       const request_options& options) {
  return run(this->ops().template fetch_json<T>(method, path, query, options));
}

template <class Profile, class Transport>
template <class Query>
result<download_info> basic_client<Profile, Transport>::send_raw(
    http_method method, std::string_view path, const Query& query, std::string body,
    std::string_view content_type, const byte_sink& sink, call_options options) {
  return run(
      this->ops().send_raw(method, path, query, std::move(body), content_type, sink, options));
}

template <class Profile, class Transport>
result<http_response> basic_client<Profile, Transport>::send(http_request req) {
  return run(this->ops().send(std::move(req)));
}

}  // namespace uniapi

#endif
