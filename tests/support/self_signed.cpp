#include "tests/support/self_signed.hpp"

#include <cstdio>
#include <memory>
#include <stdexcept>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace tradewind::test {

namespace {

template <class T, void (*Free)(T*)>
struct deleter {
  void operator()(T* p) const { Free(p); }
};
using pkey_ptr = std::unique_ptr<EVP_PKEY, deleter<EVP_PKEY, EVP_PKEY_free>>;
using x509_ptr = std::unique_ptr<X509, deleter<X509, X509_free>>;
using ext_ptr = std::unique_ptr<X509_EXTENSION, deleter<X509_EXTENSION, X509_EXTENSION_free>>;

void check(bool ok, const char* what) {
  if (!ok)
    throw std::runtime_error(std::string{"self-signed certificate: "} + what + " failed");
}

void add_extension(X509* cert, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  ext_ptr ext{X509V3_EXT_conf_nid(nullptr, &ctx, nid, value)};
  check(ext && X509_add_ext(cert, ext.get(), -1) == 1, "X509_add_ext");
}

template <class Write>
void write_pem(const std::string& path, Write write) {
  std::unique_ptr<FILE, int (*)(FILE*)> f{std::fopen(path.c_str(), "wb"), &std::fclose};
  check(f && write(f.get()) == 1, "writing PEM");
}

} // namespace

pem_pair write_self_signed(const std::filesystem::path& dir, const std::string& name, const std::string& passphrase) {
  pkey_ptr key{EVP_EC_gen("P-256")};
  check(key != nullptr, "EVP_EC_gen");
  x509_ptr cert{X509_new()};
  check(cert != nullptr, "X509_new");
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24 * 3600);
  X509_set_pubkey(cert.get(), key.get());
  auto* subject = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("127.0.0.1"), -1,
                             -1, 0);
  X509_set_issuer_name(cert.get(), subject);
  add_extension(cert.get(), NID_subject_alt_name, "IP:127.0.0.1,DNS:localhost");
  add_extension(cert.get(), NID_basic_constraints, "critical,CA:TRUE");
  check(X509_sign(cert.get(), key.get(), EVP_sha256()) > 0, "X509_sign");
  pem_pair out{(dir / (name + ".crt")).string(), (dir / (name + ".key")).string()};
  write_pem(out.cert_file, [&](FILE* f) { return PEM_write_X509(f, cert.get()); });
  const EVP_CIPHER* cipher = passphrase.empty() ? nullptr : EVP_aes_256_cbc();
  auto* pass = reinterpret_cast<const unsigned char*>(passphrase.data());
  write_pem(out.key_file, [&](FILE* f) {
    return PEM_write_PrivateKey(f, key.get(), cipher, pass, static_cast<int>(passphrase.size()), nullptr, nullptr);
  });
  return out;
}

} // namespace tradewind::test
