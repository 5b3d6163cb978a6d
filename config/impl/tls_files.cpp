#include "config/impl/tls_files.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

namespace tradewind::config_impl {

namespace {

const char* cert_key = "bridge.tls.cert_file";
const char* key_key = "bridge.tls.key_file";

struct file_closer {
  void operator()(FILE* f) const { std::fclose(f); }
};
struct x509_free {
  void operator()(X509* x) const { X509_free(x); }
};
struct pkey_free {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};

using file_ptr = std::unique_ptr<FILE, file_closer>;

/// Refuses every passphrase request: an encrypted key must fail to load, never block on a prompt.
int no_passphrase(char*, int, int, void*) {
  return -1;
}

/// Opens `file` or records why it cannot be read.
file_ptr open_or_fail(const std::string& file, const char* key, std::vector<tls_file_problem>& out) {
  file_ptr f{std::fopen(file.c_str(), "rb")};
  if (!f)
    out.push_back({key, std::string{"cannot read the file: "} + std::strerror(errno)});
  return f;
}

} // namespace

std::vector<tls_file_problem> check_tls_files(const std::string& cert_file, const std::string& key_file) {
  std::vector<tls_file_problem> out;
  std::unique_ptr<X509, x509_free> cert;
  std::unique_ptr<EVP_PKEY, pkey_free> key;
  if (auto f = open_or_fail(cert_file, cert_key, out)) {
    cert.reset(PEM_read_X509(f.get(), nullptr, no_passphrase, nullptr));
    if (!cert)
      out.push_back({cert_key, "holds no PEM certificate (expected a -----BEGIN CERTIFICATE----- block)"});
  }
  if (auto f = open_or_fail(key_file, key_key, out)) {
    key.reset(PEM_read_PrivateKey(f.get(), nullptr, no_passphrase, nullptr));
    if (!key)
      out.push_back({key_key, "holds no unencrypted PEM private key (an encrypted key must be decrypted first, "
                              "e.g. openssl pkey -in KEY -out KEY.plain)"});
  }
  if (cert && key && X509_check_private_key(cert.get(), key.get()) != 1)
    out.push_back({key_key, "does not match the certificate in bridge.tls.cert_file (use the private key the "
                            "certificate was issued for)"});
  ERR_clear_error();
  return out;
}

} // namespace tradewind::config_impl
