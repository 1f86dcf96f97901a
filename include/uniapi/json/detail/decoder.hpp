// uniapi — the non-template JSON decoder that `json::decode` and `stream_decoder` drive.
//
// Only its interface is here: the parser, the handler and their buffers are in
// json/impl/decoder.ipp, so that a file that decodes does not parse Boost.JSON's `basic_parser`
// (with UNIAPI_SEPARATE_COMPILATION it is compiled once, by <uniapi/src.hpp>).
#ifndef UNIAPI_JSON_DETAIL_DECODER_HPP
#define UNIAPI_JSON_DETAIL_DECODER_HPP

#include <uniapi/core/detail/config.hpp>
#include <uniapi/core/error.hpp>
#include <uniapi/json/detail/codec.hpp>

#include <cstddef>
#include <memory>
#include <string_view>

namespace uniapi::json::detail {

/// A reusable JSON-to-object decoder: a Boost.JSON `basic_parser` driving the decoding handler.
///
/// Non-template, so the parser is instantiated once per program whatever the models are. Obtained
/// from `acquire_decoder()`; the object is the base of the implementation's concrete type.
class decoder {
 public:
  decoder(const decoder&) = delete;
  decoder& operator=(const decoder&) = delete;

  /// Starts a new document that fills `root`.
  UNIAPI_DECL void start(slot root);

  /// Feeds the next piece of the document. Pieces smaller than 8 KiB are gathered up to 16 KiB
  /// first: the parser pays a suspend and resume per piece, which costs more than copying a few
  /// KiB.
  UNIAPI_DECL bool write(std::string_view chunk);

  /// The document's size in bytes, when known beforehand (an HTTP `Content-Length`): a page's
  /// records are then sized once, as for a whole buffer, instead of growing chunk by chunk. A
  /// wrong size costs only memory or moves, never correctness. Set after `start`.
  UNIAPI_DECL void expect_size(std::size_t bytes) noexcept;

  /// Whether small pieces are gathered before parsing (the default) or parsed as they come.
  UNIAPI_DECL void gather_small_chunks(bool on) noexcept;

  /// Values the target does not model — `raw_json` members' objects and arrays, values of
  /// unknown struct keys — can be found by a scan instead of being tokenized by the parser; the
  /// values and errors are the same either way. By default (after each `start`) this is done
  /// for the keys where it has paid off so far (see `decode_handler::needle`); `true` does it
  /// for every such key, `false` never (both for tests). Set after `start`.
  UNIAPI_DECL void step_over_unmodelled(bool on) noexcept;

  /// Values of this document found by a scan and stepped over (see `step_over_unmodelled`),
  /// those cut by the end of a piece included: for tests and benchmarks.
  UNIAPI_DECL std::size_t values_stepped_over() const noexcept;

  /// Parses the pieces gathered so far.
  UNIAPI_DECL bool flush();

  /// Ends the document; false if it is incomplete or was already in error.
  UNIAPI_DECL bool finish();

  /// The error that stopped decoding.
  UNIAPI_DECL const uniapi::error& error() const;

  /// Bytes held in buffers that outlive a document.
  UNIAPI_DECL std::size_t retained_bytes() const noexcept;

 protected:
  decoder() = default;
  ~decoder() = default;
};

/// Returns a decoder to its thread's pool (or deletes it).
struct decoder_recycler {
  UNIAPI_DECL void operator()(decoder* d) const noexcept;
};

/// A decoder borrowed from the current thread's pool: a loop that decodes page after page with
/// `stream_decoder` then reuses parser state and buffers instead of rebuilding them.
using pooled_decoder = std::unique_ptr<decoder, decoder_recycler>;

/// A decoder from the current thread's pool, or a new one.
UNIAPI_DECL pooled_decoder acquire_decoder();

}  // namespace uniapi::json::detail

#if !defined(UNIAPI_SEPARATE_COMPILATION)
#include <uniapi/json/impl/decoder.ipp>
#endif

#endif
