// uniapi — the SAX handler that decodes JSON straight into C++ objects.
#ifndef UNIAPI_JSON_DETAIL_DECODER_HPP
#define UNIAPI_JSON_DETAIL_DECODER_HPP

#include <uniapi/detail/config.hpp>
#include <uniapi/error.hpp>
#include <uniapi/json/detail/codec.hpp>
#include <uniapi/json/detail/source_tracker.hpp>
#include <uniapi/json/detail/text_buffer.hpp>

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/value_stack.hpp>

#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace uniapi::json::detail {

/// Receives Boost.JSON parser events and routes each value to the slot its C++ type provides.
///
/// Modelled values are written in place; unknown keys are skipped without allocation; `raw`
/// objects and arrays are sliced from the input as received (see `source_tracker`), across
/// chunks; `raw` scalars are re-emitted; `dom` members are built with a `value_stack`. The first
/// type error stops the parse and records a message with its JSON path.
class decode_handler {
 public:
  static constexpr std::size_t max_object_size = std::size_t(-1);
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_key_size = std::size_t(-1);
  static constexpr std::size_t max_string_size = std::size_t(-1);

  /// Starts a new document that fills `root`.
  void reset(slot root) {
    root_ = root;
    depth_ = 0;
    pending_ = {};
    skip_depth_ = 0;
    capture_ = capture_kind::none;
    str_.clear();
    key_.clear();
    num_.clear();
    message_.clear();
    stopped_ = false;
    slice_ = false;
    src_.reset();
  }

  /// The parser is about to read `[b, e)` (null for the end of input).
  void begin_chunk(const char* b, const char* e) noexcept { src_.begin_chunk(b, e); }

  /// The parser consumed the whole chunk.
  void end_chunk() {
    if (slice_) {
      const char* from = slice_from_ ? slice_from_ : src_.chunk_begin();
      raw_.append(std::string_view(from, static_cast<std::size_t>(src_.chunk_end() - from)));
      slice_from_ = nullptr;
    }
    src_.end_chunk();
  }

  /// The message of the error that stopped the parse ("path: what"), empty if none.
  const std::string& message() const noexcept { return message_; }
  /// True when an item callback stopped the parse.
  bool stopped() const noexcept { return stopped_; }
  /// Bytes held in buffers that outlive a document.
  std::size_t retained_bytes() const noexcept {
    return raw_.capacity() + str_.capacity() + key_.capacity() + num_.capacity();
  }
  /// The JSON path of the value being parsed now.
  std::string current_path() const { return path(depth_); }

  bool on_document_begin(boost::system::error_code&) { return true; }
  bool on_document_end(boost::system::error_code&) { return true; }

  bool on_object_begin(boost::system::error_code& ec) {
    src_.on_bracket();
    if (skip_depth_) return ++skip_depth_, true;
    if (capture_ != capture_kind::none) return capture_begin(token::object), true;
    slot s;
    if (!resolve(token::object, s, ec)) return false;
    if (!s.vt) return skip_depth_ = 1, true;
    if (s.vt->kind == shape::raw || s.vt->kind == shape::dom)
      return start_capture(s, true), capture_begin(token::object), true;
    if (s.vt->kind == shape::array && s.vt->accepts_object) {
      s.vt->array_begin(s.obj);
      frame& f = push(s);
      f.count = 0;
      f.member = -1;
      f.keyed = true;
      return true;
    }
    if (s.vt->kind != shape::object) return type_error(s.vt, token::object, ec);
    s.vt->object_begin(s.obj);
    frame& f = push(s);
    f.seen = 0;
    f.member = -1;
    f.keyed = false;
    return true;
  }

