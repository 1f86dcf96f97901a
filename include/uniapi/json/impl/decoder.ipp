// uniapi — the JSON decoder's non-template code: the handler's events and the decoder's driving
// of Boost.JSON's parser. Included by json/detail/decoder.hpp (header-only), or compiled once
// through <uniapi/src.hpp> with UNIAPI_SEPARATE_COMPILATION, together with the parser itself.
#ifndef UNIAPI_JSON_IMPL_DECODER_IPP
#define UNIAPI_JSON_IMPL_DECODER_IPP

#include <uniapi/json/detail/decode_handler.hpp>
#include <uniapi/json/detail/decoder.hpp>

#include <uniapi/json/detail/value_scanner.hpp>

#include <boost/json/basic_parser_impl.hpp>

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

namespace uniapi::json::detail {

UNIAPI_DECL auto decode_handler::reset(slot root) -> void {
  if (root.vt != needles_root_) {
    needles_.clear();
    std::vector<const vtable*> seen;
    collect_needles(root.vt, seen);
    needles_root_ = root.vt;
  }
  placeholder_ = false;
  unknown_key_size_ = 0;
  err_.clear();
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
  chunk_offset_ = 0;
  expected_size_ = 0;
}

UNIAPI_DECL auto decode_handler::end_chunk() -> void {
  if (slice_) {
    const char* from = slice_from_ ? slice_from_ : src_.chunk_begin();
    raw_.append(std::string_view(from, static_cast<std::size_t>(src_.chunk_end() - from)));
    slice_from_ = nullptr;
  }
  src_.end_chunk();
}

UNIAPI_DECL auto decode_handler::retained_bytes() const noexcept -> std::size_t {
  return raw_.capacity() + str_.capacity() + key_.capacity() + num_.capacity();
}

UNIAPI_DECL auto decode_handler::on_object_begin(boost::system::error_code& ec) -> bool {
  src_.on_bracket();
  if (skip_depth_) return ++skip_depth_, true;
  if (capture_ != capture_kind::none) return capture_begin(token::object), true;
  slot s;
  if (!resolve(token::object, s, ec)) return false;
  if (!s.vt) return learn_unknown_key(), skip_depth_ = 1, true;
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

UNIAPI_DECL auto decode_handler::on_object_end(std::size_t n, boost::system::error_code& ec)
    -> bool {
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

UNIAPI_DECL auto decode_handler::on_array_begin(boost::system::error_code& ec) -> bool {
  src_.on_bracket();
  if (skip_depth_) return ++skip_depth_, true;
  if (capture_ != capture_kind::none) return capture_begin(token::array), true;
  slot s;
  if (!resolve(token::array, s, ec)) return false;
  if (!s.vt) return learn_unknown_key(), skip_depth_ = 1, true;
  if (s.vt->kind == shape::raw || s.vt->kind == shape::dom)
    return start_capture(s, true), capture_begin(token::array), true;
  if (s.vt->kind != shape::array) return type_error(s.vt, token::array, ec);
  s.vt->array_begin(s.obj);
  frame& f = push(s);
  f.count = 0;
  f.keyed = false;
  return true;
}

UNIAPI_DECL auto decode_handler::on_array_end(std::size_t n, boost::system::error_code& ec)
    -> bool {
  src_.on_bracket();
  if (skip_depth_) return --skip_depth_, true;
  if (capture_ != capture_kind::none) return capture_end(token::array, n, ec);
  return end_elements(stack_[depth_ - 1], ec);
}

UNIAPI_DECL auto decode_handler::on_key_part(std::string_view s, std::size_t,
                                             boost::system::error_code&) -> bool {
  if (ignoring()) return true;
  key_.append(s);
  return true;
}

UNIAPI_DECL auto decode_handler::on_string_part(std::string_view s, std::size_t,
                                                boost::system::error_code&) -> bool {
  if (ignoring()) return true;
  str_.append(s);
  return true;
}

UNIAPI_DECL auto decode_handler::on_string(std::string_view s, std::size_t,
                                           boost::system::error_code& ec) -> bool {
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

UNIAPI_DECL auto decode_handler::on_number_part(std::string_view s, boost::system::error_code&)
    -> bool {
  if (ignoring()) return true;
  num_.append(s);
  return true;
}

UNIAPI_DECL auto decode_handler::on_int64(std::int64_t i, std::string_view s,
                                          boost::system::error_code& ec) -> bool {
  number_token n;
  n.kind = number_token::int64;
  n.i = i;
  return number(n, s, ec);
}

UNIAPI_DECL auto decode_handler::on_uint64(std::uint64_t u, std::string_view s,
                                           boost::system::error_code& ec) -> bool {
  number_token n;
  n.kind = number_token::uint64;
  n.u = u;
  return number(n, s, ec);
}

UNIAPI_DECL auto decode_handler::on_double(double d, std::string_view s,
                                           boost::system::error_code& ec) -> bool {
  number_token n;
  n.kind = number_token::floating;
  n.d = d;
  return number(n, s, ec);
}

UNIAPI_DECL auto decode_handler::on_bool(bool b, boost::system::error_code& ec) -> bool {
  return scalar(
      token::boolean, ec,
      [&](slot t, std::string& err) {
        return t.vt->on_bool ? t.vt->on_bool(t.obj, b, err) : wrong(t.vt, token::boolean, err);
      },
      [&] { capture_literal(b ? "true" : "false", [&] { vs_.push_bool(b); }); });
}

UNIAPI_DECL auto decode_handler::on_null(boost::system::error_code& ec) -> bool {
  if (placeholder_) [[unlikely]]
    return on_placeholder(ec);
  return scalar(
      token::null_, ec, [&](slot t, std::string& err) { return wrong(t.vt, token::null_, err); },
      [&] { capture_literal("null", [&] { vs_.push_null(); }); });
}

UNIAPI_DECL auto decode_handler::skippable() const noexcept -> skip_kind {
  if (ignoring() || capture_ != capture_kind::none || depth_ == 0) return skip_kind::none;
  const frame& f = stack_[depth_ - 1];
  if (f.target.vt->kind == shape::array && !f.keyed) return skip_kind::none;
  const vtable* vt = pending_.vt;
  while (vt && vt->kind == shape::optional)
    vt = vt->inner;
  if (!vt) return skip_kind::ignore;
  return vt->kind == shape::raw ? skip_kind::raw : skip_kind::none;
}

UNIAPI_DECL auto decode_handler::on_placeholder(boost::system::error_code& ec) -> bool {
  placeholder_ = false;
  slot s;
  if (!resolve(token::object, s, ec)) return false;
  if (s.vt && s.vt->kind == shape::raw)
    static_cast<raw_json*>(s.obj)->text().assign(placeholder_text_);
  return true;
}

UNIAPI_DECL auto decode_handler::add_needle(std::string_view name) -> void {
  // A key already looked for is the common case (an unknown key seen on every record): first.
  for (const needle& n : needles_)
    if (n.text.size() == name.size() + 2 &&
        same_key(std::string_view(n.text).substr(1, name.size()), name))
      return;
  // Names that need escaping in JSON are not looked for (the input may escape them or not).
  if (name.empty() || name.size() > max_needle || needles_.size() >= max_needles ||
      !std::all_of(name.begin(), name.end(),
                   [](char c) { return c >= 0x20 && c < 0x7F && c != '"' && c != '\\'; }))
    return;
  needles_.push_back({'"' + std::string(name) + '"'});
}

UNIAPI_DECL auto decode_handler::learn_unknown_key() -> void {
  if (!unknown_key_size_ || depth_ == 0) return;
  const frame& f = stack_[depth_ - 1];
  if (!f.keyed && f.target.vt->member_vt && f.member < 0)
    add_needle(std::string_view(unknown_key_, unknown_key_size_));
  unknown_key_size_ = 0;
}

UNIAPI_DECL auto decode_handler::collect_needles(const vtable* vt, std::vector<const vtable*>& seen)
    -> void {
  if (!vt || std::find(seen.begin(), seen.end(), vt) != seen.end()) return;
  seen.push_back(vt);
  if (vt->kind != shape::object || !vt->member_vt) return collect_needles(vt->inner, seen);
  for (int i = 0; i < vt->member_count; ++i) {
    const vtable* m = vt->member_vt(i);
    const vtable* inner = m;
    while (inner && inner->kind == shape::optional)
      inner = inner->inner;
    if (inner && inner->kind == shape::raw) add_needle(vt->member_name(i));
    collect_needles(m, seen);
  }
}

UNIAPI_DECL auto decode_handler::push(slot s) -> frame& {
  if (depth_ == stack_.size()) stack_.emplace_back();
  frame& f = stack_[depth_++];
  f.target = s;
  return f;
}

UNIAPI_DECL auto decode_handler::reserve_hint(frame& f) -> void {
  const char* at = src_.position();
  const char* b = src_.chunk_begin();
  const char* e = src_.chunk_end();
  if (f.count == 0) {
    f.first_at = at;
    return;
  }
  // Element 1 begins: as many more as the first one's size fits in the rest of this input.
  // Growing one by one moves every element about once more; the records of a page (an array at
  // the root or in a member of the root object, the only ones asked) are nearly all of its
  // input, so this estimate is close and saves the moves.
  std::size_t n = 0, max_bytes = 0;
  if (at && f.first_at && f.first_at >= b && at > f.first_at && at <= e) {
    // A first element far smaller than the rest must not reserve for thousands: the hint uses
    // at most eight times the bytes left (growing by doubling wastes up to half of what it holds).
    auto first = static_cast<std::size_t>(at - f.first_at);
    auto left = static_cast<std::size_t>(e - at);
    max_bytes = 8 * left;
    // Decoding chunk by chunk, what is left is the rest of the document when its size is known
    // (taken on trust up to 16 MiB: a wrong size reserves at most 128 MiB, never touched).
    std::size_t in_document = chunk_offset_ + static_cast<std::size_t>(at - b);
    if (expected_size_ > in_document) {
      std::size_t rest = std::min<std::size_t>(expected_size_ - in_document, std::size_t{16} << 20);
      if (rest > left) {
        left = rest;
        max_bytes = 8 * rest;
      }
    }
    n = 2 + left / first;
  }
  // With the document's size unknown, only this chunk's bytes were counted: the previous array
  // of this kind is then the better guess, as a listing's pages are usually alike (a smaller page
  // reserves at most what the previous one held, and only once). Growing instead moves every
  // record again and, freeing the doubled buffers, can make glibc hand the heap's top back to
  // the kernel and fault it in again on every page.
  if (!expected_size_ && f.target.vt == last_array_vt_ && last_array_count_ > n) {
    n = last_array_count_;
    max_bytes = std::size_t(-1);
  }
  if (n >= 16)
    f.target.vt->reserve(f.target.obj, std::min<std::size_t>(n, std::size_t{1} << 20), max_bytes);
}

UNIAPI_DECL auto decode_handler::number(number_token& n, std::string_view last,
                                        boost::system::error_code& ec) -> bool {
  src_.on_token(last, false);
  if (ignoring()) return true;
  if (!num_.empty()) {
    num_.append(last);
    last = num_;
  }
  n.text = last;
  // Boost.JSON 1.81 reads a zero with an exponent past 308 (`0e400`) as 0 × inf, NaN: the number
  // is a zero. Past the range of a double (`1e400`) it is infinite: an error where it is
  // converted, kept as written where it is raw.
  if (n.kind == number_token::floating && std::isnan(n.d)) [[unlikely]]
    n.d = !last.empty() && last.front() == '-' ? -0.0 : 0.0;
  bool out_of_range = false;
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
              out_of_range = std::isinf(n.d);  // a boost::json::value would print "Infinity"
              vs_.push_double(n.d);
              break;
          }
        });
      });
  if (ok && out_of_range) [[unlikely]]
    ok = fail(path(depth_) + ": " + number_out_of_range(n.text), ec);
  num_.clear();
  return ok;
}

