#include <openssl/crypto.h>

#include <optional>

#include "zairyu/client/errors.h"
#include "zairyu/client/transport.h"

namespace zairyu::client {

namespace {

constexpr int kMaxGetResponseRounds = 64;
constexpr std::size_t kMaxResponseBytes = std::size_t{64} * 1024;

// Index of the Le byte of a short command, or none for case 1 and 3 (and for
// extended-length encodings, which this client never sends).
std::optional<std::size_t> le_index(ByteView command) {
  if (command.size() == 5) return 4;  // case 2
  if (command.size() > 5 && command[4] != 0 && command.size() == 6u + command[4]) {
    return command.size() - 1;  // case 4
  }
  return std::nullopt;
}

void check_length(const Bytes& response) {
  if (response.size() < 2) throw CardProtocolError("response shorter than a status word");
}

}  // namespace

Bytes transmit_resolving_iso_chaining(ByteView command, const RawTransmit& raw) {
  Bytes response = raw(command);
  check_length(response);

  if (response[response.size() - 2] == 0x6C) {
    if (auto index = le_index(command)) {
      Bytes again(command.begin(), command.end());
      again[*index] = response.back();
      response = raw(again);
      OPENSSL_cleanse(again.data(), again.size());
      check_length(response);
    }
  }

  Bytes data;
  for (int round = 0; response[response.size() - 2] == 0x61; ++round) {
    if (round == kMaxGetResponseRounds) {
      throw CardProtocolError("card kept answering 61 xx after 64 GET RESPONSE rounds");
    }
    data.insert(data.end(), response.begin(), response.end() - 2);
    if (data.size() > kMaxResponseBytes) {
      throw CardProtocolError("chained response exceeds 64 KiB");
    }
    const Bytes get_response{0x00, 0xC0, 0x00, 0x00, response.back()};
    response = raw(get_response);
    check_length(response);
  }
  if (data.empty()) return response;
  data.insert(data.end(), response.begin(), response.end());
  if (data.size() > kMaxResponseBytes + 2)
    throw CardProtocolError("chained response exceeds 64 KiB");
  return data;
}

}  // namespace zairyu::client
