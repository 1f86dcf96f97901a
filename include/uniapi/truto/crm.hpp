// uniapi — Truto's Unified CRM API (contacts), the Truto profile and the codec.
// Includes no Beast, Asio or OpenSSL header.
#ifndef UNIAPI_TRUTO_CRM_HPP
#define UNIAPI_TRUTO_CRM_HPP

#include <uniapi/json.hpp>
#include <uniapi/truto/client.hpp>
#include <uniapi/truto/crm/contact.hpp>

#endif
