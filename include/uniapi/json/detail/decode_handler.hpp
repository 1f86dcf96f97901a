// uniapi — the SAX handler that decodes JSON straight into C++ objects. Used only by the
// decoder's implementation (json/impl/decoder.ipp); a user's file does not see it when the library
// is compiled separately.
#ifndef UNIAPI_JSON_DETAIL_DECODE_HANDLER_HPP
#define UNIAPI_JSON_DETAIL_DECODE_HANDLER_HPP

#include <uniapi/core/detail/config.hpp>
#include <uniapi/json/detail/codec.hpp>
#include <uniapi/json/detail/source_tracker.hpp>
#include <uniapi/json/detail/text_buffer.hpp>

#include <boost/json/value_stack.hpp>
#include <boost/system/error_code.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
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
  UNIAPI_DECL void reset(slot root);

  /// The parser is about to read `[b, e)` (null for the end of input).
  /// `offset`: where `b` is in the document.
  void begin_chunk(const char* b, const char* e, std::size_t offset) noexcept {
    src_.begin_chunk(b, e);
    chunk_offset_ = offset;
  }

  /// The document's size when known beforehand (0: unknown), for sizing a page's records.
  void expect_size(std::size_t bytes) noexcept { expected_size_ = bytes; }

  /// The parser consumed the whole chunk.
  UNIAPI_DECL void end_chunk();
  /// The parser stops at `e` in this chunk: the rest is given to it again with the next one.
  void shorten_chunk(const char* e) noexcept { src_.shorten_chunk(e); }

  /// The message of the error that stopped the parse ("path: what"), empty if none.
  const std::string& message() const noexcept { return message_; }
  /// True when an item callback stopped the parse.
  bool stopped() const noexcept { return stopped_; }
  /// Bytes held in buffers that outlive a document.
  UNIAPI_DECL std::size_t retained_bytes() const noexcept;
  /// The JSON path of the value being parsed now.
  std::string current_path() const { return path(depth_); }

  // ---- stepping over values the decoder does not model ------------------------------------
  //
  // The decoder looks in its input for `"name":` followed by `{` or `[`, where `name` is a
  // `raw_json` member of some struct reachable from the root (`skip_needles`). It feeds the parser
  // up to the bracket, asks `skippable` whether the value belongs to such a member (or to an
  // unknown key), finds the end with `scan_container`, hands the text to `take_skipped` and feeds
  // the parser `null` in place of the value; `on_null` then stores the text.

  static constexpr std::size_t max_needles = 8;         ///< needles per root type
  static constexpr std::size_t max_needle = 64;         ///< longest key looked for
  static constexpr std::size_t min_average_skip = 128;  ///< bytes a needle's values average

  /// What the value the parser expects next is for, when it was just given a key.
  enum class skip_kind : unsigned char { none, ignore, raw };
  UNIAPI_DECL skip_kind skippable() const noexcept;

  /// The value the parser expects next is `text` (a whole object or array, already validated):
  /// the `null` the decoder feeds next stands for it.
  void take_skipped(std::string_view text) noexcept {
    placeholder_ = true;
    placeholder_text_ = text;
    src_.skipped_to(text.data() + text.size());
  }

  /// A key whose object or array values are stepped over: `"name"` for each `raw_json` member
  /// name reachable from the root, then for unknown keys of described structs seen with an
  /// object or array value (at most `max_needles` in all). A needle is turned off (for this
  /// root type) when its values turn out small on average — below `min_average_skip` bytes the
  /// parser's own pass costs less than finding, scanning and splitting — or rare: less than a
  /// sixteenth of the bytes searched for it once a few hundred KiB were.
  struct needle {
    std::string text;
    std::uint32_t skips = 0;
    std::uint64_t bytes = 0;     // stepped over
    std::uint64_t searched = 0;  // searched for the needle
    bool off = false;
  };
  const std::vector<needle>& skip_needles() const noexcept { return needles_; }

  /// Needle `i` found a value of `size` bytes that was stepped over.
  void note_skipped(std::size_t i, std::size_t size) noexcept {
    needle& n = needles_[i];
    n.bytes += size;
    if (++n.skips >= 16 && n.bytes < std::uint64_t{n.skips} * min_average_skip) n.off = true;
  }

  /// Needle `i` was searched for over `size` bytes.
  void note_searched(std::size_t i, std::size_t size) noexcept {
    needle& n = needles_[i];
    n.searched += size;
    if (n.searched >= 256 * 1024 && n.bytes * 16 < n.searched) n.off = true;
  }

  /// Open containers being decoded (not counting skipped or captured ones).
  std::size_t depth() const noexcept { return depth_; }

  bool on_document_begin(boost::system::error_code&) { return true; }
  bool on_document_end(boost::system::error_code&) { return true; }

  UNIAPI_DECL bool on_object_begin(boost::system::error_code& ec);

  UNIAPI_DECL bool on_object_end(std::size_t n, boost::system::error_code& ec);

  UNIAPI_DECL bool on_array_begin(boost::system::error_code& ec);

  UNIAPI_DECL bool on_array_end(std::size_t n, boost::system::error_code& ec);

  UNIAPI_DECL bool on_key_part(std::string_view s, std::size_t, boost::system::error_code&);

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
      if (!pending_.vt) [[unlikely]] {
        unknown_key_size_ = s.size() <= max_needle ? static_cast<unsigned char>(s.size()) : 0;
        std::memcpy(unknown_key_, s.data(), unknown_key_size_);
      }
    }
    key_.clear();
    return true;
  }

  UNIAPI_DECL bool on_string_part(std::string_view s, std::size_t, boost::system::error_code&);

  UNIAPI_DECL bool on_string(std::string_view s, std::size_t, boost::system::error_code& ec);

  UNIAPI_DECL bool on_number_part(std::string_view s, boost::system::error_code&);

  UNIAPI_DECL bool on_int64(std::int64_t i, std::string_view s, boost::system::error_code& ec);
  UNIAPI_DECL bool on_uint64(std::uint64_t u, std::string_view s, boost::system::error_code& ec);
  UNIAPI_DECL bool on_double(double d, std::string_view s, boost::system::error_code& ec);

  UNIAPI_DECL bool on_bool(bool b, boost::system::error_code& ec);

  UNIAPI_DECL bool on_null(boost::system::error_code& ec);

  bool on_comment_part(std::string_view, boost::system::error_code&) { return true; }
  bool on_comment(std::string_view, boost::system::error_code&) { return true; }

 private:
  enum class capture_kind : unsigned char { none, raw, dom };

  // Inside a skipped value or a raw value being sliced: tokens need no work.
  bool ignoring() const noexcept { return skip_depth_ != 0 || slice_; }

  UNIAPI_DECL frame& push(slot s);

  // At the first two elements of an array at the root or in a member of the root object that
  // takes a `reserve` hint: sizes the container from the first element's bytes and the bytes
  // left in the document (or in the chunk, when the document's size is unknown, or from the
  // previous such array's length, when that is larger).
  UNIAPI_DECL void reserve_hint(frame& f);

  // The slot the value that starts now goes to. Optional wrappers are unwrapped here, except
  // around a scalar the optional converts itself: `null` resets them and yields a skip slot.
  [[gnu::always_inline]] bool resolve(token t, slot& out, boost::system::error_code& ec) {
    slot s;
    if (depth_ == 0) {
      s = root_;
    } else {
      frame& f = stack_[depth_ - 1];
      if (f.target.vt->kind == shape::array && !f.keyed) {
        if (f.count && f.target.vt->element_end && !f.target.vt->element_end(f.target.obj))
          return stop(ec);
        if (f.count < 2 && depth_ <= 2 && f.target.vt->reserve) [[unlikely]]
          reserve_hint(f);
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
      if ((t == token::string && s.vt->on_string) || (t == token::number && s.vt->on_number) ||
          (t == token::boolean && s.vt->on_bool))
        break;  // the optional's own conversion emplaces its value
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
    if (!convert(s, err_)) return fail(path(depth_) + ": " + err_, ec);
    return true;
  }

  UNIAPI_DECL bool number(number_token& n, std::string_view last, boost::system::error_code& ec);

  static UNIAPI_DECL bool wrong(const vtable* vt, token got, std::string& err);

  UNIAPI_DECL bool type_error(const vtable* vt, token got, boost::system::error_code& ec);

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
  UNIAPI_DECL bool end_elements(frame& f, boost::system::error_code& ec);

  UNIAPI_DECL bool stop(boost::system::error_code& ec);

  UNIAPI_DECL bool fail(std::string msg, boost::system::error_code& ec);

  // "result[3].candidate.id": the first `n` frames, with each frame's current key or index.
  UNIAPI_DECL std::string path(std::size_t n) const;

  // ---- capture of free-form values -----------------------------------------------------------

  // `container`: the value starts with the bracket just reported, so a raw value can be sliced.
  UNIAPI_DECL void start_capture(slot s, bool container);

  // In a raw capture, a comma goes before a value or key that follows another in its container;
  // `cap_comma_` says whether one does at the current position.
  UNIAPI_DECL void capture_begin(token t);

  UNIAPI_DECL bool capture_end(token t, std::size_t n, boost::system::error_code& ec);

  UNIAPI_DECL void capture_key(std::string_view k);

  UNIAPI_DECL void capture_string(std::string_view s);

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

  UNIAPI_DECL void finish_capture_if_done();

  UNIAPI_DECL bool on_placeholder(boost::system::error_code& ec);

  // An object or array is about to be skipped: if it is the value of an unknown key of a
  // struct, that key becomes a needle.
  UNIAPI_DECL void learn_unknown_key();

  // Adds `"name"` as a needle unless it is there already, there are max_needles, or the name is
  // empty, longer than max_needle or needs escaping in JSON.
  UNIAPI_DECL void add_needle(std::string_view name);

  // Adds the names of `raw_json` members reachable from `vt` to needles_.
  UNIAPI_DECL void collect_needles(const vtable* vt, std::vector<const vtable*>& seen);

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
  std::size_t chunk_offset_ = 0;           // where the current chunk starts in the document
  std::size_t expected_size_ = 0;          // the document's size, 0 when unknown
  const vtable* last_array_vt_ = nullptr;  // the last array reserve_hint could size (kept
  std::size_t last_array_count_ = 0;       // across documents) and its length
  text_buffer raw_;  // text of the raw capture in progress, copied to its raw_json when done
  void* cap_target_ = nullptr;
  boost::json::value_stack vs_;
  std::string str_, key_, num_;
  std::string message_;
  bool stopped_ = false;
  bool placeholder_ = false;  // the next null stands for placeholder_text_
  std::string_view placeholder_text_;
  const vtable* needles_root_ = nullptr;  // the root type needles_ were collected for
  std::vector<needle> needles_;
  std::string err_;                     // a conversion's message (written only when it fails)
  char unknown_key_[max_needle];        // the last unknown key of a struct
  unsigned char unknown_key_size_ = 0;  // 0: none, or too long to be a needle
};

}  // namespace uniapi::json::detail

#endif
