// Helpers shared by the emulator/server tests: fixture paths, a temporary
// directory, JPKI APDUs and decoding of rich error details.
#pragma once

#include <stdlib.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <grpcpp/support/status.h>

#include "emulator/card/bytes.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace zairyu::server::testing {

// Persona and PKI directories come from CTest's ENVIRONMENT (see CMakeLists).
inline std::filesystem::path env_path(const char* name) {
  const char* value = std::getenv(name);
  return value ? std::filesystem::path(value) : std::filesystem::path();
}
inline std::filesystem::path personas_dir() { return env_path("ZAIRYU_PERSONAS_DIR"); }
inline std::filesystem::path pki_dir() { return env_path("ZAIRYU_PKI_DIR"); }

// A fresh directory under $TMPDIR, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "zairyu-server-XXXXXX");
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// A self-signed certificate for localhost / 127.0.0.1 and its key, made by
// the openssl command in `dir` (server.crt, server.key), for TLS tests.
struct TlsFiles {
  std::filesystem::path cert;
  std::filesystem::path key;
};
inline TlsFiles make_localhost_tls_files(const std::filesystem::path& dir) {
  TlsFiles files{dir / "server.crt", dir / "server.key"};
  const std::string command =
      "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost "
      "-addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout " +
      files.key.string() + " -out " + files.cert.string() + " 2>/dev/null";
  if (std::system(command.c_str()) != 0) throw std::runtime_error("openssl req failed");
  return files;
}

// APDUs of a JPKI session (AID and EF 0018 as in emulator/card).
inline card::Bytes select_jpki_ap() {
  return card::from_hex("00 A4 04 0C 0A D3 92 F0 00 26 01 00 00 00 01");
}
inline card::Bytes select_auth_pin_ef() { return card::from_hex("00 A4 02 0C 02 00 18"); }
inline card::Bytes verify(const std::string& pin) {
  card::Bytes apdu = {0x00, 0x20, 0x00, 0x80, static_cast<std::uint8_t>(pin.size())};
  apdu.insert(apdu.end(), pin.begin(), pin.end());
  return apdu;
}
inline std::string sw(const std::optional<card::Bytes>& response) {
  if (!response || response->size() < 2) return "none";
  return card::to_hex(card::ByteView(*response).last(2));
}

// The ErrorInfo / BadRequest in a status's details, or empty messages.
inline google::rpc::ErrorInfo error_info(const grpc::Status& status) {
  google::rpc::Status details;
  google::rpc::ErrorInfo info;
  if (details.ParseFromString(status.error_details())) {
    for (const auto& any : details.details()) {
      if (any.UnpackTo(&info)) break;
    }
  }
  return info;
}
inline google::rpc::BadRequest bad_request(const grpc::Status& status) {
  google::rpc::Status details;
  google::rpc::BadRequest request;
  if (details.ParseFromString(status.error_details())) {
    for (const auto& any : details.details()) {
      if (any.UnpackTo(&request)) break;
    }
  }
  return request;
}

}  // namespace zairyu::server::testing