  bool on_object_end(std::size_t n, boost::system::error_code& ec) {
    src_.on_bracket();
    if (skip_depth_) return --skip_depth_, true;
    if (capture_ != capture_kind::none) return capture_end(token::object, n, ec);
    frame& f = stack_[depth_ - 1];
    if (f.keyed) return end_elements(f, ec);
    if (int m = f.target.vt->object_end(f.target.obj, f); m >= 0) {
      std::string p = path(depth_ - 1);
      std::string_view name = f.target.vt->member_name(m);
      if (!p.empty()) p += '.';
      p.append(name);
      return fail(p + ": missing required key", ec);
    }
    --depth_;
    return true;
  }

  bool on_array_begin(boost::system::error_code& ec) {
    src_.on_bracket();
    if (skip_depth_) return ++skip_depth_, true;
    if (capture_ != capture_kind::none) return capture_begin(token::array), true;
    slot s;
    if (!resolve(token::array, s, ec)) return false;
    if (!s.vt) return skip_depth_ = 1, true;
    if (s.vt->kind == shape::raw || s.vt->kind == shape::dom)
      return start_capture(s, true), capture_begin(token::array), true;
    if (s.vt->kind != shape::array) return type_error(s.vt, token::array, ec);
    s.vt->array_begin(s.obj);
    frame& f = push(s);
    f.count = 0;
    f.keyed = false;
    return true;
  }

  bool on_array_end(std::size_t n, boost::system::error_code& ec) {
    src_.on_bracket();
    if (skip_depth_) return --skip_depth_, true;
    if (capture_ != capture_kind::none) return capture_end(token::array, n, ec);
    return end_elements(stack_[depth_ - 1], ec);
  }

  bool on_key_part(std::string_view s, std::size_t, boost::system::error_code&) {
    if (ignoring()) return true;
    key_.append(s);
    return true;
  }

  [[gnu::always_inline]] bool on_key(std::string_view s, std::size_t,
                                     boost::system::error_code& ec) {
    src_.on_token(s, true);
    if (ignoring()) return true;
    if (!key_.empty()) {
      key_.append(s);
      s = key_;
    }
    if (skip_depth_) {
    } else if (capture_ != capture_kind::none) {
      capture_key(s);
    } else if (frame& f = stack_[depth_ - 1]; f.keyed) [[unlikely]] {
      return keyed_element(f, s, ec);
    } else {
      pending_ = f.target.vt->key(f.target.obj, s, f);
    }
    key_.clear();
    return true;
  }

  bool on_string_part(std::string_view s, std::size_t, boost::system::error_code&) {
    if (ignoring()) return true;
    str_.append(s);
    return true;
  }

  bool on_string(std::string_view s, std::size_t, boost::system::error_code& ec) {
    src_.on_token(s, true);
    if (ignoring()) return true;
    if (!str_.empty()) {
      str_.append(s);
      s = str_;
    }
    bool ok = scalar(
        token::string, ec,
        [&](slot t, std::string& err) {
          return t.vt->on_string ? t.vt->on_string(t.obj, s, err) : wrong(t.vt, token::string, err);
        },
        [&] { capture_string(s); });
    str_.clear();
    return ok;
  }

  bool on_number_part(std::string_view s, boost::system::error_code&) {
    if (ignoring()) return true;
    num_.append(s);
    return true;
  }

  bool on_int64(std::int64_t i, std::string_view s, boost::system::error_code& ec) {
    number_token n;
    n.kind = number_token::int64;
    n.i = i;
    return number(n, s, ec);
  }
  bool on_uint64(std::uint64_t u, std::string_view s, boost::system::error_code& ec) {
    number_token n;
    n.kind = number_token::uint64;
    n.u = u;
    return number(n, s, ec);
  }
  bool on_double(double d, std::string_view s, boost::system::error_code& ec) {
    number_token n;
    n.kind = number_token::floating;
    n.d = d;
    return number(n, s, ec);
  }

  bool on_bool(bool b, boost::system::error_code& ec) {
    return scalar(
        token::boolean, ec,
        [&](slot t, std::string& err) {
          return t.vt->on_bool ? t.vt->on_bool(t.obj, b, err) : wrong(t.vt, token::boolean, err);
        },
        [&] { capture_literal(b ? "true" : "false", [&] { vs_.push_bool(b); }); });
  }

