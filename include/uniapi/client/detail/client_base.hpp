// uniapi — what the synchronous and the asynchronous client hold and check alike.
#ifndef UNIAPI_CLIENT_DETAIL_CLIENT_BASE_HPP
#define UNIAPI_CLIENT_DETAIL_CLIENT_BASE_HPP

#include <uniapi/client/client_hooks.hpp>
#include <uniapi/client/detail/operations.hpp>
#include <uniapi/client/detail/profile_check.hpp>

#include <utility>

namespace uniapi::detail {

/// The profile, transport and hooks of a client, and the operations over them. The first
/// failing assertion of `profile_check` names what `Profile` misses.
template <class Profile, class Transport>
class client_base {
  static_assert(profile_check<Profile>::value);

 public:
  /// The provider profile.
  using profile_type = Profile;

  client_base(Profile profile, Transport transport, client_hooks hooks = {})
      : profile_(std::move(profile)), transport_(std::move(transport)), hooks_(std::move(hooks)) {}

  const Profile& profile() const noexcept { return profile_; }
  Transport& transport() noexcept { return transport_; }

 protected:
  operations<Profile> ops() const noexcept { return operations<Profile>(profile_); }
  const client_hooks& hooks() const noexcept { return hooks_; }

 private:
  Profile profile_;
  Transport transport_;
  client_hooks hooks_;
};

}  // namespace uniapi::detail

#endif
