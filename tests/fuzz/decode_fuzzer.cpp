// libFuzzer target for the JSON decoder. Properties checked on every input:
// - decoding never crashes, leaks or trips a sanitizer;
// - decoding in two chunks (split at any point), or in pieces of 16 to 63 bytes, gives the same
//   result as decoding at once;
// - what decodes re-encodes to JSON that decodes to the same encoding (a fixed point), on one
//   line (no CR, LF or tab however the input was laid out);
// - decode_into over whatever earlier inputs left (errors included) gives the fresh result;
// - item streaming delivers exactly the items of the whole page (or of a keyed page);
// - stepping over `remote_data` (the default) gives what parsing it gives: the same values, raw
//   texts and error messages.
#include <uniapi/truto/ats.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

using page_t = uniapi::truto::page<uniapi::truto::ats::attachment>;

// Boost.JSON's names for a bad \u escape. Which one it reports for the same escape depends on
// how many bytes follow it in the buffer it was given (its fast path looks 12 bytes ahead, its
// resumable path does not): a lone low surrogate is "illegal leading surrogate" in one and
// "illegal trailing surrogate" in the other.
static bool utf16_escape_error(const std::string& s) {
  for (const char* name : {": illegal leading surrogate", ": illegal trailing surrogate",
                           ": expected hex digit", ": expected utf16 escape"}) {
    std::string_view n(name);
    if (s.size() >= n.size() && s.compare(s.size() - n.size(), n.size(), n) == 0) return true;
  }
  return false;
}

