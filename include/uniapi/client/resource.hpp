// uniapi — compile-time descriptions of API resources and their methods.
#ifndef UNIAPI_CLIENT_RESOURCE_HPP
#define UNIAPI_CLIENT_RESOURCE_HPP

#include <uniapi/core/http.hpp>

#include <string_view>

namespace uniapi {

/// A resource descriptor is a type that names a resource's path, its model and — by declaring
/// their types — the methods it offers. It is usually empty, naming its path at compile time:
/// @code
/// struct attachments_resource {
///   static constexpr std::string_view name = "attachments";          // for tools and messages
///   static constexpr std::string_view path = "/unified/ats/attachments";
///   using model = attachment;                    // what list/get/create return
///   using list_query = attachment_list_query;    // declares `list`
///   using get_query = ...;                       // declares `get`    (GET path/{id})
///   using create_body = ...;                     // declares `create` (POST path), with
///   using create_query = ...;                    //   its query parameters
///   using update_body = ...; using update_query = ...;  // declares `update` (PATCH path/{id})
///   using delete_query = ...;                    // declares `remove` (DELETE path/{id})
/// };
/// inline constexpr attachments_resource attachments{};
/// @endcode
/// A client method exists for a resource exactly when the type it needs is declared, so calling
/// a method the resource lacks does not compile. `path` and `name` may also be non-static
/// members, for resources named at run time (`truto::proxy_resource`): the client reads them
/// from the descriptor object it is given.
template <class R>
concept resource = requires(const R& r) {
  // Wire path of the collection, e.g. "/unified/ats/attachments".
  { r.path } -> std::convertible_to<std::string_view>;
  // Short name, e.g. "attachments".
  { r.name } -> std::convertible_to<std::string_view>;
  // The record type.
  typename R::model;
};

/// `R` offers `list` (GET path, paginated).
template <class R>
concept listable = resource<R> && requires {
  typename R::list_query;
};
/// `R` offers `get` (GET path/{id}).
template <class R>
concept gettable = resource<R> && requires {
  typename R::get_query;
};
/// `R` offers `create` (POST path).
template <class R>
concept creatable = resource<R> && requires {
  typename R::create_body;
  typename R::create_query;
};
/// `R` offers `update` (PATCH path/{id}).
template <class R>
concept updatable = resource<R> && requires {
  typename R::update_body;
  typename R::update_query;
};
/// `R` offers `remove` (DELETE path/{id}).
template <class R>
concept deletable = resource<R> && requires {
  typename R::delete_query;
};

namespace detail {
/// Stands in for a method's types on a resource that lacks the method, so that the client's
/// member templates fail on their `requires` clause (a readable error) rather than on a
/// missing nested type.
struct method_not_offered {};
}  // namespace detail

// The query and body types of each method, or `detail::method_not_offered`.
template <class R>
struct list_query_of {
  using type = detail::method_not_offered;
};
template <listable R>
struct list_query_of<R> {
  using type = typename R::list_query;
};
template <class R>
struct get_query_of {
  using type = detail::method_not_offered;
};
template <gettable R>
struct get_query_of<R> {
  using type = typename R::get_query;
};
template <class R>
struct create_types_of {
  using body = detail::method_not_offered;
  using query = detail::method_not_offered;
};
template <creatable R>
struct create_types_of<R> {
  using body = typename R::create_body;
  using query = typename R::create_query;
};
template <class R>
struct update_types_of {
  using body = detail::method_not_offered;
  using query = detail::method_not_offered;
};
template <updatable R>
struct update_types_of<R> {
  using body = typename R::update_body;
  using query = typename R::update_query;
};
template <class R>
struct delete_query_of {
  using type = detail::method_not_offered;
};
template <deletable R>
struct delete_query_of<R> {
  using type = typename R::delete_query;
};

/// A custom method: a request to a fixed path with its own query, body and response types.
/// @code
/// struct move_stage_method {
///   static constexpr std::string_view name = "move-stage";
///   static constexpr std::string_view path = "/unified/ats/applications/move-stage";
///   static constexpr http_method verb = http_method::post;
///   using query = move_stage_query;
///   using body = move_stage_body;
///   using response = application;   // or `binary_response` for raw bytes
/// };
/// @endcode
template <class M>
concept custom_method = requires {
  { M::path } -> std::convertible_to<std::string_view>;
  { M::name } -> std::convertible_to<std::string_view>;
  { M::verb } -> std::convertible_to<http_method>;
  typename M::query;
  typename M::body;
  typename M::response;
};

/// Marks a custom method whose successful response is a byte stream, not JSON.
struct binary_response {};

/// The methods a resource offers, as flags (for tools that list them).
enum class method : unsigned { list = 1, get = 2, create = 4, update = 8, remove = 16 };

/// The flags of the methods `R` offers.
template <resource R>
constexpr unsigned methods_of() noexcept {
  return (listable<R> ? unsigned(method::list) : 0u) | (gettable<R> ? unsigned(method::get) : 0u) |
         (creatable<R> ? unsigned(method::create) : 0u) |
         (updatable<R> ? unsigned(method::update) : 0u) |
         (deletable<R> ? unsigned(method::remove) : 0u);
}

}  // namespace uniapi

#endif
