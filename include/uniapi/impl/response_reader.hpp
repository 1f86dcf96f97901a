// uniapi — response_reader's member definitions.
#ifndef UNIAPI_IMPL_RESPONSE_READER_HPP
#define UNIAPI_IMPL_RESPONSE_READER_HPP

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
result<http_response> response_reader<Profile, Transport>::observed_send(const http_request& req,
                                                                         body_sink& sink) const {
  if (!hooks_->on_request && !hooks_->on_response) return send_streaming(*transport_, req, sink);
  std::string what = describe(req);
  std::string_view path = std::string_view(what).substr(what.find(' ') + 1);
  if (hooks_->on_request) hooks_->on_request(request_event{req.method, path});
  auto start = std::chrono::steady_clock::now();
  auto r = send_streaming(*transport_, req, sink);
  if (hooks_->on_response) {
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
    hooks_->on_response(ev);
  }
  return r;
}

}  // namespace uniapi

#endif
