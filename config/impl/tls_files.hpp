#pragma once
// Load-time check of the bridge's TLS certificate and key files (OpenSSL stays in the .cpp).

#include <string>
#include <vector>

namespace tradewind::config_impl {

/// One problem with the TLS files, by the key that names the file.
struct tls_file_problem {
  std::string path;   ///< `bridge.tls.cert_file` or `bridge.tls.key_file`
  std::string reason; ///< what is wrong and what to do; never the file's contents
};

/// Checks that `cert_file` holds a PEM certificate, `key_file` an unencrypted PEM private key,
/// and that the key belongs to the certificate. Never prompts for a passphrase.
std::vector<tls_file_problem> check_tls_files(const std::string& cert_file, const std::string& key_file);

} // namespace tradewind::config_impl