  bool on_null(boost::system::error_code& ec) {
    return scalar(
        token::null_, ec, [&](slot t, std::string& err) { return wrong(t.vt, token::null_, err); },
        [&] { capture_literal("null", [&] { vs_.push_null(); }); });
  }

  bool on_comment_part(std::string_view, boost::system::error_code&) { return true; }
  bool on_comment(std::string_view, boost::system::error_code&) { return true; }

 private:
  enum class capture_kind : unsigned char { none, raw, dom };

  // Inside a skipped value or a raw value being sliced: tokens need no work.
  bool ignoring() const noexcept { return skip_depth_ != 0 || slice_; }

  frame& push(slot s) {
    if (depth_ == stack_.size()) stack_.emplace_back();
    frame& f = stack_[depth_++];
    f.target = s;
    return f;
  }

  // The slot the value that starts now goes to. Optional wrappers are unwrapped here: `null`
  // resets them and yields a skip slot.
  bool resolve(token t, slot& out, boost::system::error_code& ec) {
    slot s;
    if (depth_ == 0) {
      s = root_;
    } else {
      frame& f = stack_[depth_ - 1];
      if (f.target.vt->kind == shape::array && !f.keyed) {
        if (f.count && f.target.vt->element_end && !f.target.vt->element_end(f.target.obj))
          return stop(ec);
        s = f.target.vt->element(f.target.obj, f.count++);
      } else {
        s = pending_;
      }
    }
    while (s.vt && s.vt->kind == shape::optional) {
      if (t == token::null_) {
        s.vt->reset(s.obj);
        s = {};
        break;
      }
      s.obj = s.vt->emplace(s.obj);
      s.vt = s.vt->inner;
    }
    out = s;
    return true;
  }

  template <class Convert, class Capture>
  bool scalar(token t, boost::system::error_code& ec, Convert convert, Capture capture) {
    if (ignoring()) return true;
    if (capture_ != capture_kind::none) {
      capture();
      return true;
    }
    slot s;
    if (!resolve(t, s, ec)) return false;
    if (!s.vt) return true;
    if (s.vt->kind == shape::raw || s.vt->kind == shape::dom) {
      start_capture(s, false);
      capture();
      finish_capture_if_done();
      return true;
    }
    std::string err;
    if (!convert(s, err)) return fail(path(depth_) + ": " + err, ec);
    return true;
  }

  bool number(number_token& n, std::string_view last, boost::system::error_code& ec) {
    src_.on_token(last, false);
    if (ignoring()) return true;
    if (!num_.empty()) {
      num_.append(last);
      last = num_;
    }
    n.text = last;
    bool ok = scalar(
        token::number, ec,
        [&](slot t, std::string& err) {
          return t.vt->on_number ? t.vt->on_number(t.obj, n, err) : wrong(t.vt, token::number, err);
        },
        [&] {
          capture_literal(n.text, [&] {
            switch (n.kind) {
              case number_token::int64:
                vs_.push_int64(n.i);
                break;
              case number_token::uint64:
                vs_.push_uint64(n.u);
                break;
              case number_token::floating:
                vs_.push_double(n.d);
                break;
            }
          });
        });
    num_.clear();
    return ok;
  }

  static bool wrong(const vtable* vt, token got, std::string& err) {
    err = "expected ";
    err.append(vt->expected);
    err += ", got ";
    err.append(token_name(got));
    return false;
  }

  bool type_error(const vtable* vt, token got, boost::system::error_code& ec) {
    std::string err;
    wrong(vt, got, err);
    return fail(path(depth_) + ": " + err, ec);
  }

  // The key `s` of an object read as an array: its value is the next element. Kept out of line
  // so that `on_key`, on every key of every document, stays small enough to inline.
  [[gnu::noinline]] bool keyed_element(frame& f, std::string_view s,
                                       boost::system::error_code& ec) {
    if (f.count && f.target.vt->element_end && !f.target.vt->element_end(f.target.obj)) {
      key_.clear();
      return stop(ec);
    }
    f.key.assign(s);
    pending_ = f.target.vt->element(f.target.obj, f.count++);
    key_.clear();
    return true;
  }

