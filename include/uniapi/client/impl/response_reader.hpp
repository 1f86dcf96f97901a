// uniapi — response_reader's member definitions.
#ifndef UNIAPI_CLIENT_IMPL_RESPONSE_READER_HPP
#define UNIAPI_CLIENT_IMPL_RESPONSE_READER_HPP

namespace uniapi {

template <class Profile, class Transport>
std::string response_reader<Profile, Transport>::describe(const http_request& req) {
  std::string_view u = req.url;
  auto scheme = u.find("://");
  auto path_at = u.find('/', scheme == u.npos ? 0 : scheme + 3);
  std::string_view path = path_at == u.npos ? std::string_view("/") : u.substr(path_at);
  path = path.substr(0, path.find('?'));
  return std::string(to_string(req.method)) + " " + std::string(path);
}

template <class Profile, class Transport>
std::string response_reader<Profile, Transport>::redact(std::string text,
                                                        const request_options& options) const {
  for (const auto& [name, value] : options.headers)
    text = redact_secret(std::move(text), value);
  return profile_->redact(std::move(text));
}

template <class Profile, class Transport>
error response_reader<Profile, Transport>::with_context(error e, const http_request& req,
                                                        const request_options& options) const {
  std::string what = describe(req);
  e.message = redact(e.message.empty() ? what : what + ": " + e.message, options);
  if (!e.body.empty()) e.body = redact(std::move(e.body), options);
  return e;
}

template <class Profile, class Transport>
error response_reader<Profile, Transport>::status_error(http_response& head,
                                                        const http_request& req,
                                                        const request_options& options) const {
  error e = profile_->to_error(head, describe(req));
  e.message = redact(std::move(e.message), options);
  e.body = redact(std::move(e.body), options);
  return e;
}

template <class Profile, class Transport>
template <class T>
result<T> response_reader<Profile, Transport>::read_json(
    const http_request& req, const request_options& options, const T& prototype,
    const std::function<void()>* on_attempt) const {
  json_sink<T> sink(prototype, on_attempt);
  auto r = observed_send(req, sink);
  return finish(sink, std::move(r), req, options);
}

template <class Profile, class Transport>
template <class T>
result<T> response_reader<Profile, Transport>::finish(json_sink<T>& sink, result<http_response> r,
                                                      const http_request& req,
                                                      const request_options& options) const {
  if (!r) {
    // Items of a streamed page that arrived whole before the failure are still delivered.
    if (sink.ok && sink.decoder) (void)sink.decoder->flush();
    return with_context(r.error(), req, options);
  }
  if (!sink.ok) {
    sink.error_response.status = r->status;
    return status_error(sink.error_response, req, options);
  }
  auto v = sink.decoder->finish();
  if (!v) return with_context(v.error(), req, options);
  return v;
}

template <class Profile, class Transport>
result<download_info> response_reader<Profile, Transport>::read_bytes(
    const http_request& req, const request_options& options, const byte_sink& sink) const {
  bytes_sink s(sink);
  auto r = observed_send(req, s);
  return finish(s, std::move(r), req, options);
}

template <class Profile, class Transport>
result<download_info> response_reader<Profile, Transport>::finish(
    bytes_sink& s, result<http_response> r, const http_request& req,
    const request_options& options) const {
  if (!r) return with_context(r.error(), req, options);
  if (!s.ok) {
    s.error_response.status = r->status;
    return status_error(s.error_response, req, options);
  }
  return s.info;
}

template <class Profile, class Transport>
result<http_response> response_reader<Profile, Transport>::send(
    const http_request& req, const request_options& options) const {
  auto r = transport_->send(req);
  if (!r) return with_context(r.error(), req, options);
  return r;
}

template <class Profile, class Transport>
auto response_reader<Profile, Transport>::observe_request(const http_request& req) const
    -> observation {
  observation o;
  if (!hooks_->on_request && !hooks_->on_response) return o;
  o.what = describe(req);
  if (hooks_->on_request) hooks_->on_request(request_event{req.method, o.path()});
  o.start = std::chrono::steady_clock::now();
  return o;
}

template <class Profile, class Transport>
void response_reader<Profile, Transport>::observe_response(const http_request& req,
                                                           const observation& o,
                                                           const result<http_response>& r) const {
  if (!hooks_->on_response) return;
  response_event ev{req.method, o.path()};
  ev.elapsed = std::chrono::steady_clock::now() - o.start;
  std::optional<error> failure;
  if (r) {
    ev.status = r->status;
    ev.headers = &r->headers;
  } else {
    failure = r.error();
    ev.failure = &*failure;
  }
  hooks_->on_response(ev);
}

template <class Profile, class Transport>
result<http_response> response_reader<Profile, Transport>::observed_send(const http_request& req,
                                                                         body_sink& sink) const {
  if (!hooks_->on_request && !hooks_->on_response) return send_streaming(*transport_, req, sink);
  auto o = observe_request(req);
  auto r = send_streaming(*transport_, req, sink);
  observe_response(req, o, r);
  return r;
}

}  // namespace uniapi

#endif
