// uniapi — Truto's Unified ATS API: every model and descriptor, the Truto profile and the codec.
// Includes no Beast, Asio or OpenSSL header.
#ifndef UNIAPI_TRUTO_ATS_HPP
#define UNIAPI_TRUTO_ATS_HPP

#include <uniapi/json.hpp>
#include <uniapi/truto/ats/all.hpp>
#include <uniapi/truto/client.hpp>

#endif
