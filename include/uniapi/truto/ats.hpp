// uniapi — Truto's Unified ATS API: every model and descriptor, the Truto profile and the codec.
// Includes no Beast, Asio or OpenSSL header.
#ifndef UNIAPI_TRUTO_ATS_HPP
#define UNIAPI_TRUTO_ATS_HPP

#include <uniapi/json.hpp>
#include <uniapi/truto/ats/attachment.hpp>
#include <uniapi/truto/ats/common.hpp>
#include <uniapi/truto/client.hpp>

#include <tuple>

namespace uniapi::truto::ats {

/// Every ATS resource descriptor, for tools that work over all of them.
using all_resources = std::tuple<attachments_resource>;

/// Every ATS custom-method descriptor.
using all_custom_methods = std::tuple<attachments_download_method>;

}  // namespace uniapi::truto::ats

#endif
