// uniapi — the storage behind the type-erased transports: one object of any movable type, in
// place when it is small and moves without throwing, else on the heap.
#ifndef UNIAPI_TRANSPORT_DETAIL_ERASED_OBJECT_HPP
#define UNIAPI_TRANSPORT_DETAIL_ERASED_OBJECT_HPP

#include <cstddef>
#include <new>
#include <type_traits>
#include <utility>

namespace uniapi::detail {

/// How an `erased_object` moves and destroys what it holds.
struct erased_manager {
  void (*move)(unsigned char* from, unsigned char* to) noexcept = nullptr;
  void (*destroy)(unsigned char* at) noexcept = nullptr;
  bool inline_storage = false;
};

/// Holds an object whose type only its `Ops` knows: a table of function pointers per type, made
/// by `Ops::template of<T>(manager)`, whose member `manage` is that manager. Moving the holder
/// moves the object (or its heap pointer); a moved-from holder is empty.
template <class Ops, std::size_t InlineSize = 6 * sizeof(void*)>
class erased_object {
 public:
  /// True when a `T` is stored in place.
  template <class T>
  static constexpr bool stored_inline =
      sizeof(T) <= InlineSize &&
      alignof(T) <= alignof(std::max_align_t) && std::is_nothrow_move_constructible_v<T>;

  template <class T>
  explicit erased_object(T&& value) : ops_(&table<std::decay_t<T>>) {
    using type = std::decay_t<T>;
    if constexpr (stored_inline<type>)
      ::new (static_cast<void*>(buffer_)) type(std::forward<T>(value));
    else
      ::new (static_cast<void*>(buffer_)) void*(new type(std::forward<T>(value)));
  }
  erased_object(erased_object&& other) noexcept : ops_(other.ops_) {
    if (ops_) ops_->manage.move(other.buffer_, buffer_);
    other.ops_ = nullptr;
  }
  erased_object& operator=(erased_object&& other) noexcept {
    if (this != &other) {
      reset();
      ops_ = other.ops_;
      if (ops_) ops_->manage.move(other.buffer_, buffer_);
      other.ops_ = nullptr;
    }
    return *this;
  }
  erased_object(const erased_object&) = delete;
  erased_object& operator=(const erased_object&) = delete;
  ~erased_object() { reset(); }

  /// The object's operations; null when empty (moved from).
  const Ops* ops() const noexcept { return ops_; }
  /// The object.
  void* get() noexcept { return ops_->manage.inline_storage ? buffer_ : *as_pointer(); }

  /// The object when it is a `T`, else null.
  template <class T>
  T* target() noexcept {
    return ops_ == &table<T> ? static_cast<T*>(get()) : nullptr;
  }

 private:
  template <class T>
  static constexpr erased_manager manager_of() {
    erased_manager m{};
    m.inline_storage = stored_inline<T>;
    if constexpr (stored_inline<T>) {
      m.move = [](unsigned char* from, unsigned char* to) noexcept {
        T* src = std::launder(reinterpret_cast<T*>(from));
        ::new (static_cast<void*>(to)) T(std::move(*src));
        src->~T();
      };
      m.destroy = [](unsigned char* at) noexcept { std::launder(reinterpret_cast<T*>(at))->~T(); };
    } else {
      m.move = [](unsigned char* from, unsigned char* to) noexcept {
        ::new (static_cast<void*>(to)) void*(*std::launder(reinterpret_cast<void**>(from)));
      };
      m.destroy = [](unsigned char* at) noexcept {
        delete static_cast<T*>(*std::launder(reinterpret_cast<void**>(at)));
      };
    }
    return m;
  }

  template <class T>
  static constexpr Ops table = Ops::template of<T>(manager_of<T>());

  void** as_pointer() noexcept { return std::launder(reinterpret_cast<void**>(buffer_)); }
  void reset() noexcept {
    if (ops_) ops_->manage.destroy(buffer_);
    ops_ = nullptr;
  }

  const Ops* ops_;
  alignas(std::max_align_t) unsigned char buffer_[InlineSize];
};

}  // namespace uniapi::detail

#endif
