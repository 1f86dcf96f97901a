// uniapi — the cursor loop shared by page ranges, item ranges and item streaming.
#ifndef UNIAPI_CLIENT_PAGER_HPP
#define UNIAPI_CLIENT_PAGER_HPP

#include <uniapi/core/error.hpp>
#include <uniapi/core/result.hpp>

#include <cstddef>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <utility>

namespace uniapi {

/// Where a listing stands between pages: the cursor of the next page to fetch, and every cursor
/// seen so far, so that a server that hands out a cursor twice cannot make a listing loop.
///
/// Start it at a cursor (or none: the first page); after each page call `advance` with the next
/// cursor the page carried. `cursor()` is then the page to fetch, or none when the listing is
/// complete. After a failed fetch, do not advance: `cursor()` is still the page that failed, the
/// place to resume.
class pager {
 public:
  explicit pager(std::optional<std::string> start = std::nullopt) : cursor_(std::move(start)) {
    if (cursor_) seen_.insert(*cursor_);
  }

  /// The cursor of the page to fetch next (none: the first page, or — once `complete()` — none
  /// left).
  const std::optional<std::string>& cursor() const noexcept { return cursor_; }
  /// True once a page without a next cursor was read.
  bool complete() const noexcept { return complete_; }
  /// Pages read to the end.
  std::size_t pages() const noexcept { return pages_; }

  /// Records that the page at `cursor()` was read and carried `next` (none or empty: it was the
  /// last). Returns `errc::repeated_cursor` when `next` was seen before; `cursor()` is then
  /// `next`, all the server offered.
  result<void> advance(std::optional<std::string> next) {
    ++pages_;
    if (!next || next->empty()) {
      cursor_.reset();
      complete_ = true;
      return {};
    }
    bool fresh = seen_.insert(*next).second;
    cursor_ = std::move(next);
    if (!fresh)
      return make_error(errc::repeated_cursor, "the server returned cursor \"" +
                                                   cursor_->substr(0, 64) +
                                                   "\" a second time; stopping to avoid a loop");
    return {};
  }

 private:
  std::optional<std::string> cursor_;
  std::set<std::string, std::less<>> seen_;
  std::size_t pages_ = 0;
  bool complete_ = false;
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

}  // namespace uniapi

#endif
