// uniapi — where the parser is in its input, for slicing a value's exact text out of it.
#ifndef UNIAPI_JSON_DETAIL_SOURCE_TRACKER_HPP
#define UNIAPI_JSON_DETAIL_SOURCE_TRACKER_HPP

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace uniapi::json::detail {

/// Follows the parser's position in the current input chunk.
///
/// `basic_parser` reports no offsets, but strings, keys and numbers that lie whole in the input
/// arrive as views into it (ending where the token's text ends), and every bracket arrives as an
/// event. The tracker keeps the last such known position (`mark`) with the lexical state there,
/// counts the brackets reported since, and finds the byte of the last reported bracket by
/// scanning forward from the mark, skipping strings. Scans are short: from the last string or
/// number to the bracket.
class source_tracker {
 public:
  void reset() noexcept {
    begin_ = end_ = mark_ = nullptr;
    in_string_ = escape_ = false;
    brackets_ = 0;
    lost_ = false;
  }

  /// The parser is about to read `[b, e)`.
  void begin_chunk(const char* b, const char* e) noexcept {
    begin_ = b;
    end_ = e;
    mark_ = b;
  }

  /// The parser stops at `e` in this chunk (the rest is given to it again later).
  void shorten_chunk(const char* e) noexcept { end_ = e; }

  /// The parser consumed the whole chunk: every bracket in it has been reported.
  void end_chunk() noexcept {
    if (mark_) {
      scan(end_);
      if (brackets_ != 0) lost_ = true;
    }
    begin_ = end_ = mark_ = nullptr;
  }

  /// A byte the parser has passed (the end of the last string, key or number, or of a value
  /// stepped over), or nullptr when none is known in this chunk.
  const char* position() const noexcept { return lost_ ? nullptr : mark_; }

  const char* chunk_begin() const noexcept { return begin_; }
  const char* chunk_end() const noexcept { return end_; }

  /// A bracket event.
  void on_bracket() noexcept { ++brackets_; }

  /// A string, key (`is_string`) or number token whose last piece is `v`.
  void on_token(std::string_view v, bool is_string) noexcept {
    if (v.empty() || !inside(v)) return;
    mark_ = v.data() + v.size();
    in_string_ = is_string;
    escape_ = false;
    brackets_ = 0;
  }

  /// The parser was given a placeholder for the value that ends before `past` (the decoder stepped
  /// over it, see decode_handler::take_skipped): none of its brackets are reported.
  void skipped_to(const char* past) noexcept {
    if (!mark_ || brackets_ != 0 || past < mark_ || past > end_) {
      lost_ = true;
      return;
    }
    mark_ = past;
    in_string_ = escape_ = false;
  }

  /// The byte of the bracket reported last, or nullptr when the position is unknown.
  const char* last_bracket() noexcept {
    if (!mark_ || lost_ || brackets_ == 0) return nullptr;
    const char* past = scan(nullptr);
    return past ? past - 1 : nullptr;
  }

 private:
  bool inside(std::string_view v) const noexcept {
    auto p = reinterpret_cast<std::uintptr_t>(v.data());
    return p >= reinterpret_cast<std::uintptr_t>(begin_) &&
           p + v.size() <= reinterpret_cast<std::uintptr_t>(end_);
  }

  // Scans from the mark. With `stop_at` null: until the `brackets_`-th bracket outside strings,
  // returning the position past it (the mark moves there); otherwise to `stop_at`, consuming the
  // brackets met. Returns nullptr when the chunk ends first.
  const char* scan(const char* stop_at) noexcept {
    const char* p = mark_;
    const char* end = stop_at ? stop_at : end_;
    bool in_string = in_string_, escape = escape_;
    std::size_t brackets = brackets_;
    const char* found = nullptr;
    for (; p != end; ++p) {
      char c = *p;
      if (in_string) {
        if (escape)
          escape = false;
        else if (c == '\\')
          escape = true;
        else if (c == '"')
          in_string = false;
      } else if (c == '"') {
        in_string = true;
      } else if (c == '{' || c == '}' || c == '[' || c == ']') {
        if (brackets == 0) {  // more brackets than were reported: the state is wrong
          lost_ = true;
          return nullptr;
        }
        --brackets;
        if (!stop_at && brackets == 0) {
          found = ++p;
          break;
        }
      }
    }
    mark_ = p;
    in_string_ = in_string;
    escape_ = escape;
    brackets_ = brackets;
    return found;
  }

  const char* begin_ = nullptr;
  const char* end_ = nullptr;
  const char* mark_ = nullptr;
  bool in_string_ = false;
  bool escape_ = false;
  bool lost_ = false;
  std::size_t brackets_ = 0;
};

}  // namespace uniapi::json::detail

#endif
