// uniapi — a throwaway certificate authority and server certificate, made at run time.
#ifndef UNIAPI_TESTING_TEST_CERTIFICATES_HPP
#define UNIAPI_TESTING_TEST_CERTIFICATES_HPP

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace uniapi::testing {

/// PEM texts of a fresh CA and of a server certificate it signed. Generated in memory (P-256
/// keys, valid for a day) so that no private key is ever committed.
struct test_certificates {
  std::string ca_cert;      ///< the CA certificate, to trust in a client
  std::string server_cert;  ///< the server's certificate
  std::string server_key;   ///< the server's private key

  /// A CA and a server certificate for `names`: DNS names, or IP addresses written as
  /// `IP:127.0.0.1`. The default covers `localhost` and `127.0.0.1`. The server certificate is
  /// valid from an hour ago for `server_valid_for` (negative: it has expired).
  static test_certificates generate(
      const std::vector<std::string>& names = {"localhost", "IP:127.0.0.1"},
      std::chrono::seconds server_valid_for = std::chrono::hours(25)) {
    auto ca_key = make_key();
    auto ca =
        make_cert(ca_key.get(), nullptr, ca_key.get(), "uniapi test CA", 1, std::chrono::hours(25));
    add_ext(ca.get(), ca.get(), NID_basic_constraints, "critical,CA:TRUE");
    add_ext(ca.get(), ca.get(), NID_key_usage, "critical,keyCertSign,cRLSign");
    add_ext(ca.get(), ca.get(), NID_subject_key_identifier, "hash");
    sign(ca.get(), ca_key.get());

    auto key = make_key();
    auto cert =
        make_cert(key.get(), ca.get(), ca_key.get(), "uniapi test server", 2, server_valid_for);
    std::string san;
    for (const auto& n : names) {
      if (!san.empty()) san += ',';
      san += n.rfind("IP:", 0) == 0 ? n : "DNS:" + n;
    }
    add_ext(cert.get(), ca.get(), NID_basic_constraints, "critical,CA:FALSE");
    add_ext(cert.get(), ca.get(), NID_key_usage, "critical,digitalSignature,keyEncipherment");
    add_ext(cert.get(), ca.get(), NID_ext_key_usage, "serverAuth");
    add_ext(cert.get(), ca.get(), NID_subject_alt_name, san);
    add_ext(cert.get(), ca.get(), NID_authority_key_identifier, "keyid:always");
    sign(cert.get(), ca_key.get());
    return {pem(ca.get()), pem(cert.get()), pem_key(key.get())};
  }

 private:
  struct key_deleter {
    void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
  };
  struct cert_deleter {
    void operator()(X509* c) const { X509_free(c); }
  };
  struct bio_deleter {
    void operator()(BIO* b) const { BIO_free(b); }
  };
  using key_ptr = std::unique_ptr<EVP_PKEY, key_deleter>;
  using cert_ptr = std::unique_ptr<X509, cert_deleter>;

  static void check(bool ok, const char* what) {
    if (!ok) throw std::runtime_error(std::string("test certificate: ") + what);
  }

  static key_ptr make_key() {
    key_ptr k(EVP_EC_gen("P-256"));
    check(k != nullptr, "key generation failed");
    return k;
  }

  static cert_ptr make_cert(EVP_PKEY* key, X509* issuer, EVP_PKEY*, const char* cn, long serial,
                            std::chrono::seconds valid_for) {
    cert_ptr c(X509_new());
    check(c != nullptr, "X509_new failed");
    X509_set_version(c.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(c.get()), serial);
    X509_gmtime_adj(X509_getm_notBefore(c.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(c.get()), static_cast<long>(valid_for.count()) - 3600);
    X509_set_pubkey(c.get(), key);
    X509_NAME* name = X509_get_subject_name(c.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn),
                               -1, -1, 0);
    X509_set_issuer_name(c.get(), issuer ? X509_get_subject_name(issuer) : name);
    return c;
  }

  static void add_ext(X509* cert, X509* issuer, int nid, const std::string& value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
    check(ext != nullptr, "bad extension");
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
  }

  static void sign(X509* cert, EVP_PKEY* key) {
    check(X509_sign(cert, key, EVP_sha256()) > 0, "sign failed");
  }

  template <class Write>
  static std::string to_pem(Write write) {
    std::unique_ptr<BIO, bio_deleter> bio(BIO_new(BIO_s_mem()));
    check(write(bio.get()), "PEM write failed");
    char* data = nullptr;
    long n = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(n));
  }
  static std::string pem(X509* c) {
    return to_pem([&](BIO* b) { return PEM_write_bio_X509(b, c) == 1; });
  }
  static std::string pem_key(EVP_PKEY* k) {
    return to_pem([&](BIO* b) {
      return PEM_write_bio_PrivateKey(b, k, nullptr, nullptr, 0, nullptr, nullptr) == 1;
    });
  }
};

}  // namespace uniapi::testing

#endif