UNIAPI_DECL auto decode_handler::wrong(const vtable* vt, token got, std::string& err) -> bool {
  err = "expected ";
  err.append(vt->expected);
  err += ", got ";
  err.append(token_name(got));
  return false;
}

UNIAPI_DECL auto decode_handler::type_error(const vtable* vt, token got,
                                            boost::system::error_code& ec) -> bool {
  std::string err;
  wrong(vt, got, err);
  return fail(path(depth_) + ": " + err, ec);
}

UNIAPI_DECL auto decode_handler::end_elements(frame& f, boost::system::error_code& ec) -> bool {
  if (f.count && f.target.vt->element_end && !f.target.vt->element_end(f.target.obj))
    return stop(ec);
  f.target.vt->array_end(f.target.obj, f.count);
  if (depth_ <= 2 && f.target.vt->reserve && !f.keyed) {  // an array reserve_hint sizes
    last_array_vt_ = f.target.vt;
    last_array_count_ = f.count;
  }
  --depth_;
  return true;
}

UNIAPI_DECL auto decode_handler::stop(boost::system::error_code& ec) -> bool {
  stopped_ = true;
  std::string where = path(depth_);
  return fail("stopped by the item callback" + (where.empty() ? "" : " after " + where), ec);
}

UNIAPI_DECL auto decode_handler::fail(std::string msg, boost::system::error_code& ec) -> bool {
  if (msg.starts_with(": ")) msg.erase(0, 2);
  message_ = std::move(msg);
  ec = make_error_code(boost::system::errc::invalid_argument);
  return false;
}

