// A readable summary of an X.509 certificate read from the card (OpenSSL).
// The card is untrusted: bytes that do not parse give a CliError(kCardError).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "zairyu/client/bytes.h"

namespace zairyu::cli {

struct CertificateSummary {
  std::string subject;     // RFC 2253
  std::string issuer;      // RFC 2253
  std::string serial;      // upper-case hex
  std::string not_before;  // ISO 8601 UTC, "2026-11-22T12:00:00Z"
  std::string not_after;
  std::string sha256;  // fingerprint of the DER, lower-case hex
  nlohmann::json to_json() const;
};

CertificateSummary summarize_certificate(client::ByteView der);

// PEM text ("-----BEGIN CERTIFICATE-----" ...) of the DER bytes as read.
std::string certificate_pem(client::ByteView der);

}  // namespace zairyu::cli
