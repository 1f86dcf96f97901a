// uniapi — one page of a streamed listing (`for_each_item`, sync and async): which items to skip
// and the page prototype whose item callback delivers the others.
#ifndef UNIAPI_CLIENT_DETAIL_PAGE_DELIVERY_HPP
#define UNIAPI_CLIENT_DETAIL_PAGE_DELIVERY_HPP

#include <uniapi/client/pager.hpp>
#include <uniapi/core/result.hpp>
#include <uniapi/json/item_stream.hpp>

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <type_traits>

namespace uniapi::detail {

/// Delivers the items of the page at `progress.cursor` to `on_item` as they are decoded. Every
/// attempt at the page (a retry after a reset mid-body included) reads it from its first item and
/// skips the `progress.delivered_on_page` already delivered, so nothing is delivered twice.
/// Neither copied nor moved: the prototype's callback refers to it.
template <class Profile, class Model, class F>
class page_delivery {
 public:
  using page = typename Profile::template envelope<json::item_stream<Model>>;

  page_delivery(F& on_item, stream_progress& progress, std::size_t& delivered)
      : on_item_(on_item), progress_(progress), delivered_(delivered) {
    skip_ = progress.delivered_on_page;
    on_attempt = [this] {
      index_ = 0;
      skip_ = progress_.delivered_on_page;
    };
    Profile::items(prototype) = json::item_stream<Model>([this](Model& item) -> bool {
      if (index_++ < skip_) return true;
      bool go = true;
      if constexpr (std::is_void_v<std::invoke_result_t<F&, Model&>>)
        std::invoke(on_item_, item);
      else
        go = static_cast<bool>(std::invoke(on_item_, item));
      ++progress_.delivered_on_page;
      ++progress_.delivered;
      ++delivered_;
      return go;
    });
  }
  page_delivery(const page_delivery&) = delete;
  page_delivery& operator=(const page_delivery&) = delete;

  /// The page decoding starts from (its items go to the callback).
  page prototype{};
  /// Called at the head of each attempt.
  std::function<void()> on_attempt;

 private:
  F& on_item_;
  stream_progress& progress_;
  std::size_t& delivered_;
  std::size_t skip_ = 0;
  std::size_t index_ = 0;
};

/// Records in `pages` and `progress` that the page at `progress.cursor` was read whole and
/// carried `next`. Returns true when the listing is complete, or `errc::repeated_cursor`.
inline result<bool> page_done(pager& pages, stream_progress& progress,
                              std::optional<std::string> next) {
  auto r = pages.advance(std::move(next));
  ++progress.pages;
  progress.delivered_on_page = 0;
  progress.cursor = pages.cursor();
  if (!r) return r.error();
  return pages.complete();
}

}  // namespace uniapi::detail

#endif