UNIAPI_DECL auto decode_handler::path(std::size_t n) const -> std::string {
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

UNIAPI_DECL auto decode_handler::start_capture(slot s, bool container) -> void {
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

UNIAPI_DECL auto decode_handler::capture_begin(token t) -> void {
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

UNIAPI_DECL auto decode_handler::capture_end(token t, std::size_t n, boost::system::error_code& ec)
    -> bool {
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

UNIAPI_DECL auto decode_handler::capture_key(std::string_view k) -> void {
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

UNIAPI_DECL auto decode_handler::capture_string(std::string_view s) -> void {
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

UNIAPI_DECL auto decode_handler::finish_capture_if_done() -> void {
  if (cap_depth_ != 0) return;
  if (capture_ == capture_kind::dom)
    *static_cast<boost::json::value*>(cap_target_) = vs_.release();
  else
    static_cast<raw_json*>(cap_target_)->text().assign(raw_.view());
  capture_ = capture_kind::none;
}

// The decoder's state: the parser (which owns the handler), the pieces gathered before parsing
// and the error that stopped the document.
class parsing_decoder final : public decoder {
 public:
  parsing_decoder() : parser_(options()) {}

  void start(slot root) {
    parser_.reset();
    parser_.handler().reset(root);
    offset_ = 0;
    failed_.reset();
    pending_.clear();
    gather_ = true;
    skip_ = step_mode::adaptive;
    held_.clear();
    hold_ok_ = true;
    stepped_ = 0;
    for (std::string* b : {&held_, &work_})
      if (b->capacity() > gathered_chunk * 4) std::string().swap(*b);
  }

  bool write(std::string_view chunk) {
    if (failed_) return false;
    if (!gather_ || chunk.size() >= small_chunk) return flush() && parse(chunk);
    pending_.append(chunk);
    return pending_.size() < gathered_chunk || flush();
  }

  void gather_small_chunks(bool on) noexcept { gather_ = on; }

  void expect_size(std::size_t bytes) noexcept { parser_.handler().expect_size(bytes); }

  std::size_t values_stepped_over() const noexcept { return stepped_; }

  void step_over_unmodelled(bool on) noexcept { skip_ = on ? step_mode::always : step_mode::never; }

  bool flush() {
    if (failed_) return false;
    if (pending_.empty()) return true;
    bool ok = parse(pending_);
    pending_.clear();
    return ok;
  }

  bool finish() {
    if (failed_ || !flush()) return false;
    if (!held_.empty()) {
      // The document ends inside a value held back: the parser takes it and says what is wrong.
      hold_ok_ = false;
      work_.swap(held_);
      held_.clear();
      std::size_t used = 0;
      if (!resume_held(work_, used)) return false;
    }
    boost::system::error_code ec;
    parser_.handler().begin_chunk(nullptr, nullptr, offset_);
    guarded([&] { return parser_.write_some(false, nullptr, 0, ec); });
    if (ec) return record(ec), false;
    return true;
  }

  const uniapi::error& error() const { return *failed_; }

  std::size_t retained_bytes() const noexcept {
    return parser_.handler().retained_bytes() + pending_.capacity() + held_.capacity() +
           work_.capacity();
  }

 private:
  static constexpr std::size_t small_chunk = 8 * 1024;
  static constexpr std::size_t gathered_chunk = 16 * 1024;

  static constexpr std::size_t max_depth = 512;

  // A value to step over that the end of a chunk cuts is held back (copied) and scanned again
  // with the start of the next chunk, up to this size; a larger one is left to the parser.
  static constexpr std::size_t max_held = 1024 * 1024;
  // The held value is given at least this much of the next chunk at a time (or its own size).
  static constexpr std::size_t held_step = 4 * 1024;

  static boost::json::parse_options options() {
    boost::json::parse_options o;
    o.max_depth = max_depth;
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

  bool parse(std::string_view chunk) {
    // A value held back goes first, with as much of this chunk as it needs.
    while (!held_.empty() && !chunk.empty()) {
      const std::size_t before = held_.size();
      const std::size_t take = std::min(chunk.size(), std::max(before, held_step));
      held_.append(chunk.data(), take);
      work_.swap(held_);
      held_.clear();
      std::size_t used = 0;
      if (!resume_held(work_, used)) return false;
      // `used` >= `before`: the held bytes alone did not hold the whole value.
      chunk.remove_prefix(used - before);
    }
    return chunk.empty() || parse_piece(chunk);
  }

  // Parses one piece of input.
  bool parse_piece(std::string_view chunk) {
    const char* pos = chunk.data();
    const char* end = pos + chunk.size();
    parser_.handler().begin_chunk(pos, end, offset_);
    chunk_begin_ = pos;
    return parse_rest(pos, end);
  }

  // Parses [pos, end), the rest of the current piece, stepping over what it can, and ends the
  // piece.
  bool parse_rest(const char* pos, const char* end) {
    if (skip_ != step_mode::never && !step_over(pos, end)) return false;
    if (pos != end && !feed(pos, end)) return false;
    parser_.handler().end_chunk();
    return true;
  }

  // `buf` starts with the value held back (the parser stands just before it, and it was found
  // to be one to step over) and goes on with the next chunk's start. Steps over the value if it
  // is now whole (`used`: the bytes up to its end), holds it back again if it may still go on,
  // or else parses all of `buf`.
  bool resume_held(std::string_view buf, std::size_t& used) {
    auto& h = parser_.handler();
    const char* pos = buf.data();
    const char* end = pos + buf.size();
    h.begin_chunk(pos, end, offset_);
    chunk_begin_ = pos;
    if (const char* after = scan_container(pos, end)) {
      if (!skip_value(pos, after, held_needle_)) return false;
      h.shorten_chunk(after);
      h.end_chunk();
      used = static_cast<std::size_t>(after - buf.data());
      return true;
    }
    used = buf.size();
    if (!hold(pos, end, held_needle_, true)) return parse_rest(pos, end);
    h.end_chunk();
    return true;
  }

  // The value [v, after) was found by needle `needle`: the parser gets `null` in its place and
  // the handler the text. `v` becomes `after`.
  bool skip_value(const char*& v, const char* after, std::size_t needle) {
    auto& h = parser_.handler();
    h.take_skipped({v, static_cast<std::size_t>(after - v)});
    h.note_skipped(needle, static_cast<std::size_t>(after - v));
    boost::system::error_code ec;
    guarded([&] { return parser_.write_some(true, "null", 4, ec); });
    if (ec) return record(ec), false;
    offset_ += static_cast<std::size_t>(after - v);
    v = after;
    ++stepped_;
    return true;
  }

  // Holds back [v, end), a value to step over that may go on in the next chunk; false when it
  // cannot (too large, or it went wrong before the chunk's end: the parser says how). The first
  // time a value is held that is taken on trust (a value cut by a chunk's end is the usual
  // reason), so a value that went wrong is found out one chunk later.
  bool hold(const char* v, const char* end, std::size_t needle, bool again) {
    if (!hold_ok_ || static_cast<std::size_t>(end - v) >= max_held ||
        (again && !scan_may_continue(v, end)))
      return false;
    held_.assign(v, end);
    held_needle_ = needle;
    parser_.handler().shorten_chunk(v);
    return true;
  }

  // Parses [from, to) of the current chunk; false (with the error recorded) if it fails.
  bool feed(const char* from, const char* to) {
    boost::system::error_code ec;
    auto n = static_cast<std::size_t>(to - from);
    std::size_t used = guarded([&] { return parser_.write_some(true, from, n, ec); });
    if (!ec && used < n) ec = boost::json::error::extra_data;
    offset_ += used;
    if (ec) return record(ec), false;
    return true;
  }

  // Parses the chunk from `pos` up to its last value that can be stepped over (see
  // decode_handler::skippable), stepping over each: the parser sees `null` in its place. `pos`
  // ends where the parser is to go on.
  bool step_over(const char*& pos, const char* end) {
    auto& h = parser_.handler();
    const auto& needles = h.skip_needles();
    std::size_t count = needles.size();
    // next[i]: where needle i occurs next, searched for lazily from max(resume[i], pos) so that
    // the bytes of a value stepped over are not searched too.
    // Needles learned while parsing (unknown keys) join as they come.
    const char* next[decode_handler::max_needles];
    const char* resume[decode_handler::max_needles];
    bool known[decode_handler::max_needles];
    for (std::size_t i = 0; i < count; ++i)
      resume[i] = pos, known[i] = false;
    for (;;) {
      for (; count < needles.size(); ++count)
        resume[count] = pos, known[count] = false;
      std::size_t i = count;
      for (std::size_t j = 0; j < count; ++j) {
        if (needles[j].off && skip_ == step_mode::adaptive) {
          next[j] = nullptr;
          continue;
        }
        if (!known[j] || (next[j] && next[j] < pos)) {
          const char* from = std::max(resume[j], pos);
          next[j] = find_needle(from, end, needles[j].text);
          known[j] = true;
          h.note_searched(j, static_cast<std::size_t>((next[j] ? next[j] : end) - from));
        }
        if (next[j] && (i == count || next[j] < next[i])) i = j;
      }
      if (i == count) return true;
      const char* at = next[i];
      known[i] = false;
      resume[i] = at + 1;
      // `"name"` opens a key unless its quote is escaped; a preceding backslash (or none in
      // view) leaves the value to the parser. The parser checks that this is a key.
      if (at == chunk_begin_ || at[-1] == '\\') continue;
      const char* v = detail::scan::skip_ws(at + needles[i].text.size(), end);
      if (v == end || *v != ':') continue;
      v = detail::scan::skip_ws(v + 1, end);
      if (v == end || (*v != '{' && *v != '[')) continue;
      if (!feed(pos, v)) return false;
      pos = v;
      if (h.depth() + scan_max_depth >= max_depth) continue;
      auto kind = h.skippable();
      if (kind == decode_handler::skip_kind::none) continue;
      const char* after = scan_container(v, end);
      if (!after) {
        if (!hold(v, end, i, false)) continue;
        pos = end;  // the rest of the chunk is held back
        return true;
      }
      if (!skip_value(pos, after, i)) return false;
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
  // Whether unmodelled values are stepped over (see parse): with needles that pay off, with all
  // needles, or not at all.
  enum class step_mode : unsigned char { adaptive, always, never };
  step_mode skip_ = step_mode::adaptive;
  const char* chunk_begin_ = nullptr;  // the chunk being parsed
  std::string held_;  // a value cut by the end of the last chunk, held back (see hold)
  std::string work_;  // where a held value and the next chunk's start are put together
  std::size_t held_needle_ = 0;
  std::size_t stepped_ = 0;
  bool hold_ok_ = true;  // false once the document has ended
};

inline parsing_decoder& concrete(decoder& d) noexcept {
  return static_cast<parsing_decoder&>(d);
}
inline const parsing_decoder& concrete(const decoder& d) noexcept {
  return static_cast<const parsing_decoder&>(d);
}

UNIAPI_DECL auto decoder::start(slot root) -> void {
  concrete(*this).start(root);
}
UNIAPI_DECL auto decoder::write(std::string_view chunk) -> bool {
  return concrete(*this).write(chunk);
}
UNIAPI_DECL auto decoder::expect_size(std::size_t bytes) noexcept -> void {
  concrete(*this).expect_size(bytes);
}
UNIAPI_DECL auto decoder::values_stepped_over() const noexcept -> std::size_t {
  return concrete(*this).values_stepped_over();
}
UNIAPI_DECL auto decoder::gather_small_chunks(bool on) noexcept -> void {
  concrete(*this).gather_small_chunks(on);
}
UNIAPI_DECL auto decoder::step_over_unmodelled(bool on) noexcept -> void {
  concrete(*this).step_over_unmodelled(on);
}
UNIAPI_DECL auto decoder::flush() -> bool {
  return concrete(*this).flush();
}
UNIAPI_DECL auto decoder::finish() -> bool {
  return concrete(*this).finish();
}
UNIAPI_DECL auto decoder::error() const -> const uniapi::error& {
  return concrete(*this).error();
}
UNIAPI_DECL auto decoder::retained_bytes() const noexcept -> std::size_t {
  return concrete(*this).retained_bytes();
}

// Decoders kept per thread for reuse, up to a few and a bound on the memory they retain.
struct decoder_pool {
  static constexpr std::size_t max_kept = 4;
  static constexpr std::size_t max_retained_bytes = 1u << 20;
  std::vector<parsing_decoder*> free;
  bool alive = true;
  ~decoder_pool() {
    alive = false;
    for (parsing_decoder* d : free)
      delete d;
  }
  static decoder_pool& local() {
    thread_local decoder_pool pool;
    return pool;
  }
};

UNIAPI_DECL auto acquire_decoder() -> pooled_decoder {
  auto& pool = decoder_pool::local();
  if (pool.alive && !pool.free.empty()) {
    parsing_decoder* d = pool.free.back();
    pool.free.pop_back();
    return pooled_decoder(d);
  }
  return pooled_decoder(new parsing_decoder);
}

UNIAPI_DECL auto decoder_recycler::operator()(decoder* d) const noexcept -> void {
  auto* p = &concrete(*d);
  auto& pool = decoder_pool::local();
  if (pool.alive && pool.free.size() < decoder_pool::max_kept &&
      p->retained_bytes() <= decoder_pool::max_retained_bytes) {
    try {
      pool.free.push_back(p);
      return;
    } catch (...) {
    }
  }
  delete p;
}

}  // namespace uniapi::json::detail

#endif
