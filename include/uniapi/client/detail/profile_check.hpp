// uniapi — the profile checks both clients make, each failure naming what is missing.
#ifndef UNIAPI_CLIENT_DETAIL_PROFILE_CHECK_HPP
#define UNIAPI_CLIENT_DETAIL_PROFILE_CHECK_HPP

#include <uniapi/client/provider_profile.hpp>

namespace uniapi::detail {

/// Instantiated by each client: the first failing assertion says which requirement of
/// `provider_profile` `Profile` misses.
template <class Profile>
struct profile_check {
  static_assert(provider_profile<Profile>,
                "uniapi::provider_profile is not satisfied by Profile (the notes below say which "
                "requirement is missing)");
  static_assert(profile_requests<Profile>,
                "uniapi::provider_profile: Profile needs base_url, add_cursor, authorize, "
                "to_error and redact (see uniapi::profile_requests)");
  static_assert(profile_envelope<Profile>,
                "uniapi::provider_profile: Profile needs template envelope<Items> and static "
                "items(page) and next_cursor(page) (see uniapi::profile_envelope)");
  static_assert(profile_responses<Profile>,
                "uniapi::provider_profile: Profile needs write_response<T>, unwrap_write, "
                "delete_response, deleted_id and unwrap_custom<T> (see "
                "uniapi::profile_responses)");
  static constexpr bool value = true;
};

}  // namespace uniapi::detail

#endif
