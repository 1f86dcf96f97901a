// uniapi — x509_category's definition: included by tls_error.hpp (header-only) or compiled once
// through beast_transport.ipp (UNIAPI_SEPARATE_COMPILATION).
#ifndef UNIAPI_TRANSPORT_BEAST_IMPL_TLS_ERROR_IPP
#define UNIAPI_TRANSPORT_BEAST_IMPL_TLS_ERROR_IPP

#include <uniapi/transport/beast/tls_error.hpp>

#include <openssl/x509.h>

#include <string>

namespace uniapi {

UNIAPI_DECL const std::error_category& x509_category() noexcept {
  struct category final : std::error_category {
    const char* name() const noexcept override { return "uniapi.x509"; }
    std::string message(int ev) const override {
      return std::string("certificate verify failed: ") + X509_verify_cert_error_string(ev);
    }
  };
  static const category instance;
  return instance;
}

}  // namespace uniapi

#endif