// The same message, except that "at byte N" may differ by a few bytes: where the input is split
// (chunks, or a value stepped over), Boost.JSON can report an error inside an escape a few bytes
// apart, depending on how much of the input it sees, and name a bad \u escape either way.
static bool same_error(const std::string& a, const std::string& b) {
  auto at = [](const std::string& s, std::string& rest) -> long {
    auto k = s.find(" at byte ");
    if (k == std::string::npos) return rest = s, -1;
    std::size_t e = k + 9;
    long n = 0;
    while (e < s.size() && s[e] >= '0' && s[e] <= '9')
      n = n * 10 + (s[e++] - '0');
    rest = s.substr(0, k) + s.substr(e);
    return n;
  };
  std::string ra, rb;
  long na = at(a, ra), nb = at(b, rb);
  bool same_text = ra == rb || (utf16_escape_error(ra) && utf16_escape_error(rb) &&
                                ra.substr(0, ra.rfind(": ")) == rb.substr(0, rb.rfind(": ")));
  return same_text && (na < 0) == (nb < 0) && (na > nb ? na - nb : nb - na) <= 16;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto whole = uniapi::json::decode<page_t>(text);
  {
    // Parsed without stepping over, at once; stepped over wherever possible, in two chunks.
    auto run = [&](page_t& out, bool step, std::size_t split) {
      auto d = uniapi::json::detail::acquire_decoder();
      d->start({&uniapi::json::detail::codec<page_t>::vt, &out});
      d->step_over_unmodelled(step);
      d->gather_small_chunks(false);
      bool ok = d->write(text.substr(0, split)) && d->write(text.substr(split)) && d->finish();
      return ok ? std::string() : "error: " + d->error().message;
    };
    // Stepped over, in pieces of `piece` bytes: values cut by several pieces' ends are held back
    // and resumed again and again.
    auto run_pieces = [&](page_t& out, std::size_t piece) {
      auto d = uniapi::json::detail::acquire_decoder();
      d->start({&uniapi::json::detail::codec<page_t>::vt, &out});
      d->step_over_unmodelled(true);
      d->gather_small_chunks(false);
      bool ok = true;
      for (std::size_t i = 0; ok && i < size; i += piece)
        ok = d->write(text.substr(i, piece));
      ok = ok && d->finish();
      return ok ? std::string() : "error: " + d->error().message;
    };
    page_t parsed, stepped, split, pieces;
    std::string e1 = run(parsed, false, size);
    std::string e2 = run(stepped, true, size);
    // Split inside an escape, Boost.JSON may even name another error: only compare success.
    std::string e3 = run(split, true, size ? data[size - 1] % (size + 1) : 0);
    std::string e4 = run_pieces(pieces, size ? 16 + data[size / 2] % 48 : 1);
    if (e1.empty() != whole.has_value() ||
        (!whole && !same_error(e1, "error: " + whole.error().message)) ||
        e1.empty() != e2.empty() || !same_error(e1, e2) || e1.empty() != e3.empty() ||
        e1.empty() != e4.empty()) {
      std::fprintf(stderr, "parsed: %s\nstepped: %s\nsplit: %s\npieces: %s\nwhole: %s\n",
                   e1.c_str(), e2.c_str(), e3.c_str(), e4.c_str(),
                   whole ? "ok" : whole.error().message.c_str());
      std::abort();
    }
    if (e1.empty()) {
      if (uniapi::json::encode(parsed) != uniapi::json::encode(*whole)) std::abort();
      if (uniapi::json::encode(stepped) != uniapi::json::encode(parsed)) std::abort();
      if (uniapi::json::encode(split) != uniapi::json::encode(parsed)) std::abort();
      if (uniapi::json::encode(pieces) != uniapi::json::encode(parsed)) std::abort();
      for (std::size_t i = 0; i < parsed.result.size(); ++i) {
        const auto& a = parsed.result[i].remote_data;
        for (const page_t* other : {&stepped, &split, &pieces, &*whole}) {
          const auto& b = other->result[i].remote_data;
          if (a.has_value() != b.has_value() || (a && a->text() != b->text())) std::abort();
        }
      }
    }
  }
  static page_t reused;
  auto into = uniapi::json::decode_into(reused, text);
  if (into.has_value() != whole.has_value()) std::abort();
  if (whole && uniapi::json::encode(reused) != uniapi::json::encode(*whole)) std::abort();

  std::vector<std::string> streamed_items;
  uniapi::truto::streamed_page<uniapi::truto::ats::attachment> streamed;
  streamed.result = uniapi::json::item_stream<uniapi::truto::ats::attachment>(
      [&](uniapi::truto::ats::attachment& a) {
        streamed_items.push_back(uniapi::json::encode(a));
        return true;
      });
  auto st = uniapi::json::decode_into(streamed, text);
  // A stream also takes a page keyed by a field ("result" an object): it succeeds whenever the
  // list or the keyed form decodes (and may where "result" repeats with both shapes).
  auto keyed =
      uniapi::json::decode<uniapi::truto::keyed_page<uniapi::truto::ats::attachment>>(text);
  if ((whole || keyed) && !st) std::abort();
  if (keyed && !whole && streamed_items.size() < keyed->result.size()) std::abort();
  if (whole) {
    // A repeated "result" key replaces the vector but streams both arrays' items.
    if (streamed_items.size() < whole->result.size()) std::abort();
    std::size_t skip = streamed_items.size() - whole->result.size();
    for (std::size_t i = 0; i < whole->result.size(); ++i)
      if (streamed_items[skip + i] != uniapi::json::encode(whole->result[i])) std::abort();
  }

  std::size_t split = size ? data[0] % (size + 1) : 0;
  uniapi::json::stream_decoder<page_t> chunked;
  chunked.gather_small_chunks(size % 2 == 0);  // odd sizes: the split reaches the parser
  auto w1 = chunked.write(text.substr(0, split));
  auto w2 = w1 ? chunked.write(text.substr(split)) : w1;
  auto r = w2 ? chunked.finish() : uniapi::result<page_t>(w2.error());
  if (whole.has_value() != r.has_value()) std::abort();
  if (!whole) {
    if (whole.error().message.empty()) std::abort();
    return 0;
  }
  std::string once = uniapi::json::encode(*whole);
  if (once != uniapi::json::encode(*r)) std::abort();
  // One line whatever whitespace the input had (JSON Lines), and still the same JSON.
  if (once.find_first_of("\r\n\t") != std::string::npos) std::abort();
  auto again = uniapi::json::decode<page_t>(once);
  if (!again || uniapi::json::encode(*again) != once) std::abort();

  auto dom = uniapi::json::decode<boost::json::value>(text);
  // A valid page is valid JSON, which a boost::json::value holds unless a number is past the
  // range of a double.
  if (!dom && dom.error().message.find("number out of range") == std::string::npos) std::abort();
  return 0;
}
