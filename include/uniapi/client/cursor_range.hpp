// uniapi — cursor pagination as ranges of pages and of items.
#ifndef UNIAPI_CLIENT_CURSOR_RANGE_HPP
#define UNIAPI_CLIENT_CURSOR_RANGE_HPP

#include <uniapi/client/pager.hpp>
#include <uniapi/core/result.hpp>

#include <cstddef>
#include <functional>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace uniapi {

/// A single-pass range over the pages of a listing, fetched lazily one request per page.
///
/// Each element is a `result<Page>`. Iteration starts at the cursor given (or the first page),
/// follows each page's next cursor, continues through empty pages that still carry a cursor, and
/// ends after the page without one. It ends early, yielding one error, when a request fails or
/// when the server returns a cursor it has returned before (`errc::repeated_cursor`), which would
/// otherwise loop forever. After an error, `resume_cursor()` is the cursor to pass to a new
/// listing to fetch the failed page again, so nothing is skipped or repeated.
///
/// The range owns its state; the client it came from must outlive it.
template <class Page>
class cursor_range {
  struct state;

 public:
  /// Fetches the page at a cursor (`std::nullopt`: the first page).
  using fetch_function = std::function<result<Page>(const std::optional<std::string>&)>;
  /// The next cursor a page carries (where the provider's envelope keeps it).
  using next_function = std::function<std::optional<std::string>(const Page&)>;

  cursor_range(fetch_function fetch, next_function next, std::optional<std::string> start)
      : state_(std::make_shared<state>(std::move(start))) {
    state_->fetch = std::move(fetch);
    state_->next = std::move(next);
  }

  class iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = result<Page>;
    using difference_type = std::ptrdiff_t;
    using reference = value_type&;
    using pointer = value_type*;

    iterator() = default;
    reference operator*() const { return *s_->current; }
    pointer operator->() const { return &*s_->current; }
    iterator& operator++() {
      s_->advance();
      return *this;
    }
    void operator++(int) { ++*this; }
    friend bool operator==(const iterator& it, std::default_sentinel_t) {
      return !it.s_ || !it.s_->current;
    }

   private:
    friend cursor_range;
    explicit iterator(state* s) : s_(s) {}
    state* s_ = nullptr;
  };

  /// Fetches the first page (only once; a range is single-pass).
  iterator begin() {
    if (!state_->started) {
      state_->started = true;
      state_->advance();
    }
    return iterator(state_.get());
  }
  std::default_sentinel_t end() const noexcept { return {}; }

  /// The cursor of the next page to fetch: after an error, the page that failed; after the
  /// last page, `std::nullopt`. Save it to resume a listing later.
  const std::optional<std::string>& resume_cursor() const noexcept {
    return state_->pages.cursor();
  }
  /// True when the listing ended by reaching the last page (not by an error).
  bool complete() const noexcept { return state_->pages.complete(); }
  /// Requests made so far.
  std::size_t pages_fetched() const noexcept { return state_->fetched; }

 private:
  struct state {
    explicit state(std::optional<std::string> start) : pages(std::move(start)) {}
    fetch_function fetch;
    next_function next;
    uniapi::pager pages;
    std::optional<result<Page>> current;
    std::optional<error> pending_error;
    bool started = false;
    bool done = false;
    std::size_t fetched = 0;

    void advance() {
      current.reset();
      if (pending_error) {
        current.emplace(std::move(*pending_error));
        pending_error.reset();
        return;
      }
      if (done) return;
      ++fetched;
      result<Page> r = fetch(pages.cursor());
      if (!r) {
        done = true;
        current.emplace(std::move(r));
        return;
      }
      // A repeated cursor: the page itself is good; yield it, then the error.
      if (auto a = pages.advance(next(*r)); !a) pending_error = std::move(a.error());
      done = pages.complete() || pending_error.has_value();
      current.emplace(std::move(r));
    }
  };

  std::shared_ptr<state> state_;
};

/// A single-pass range over the items of a listing, page after page (see `cursor_range`).
///
/// Each element is a `result<Item>`; a failed page yields one error and ends the range.
template <class Page, class Item>
class item_range {
 public:
  using item_type = Item;
  /// The items of a page (where the provider's envelope keeps them).
  using items_function = std::function<std::vector<Item>&(Page&)>;

  item_range(cursor_range<Page> pages, items_function items)
      : pages_(std::move(pages)), items_(std::move(items)) {}

  class iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = result<item_type>;
    using difference_type = std::ptrdiff_t;
    using reference = value_type&;

    iterator() = default;
    reference operator*() const { return *self_->current_; }
    iterator& operator++() {
      self_->advance();
      return *this;
    }
    void operator++(int) { ++*this; }
    friend bool operator==(const iterator& it, std::default_sentinel_t) { return it.at_end(); }

   private:
    friend item_range;
    explicit iterator(item_range* s) : self_(s) {}
    bool at_end() const { return !self_ || !self_->current_; }
    item_range* self_ = nullptr;
  };

  /// Fetches pages until the first item (or error).
  iterator begin() {
    if (!started_) {
      started_ = true;
      page_it_ = pages_.begin();
      index_ = 0;
      fill();
    }
    return iterator(this);
  }
  std::default_sentinel_t end() const noexcept { return {}; }

  /// The underlying page range (for `resume_cursor()` and `complete()`).
  const cursor_range<Page>& pages() const noexcept { return pages_; }

 private:
  void advance() {
    current_.reset();
    ++index_;
    fill();
  }
  // Moves to the next item, fetching pages (and skipping empty ones) as needed.
  void fill() {
    while (page_it_ != pages_.end()) {
      auto& page = *page_it_;
      if (!page) {
        if (!errored_) {
          errored_ = true;
          current_.emplace(page.error());
          return;
        }
        return;
      }
      auto& items = items_(*page);
      if (index_ < items.size()) {
        current_.emplace(std::move(items[index_]));
        return;
      }
      ++page_it_;
      index_ = 0;
    }
  }

  cursor_range<Page> pages_;
  items_function items_;
  typename cursor_range<Page>::iterator page_it_;
  std::size_t index_ = 0;
  bool started_ = false;
  bool errored_ = false;
  std::optional<result<item_type>> current_;
};

}  // namespace uniapi

#endif
