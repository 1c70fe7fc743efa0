// card_info: a small program over the public API of zairyu_client_card.
// Lists the PC/SC readers, then reads what a My Number Card gives without a
// PIN: the token, the certificate flags, the auth certificate's size and the
// remaining PIN tries. Works with a real card or the virtual one behind vpcd.
//
//   zairyu_card_info [READER]
#include <chrono>
#include <exception>
#include <iostream>
#include <string>

#include "zairyu/client/errors.h"
#include "zairyu/client/jpki_card.h"
#include "zairyu/client/pcsc_transport.h"

namespace zc = zairyu::client;

namespace {

std::string describe(const zc::PinStatus& status) {
  switch (status.state) {
    case zc::PinStatus::State::kTriesLeft:
      return std::to_string(*status.tries_left) + " tries left";
    case zc::PinStatus::State::kBlocked:
      return "blocked";
    case zc::PinStatus::State::kVerified:
      return "verified";
    case zc::PinStatus::State::kNoLimit:
      return "no retry limit reported";
  }
  return "unknown";
}

}  // namespace

int main(int argc, char** argv) {
  try {
    for (const auto& reader : zc::PcscTransport::list_readers()) {
      std::cout << "reader: " << reader << '\n';
    }
    zc::PcscOptions options;
    if (argc > 1) options.reader = argv[1];
    options.card_wait = std::chrono::seconds(5);
    zc::PcscTransport transport(options);
    std::cout << "card in " << transport.reader() << ", T=" << transport.protocol() << ", ATR "
              << zc::to_hex(transport.atr()) << '\n';

    zc::CardChannel channel(transport);
    zc::JpkiCard jpki(channel);
    std::cout << "token: " << jpki.read_token().name << '\n';
    std::cout << "signature certificate present: "
              << (jpki.read_certificate_flags().sign_certificate_present ? "yes" : "no") << '\n';
    std::cout << "auth certificate: " << jpki.read_certificate(zc::JpkiCertificate::kAuth).size()
              << " bytes\n";
    std::cout << "auth PIN: " << describe(jpki.pin_status(zc::JpkiKey::kAuth)) << '\n';
    std::cout << "sign PIN: " << describe(jpki.pin_status(zc::JpkiKey::kSign)) << '\n';
    return 0;
  } catch (const zc::TransportError& e) {
    std::cerr << "card_info: " << e.what() << '\n';
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "card_info: " << e.what() << '\n';
    return 1;
  }
}
