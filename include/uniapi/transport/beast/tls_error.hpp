// uniapi — the codes of a server certificate that failed verification (no OpenSSL included).
#ifndef UNIAPI_TRANSPORT_BEAST_TLS_ERROR_HPP
#define UNIAPI_TRANSPORT_BEAST_TLS_ERROR_HPP

#include <uniapi/core/detail/config.hpp>

#include <system_error>

namespace uniapi {

/// The category of the Beast transports' certificate verification failures: a code's value is
/// OpenSSL's verification result (`X509_V_ERR_CERT_HAS_EXPIRED`, `X509_V_ERR_HOSTNAME_MISMATCH`,
/// `X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY`, …), its message OpenSSL's reason after
/// "certificate verify failed: ". Such codes compare equal to `errc::tls_failed`.
UNIAPI_DECL const std::error_category& x509_category() noexcept;

}  // namespace uniapi

#if !defined(UNIAPI_SEPARATE_COMPILATION)
#include <uniapi/transport/beast/impl/tls_error.ipp>
#endif

#endif