  // Closes an array-shaped frame (an array, or an object read as one).
  bool end_elements(frame& f, boost::system::error_code& ec) {
    if (f.count && f.target.vt->element_end && !f.target.vt->element_end(f.target.obj))
      return stop(ec);
    f.target.vt->array_end(f.target.obj, f.count);
    --depth_;
    return true;
  }

  bool stop(boost::system::error_code& ec) {
    stopped_ = true;
    std::string where = path(depth_);
    return fail("stopped by the item callback" + (where.empty() ? "" : " after " + where), ec);
  }

  bool fail(std::string msg, boost::system::error_code& ec) {
    if (msg.starts_with(": ")) msg.erase(0, 2);
    message_ = std::move(msg);
    ec = make_error_code(boost::system::errc::invalid_argument);
    return false;
  }

  // "result[3].candidate.id": the first `n` frames, with each frame's current key or index.
  std::string path(std::size_t n) const {
    std::string p;
    for (std::size_t i = 0; i < n; ++i) {
      const frame& f = stack_[i];
      if (f.target.vt->kind == shape::array && !f.keyed) {
        if (f.count == 0) continue;
        p += '[';
        p += std::to_string(f.count - 1);
        p += ']';
      } else {
        std::string_view name = f.member >= 0 && f.target.vt->member_name
                                    ? f.target.vt->member_name(f.member)
                                    : std::string_view(f.key);
        if (name.empty()) continue;
        if (!p.empty()) p += '.';
        p.append(name);
      }
    }
    return p;
  }

  // ---- capture of free-form values -----------------------------------------------------------

  // `container`: the value starts with the bracket just reported, so a raw value can be sliced.
  void start_capture(slot s, bool container) {
    cap_depth_ = 0;
    cap_comma_ = false;
    cap_target_ = s.obj;
    if (s.vt->kind == shape::raw) {
      capture_ = capture_kind::raw;
      raw_.clear();
      slice_from_ = container ? src_.last_bracket() : nullptr;
      slice_ = slice_from_ != nullptr;
    } else {
      capture_ = capture_kind::dom;
      vs_.reset();
    }
  }

  // In a raw capture, a comma goes before a value or key that follows another in its container;
  // `cap_comma_` says whether one does at the current position.
  void capture_begin(token t) {
    if (slice_) {
      ++cap_depth_;
      return;
    }
    if (capture_ == capture_kind::raw) {
      char* p = raw_.prepare(2);
      if (cap_comma_) *p++ = ',';
      *p++ = t == token::object ? '{' : '[';
      raw_.commit(p);
      cap_comma_ = false;
    }
    ++cap_depth_;
  }

  bool capture_end(token t, std::size_t n, boost::system::error_code& ec) {
    if (slice_) {
      if (--cap_depth_ != 0) return true;
      const char* close = src_.last_bracket();
      if (!close) return fail("internal error: lost the input position of a raw value", ec);
      const char* from = slice_from_ ? slice_from_ : src_.chunk_begin();
      std::string_view tail(from, static_cast<std::size_t>(close + 1 - from));
      auto& text = static_cast<raw_json*>(cap_target_)->text();
      if (raw_.size() == 0) {
        text.assign(tail);
      } else {
        raw_.append(tail);
        text.assign(raw_.view());
      }
      slice_ = false;
      capture_ = capture_kind::none;
      return true;
    }
    if (capture_ == capture_kind::raw) {
      raw_.push_back(t == token::object ? '}' : ']');
      cap_comma_ = true;
    } else if (t == token::object) {
      vs_.push_object(n);
    } else {
      vs_.push_array(n);
    }
    --cap_depth_;
    finish_capture_if_done();
    return true;
  }

