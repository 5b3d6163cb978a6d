#pragma once
// Throwaway TLS material for tests: a fresh key and a self-signed certificate, written as PEM.

#include <filesystem>
#include <string>

namespace tradewind::test {

/// Paths of a PEM certificate and its private key.
struct pem_pair {
  std::string cert_file;
  std::string key_file;
};

/// Writes `dir/NAME.crt` and `dir/NAME.key`: a new P-256 key and a one-day self-signed
/// certificate for 127.0.0.1 (subjectAltName IP:127.0.0.1, DNS:localhost); the key is encrypted
/// (AES-256-CBC) with `passphrase` when one is given. Throws on failure.
pem_pair write_self_signed(const std::filesystem::path& dir, const std::string& name,
                           const std::string& passphrase = "");

} // namespace tradewind::test