  void capture_key(std::string_view k) {
    if (slice_) return;
    if (capture_ == capture_kind::raw) {
      char* p = raw_.prepare(text_buffer::quoted_size(k) + 2);
      if (cap_comma_) *p++ = ',';
      p = text_buffer::write_quoted(p, k);
      *p++ = ':';
      raw_.commit(p);
      cap_comma_ = false;
    } else {
      vs_.push_key(k);
    }
  }

  void capture_string(std::string_view s) {
    if (slice_) return;
    if (capture_ == capture_kind::raw) {
      char* p = raw_.prepare(text_buffer::quoted_size(s) + 1);
      if (cap_comma_) *p++ = ',';
      raw_.commit(text_buffer::write_quoted(p, s));
      cap_comma_ = true;
    } else {
      vs_.push_string(s);
    }
  }

  template <class Dom>
  void capture_literal(std::string_view text, Dom dom) {
    if (slice_) return;
    if (capture_ == capture_kind::raw) {
      char* p = raw_.prepare(text.size() + 1);
      if (cap_comma_) *p++ = ',';
      std::memcpy(p, text.data(), text.size());
      raw_.commit(p + text.size());
      cap_comma_ = true;
    } else {
      dom();
    }
  }

  void finish_capture_if_done() {
    if (cap_depth_ != 0) return;
    if (capture_ == capture_kind::dom)
      *static_cast<boost::json::value*>(cap_target_) = vs_.release();
    else
      static_cast<raw_json*>(cap_target_)->text().assign(raw_.view());
    capture_ = capture_kind::none;
  }

  slot root_;
  slot pending_;
  std::vector<frame> stack_;
  std::size_t depth_ = 0;
  std::size_t skip_depth_ = 0;
  capture_kind capture_ = capture_kind::none;
  std::size_t cap_depth_ = 0;
  bool cap_comma_ = false;
  bool slice_ = false;                // the raw capture in progress is a slice of the input
  const char* slice_from_ = nullptr;  // its start in the current chunk (null: the chunk's start)
  source_tracker src_;
  text_buffer raw_;  // text of the raw capture in progress, copied to its raw_json when done
  void* cap_target_ = nullptr;
  boost::json::value_stack vs_;
  std::string str_, key_, num_;
  std::string message_;
  bool stopped_ = false;
};

}  // namespace uniapi::json::detail

#if defined(UNIAPI_SEPARATE_COMPILATION)
// The parser is compiled once, by <uniapi/src.hpp> (json/impl/decoder.ipp).
extern template class boost::json::basic_parser<uniapi::json::detail::decode_handler>;
#endif

namespace uniapi::json::detail {

/// A reusable JSON-to-object decoder: a Boost.JSON `basic_parser` driving `decode_handler`.
///
/// Non-template, so the parser is instantiated once per program whatever the models are (with
/// UNIAPI_SEPARATE_COMPILATION, once in the compiled library).
class decoder {
 public:
  decoder() : parser_(options()) {}

  /// Starts a new document that fills `root`.
  void start(slot root) {
    parser_.reset();
    parser_.handler().reset(root);
    offset_ = 0;
    failed_.reset();
    pending_.clear();
    gather_ = true;
  }

  /// Feeds the next piece of the document. Pieces smaller than `small_chunk` are gathered up to
  /// `gathered_chunk` bytes first: the parser pays a suspend and resume per piece, which costs
  /// more than copying a few KiB.
  bool write(std::string_view chunk) {
    if (failed_) return false;
    if (!gather_ || chunk.size() >= small_chunk) return flush() && parse(chunk);
    pending_.append(chunk);
    return pending_.size() < gathered_chunk || flush();
  }

  /// Whether small pieces are gathered before parsing (the default) or parsed as they come.
  void gather_small_chunks(bool on) noexcept { gather_ = on; }

  /// Parses the pieces gathered so far.
  bool flush() {
    if (failed_) return false;
    if (pending_.empty()) return true;
    bool ok = parse(pending_);
    pending_.clear();
    return ok;
  }

  /// Ends the document; false if it is incomplete or was already in error.
  bool finish() {
    if (failed_ || !flush()) return false;
    boost::system::error_code ec;
    parser_.handler().begin_chunk(nullptr, nullptr);
    guarded([&] { return parser_.write_some(false, nullptr, 0, ec); });
    if (ec) return record(ec), false;
    return true;
  }

  /// The error that stopped decoding.
  const uniapi::error& error() const { return *failed_; }

  /// Bytes held in buffers that outlive a document.
  std::size_t retained_bytes() const noexcept {
    return parser_.handler().retained_bytes() + pending_.capacity();
  }

 private:
  static constexpr std::size_t small_chunk = 8 * 1024;
  static constexpr std::size_t gathered_chunk = 16 * 1024;

  bool parse(std::string_view chunk) {
    boost::system::error_code ec;
    auto& h = parser_.handler();
    h.begin_chunk(chunk.data(), chunk.data() + chunk.size());
    std::size_t n =
        guarded([&] { return parser_.write_some(true, chunk.data(), chunk.size(), ec); });
    if (!ec && n < chunk.size()) ec = boost::json::error::extra_data;
    if (!ec) h.end_chunk();
    offset_ += n;
    if (ec) return record(ec), false;
    return true;
  }

  static boost::json::parse_options options() {
    boost::json::parse_options o;
    o.max_depth = 512;
    return o;
  }

  // Runs the parser; an exception from an item callback ends the document and propagates.
  template <class F>
  std::size_t guarded(F run) {
    try {
      return run();
    } catch (...) {
      failed_ = make_error(errc::stopped, "an item callback threw");
      throw;
    }
  }

  void record(boost::system::error_code ec) {
    const auto& h = parser_.handler();
    if (!h.message().empty()) {
      failed_ = make_error(h.stopped() ? errc::stopped : errc::decode_failed, h.message());
      return;
    }
    std::string msg;
    std::string p = h.current_path();
    if (!p.empty()) msg = p + ": ";
    msg += "malformed JSON at byte " + std::to_string(offset_) + ": " + ec.message();
    failed_ = make_error(errc::decode_failed, std::move(msg));
  }

  boost::json::basic_parser<decode_handler> parser_;
  std::size_t offset_ = 0;
  std::optional<uniapi::error> failed_;
  std::string pending_;  // small pieces gathered before parsing
  bool gather_ = true;
};

/// Returns a decoder to its thread's pool (or deletes it).
struct decoder_recycler {
  void operator()(decoder* d) const noexcept;
};

/// A decoder borrowed from the current thread's pool: a loop that decodes page after page with
/// `stream_decoder` then reuses parser state and buffers instead of rebuilding them.
using pooled_decoder = std::unique_ptr<decoder, decoder_recycler>;

struct decoder_pool {
  static constexpr std::size_t max_kept = 4;
  static constexpr std::size_t max_retained_bytes = 1u << 20;
  std::vector<decoder*> free;
  bool alive = true;
  ~decoder_pool() {
    alive = false;
    for (decoder* d : free)
      delete d;
  }
  static decoder_pool& local() {
    thread_local decoder_pool pool;
    return pool;
  }
};

inline pooled_decoder acquire_decoder() {
  auto& pool = decoder_pool::local();
  if (pool.alive && !pool.free.empty()) {
    decoder* d = pool.free.back();
    pool.free.pop_back();
    return pooled_decoder(d);
  }
  return pooled_decoder(new decoder);
}

inline void decoder_recycler::operator()(decoder* d) const noexcept {
  auto& pool = decoder_pool::local();
  if (pool.alive && pool.free.size() < decoder_pool::max_kept &&
      d->retained_bytes() <= decoder_pool::max_retained_bytes) {
    try {
      pool.free.push_back(d);
      return;
    } catch (...) {
    }
  }
  delete d;
}

}  // namespace uniapi::json::detail

#endif
