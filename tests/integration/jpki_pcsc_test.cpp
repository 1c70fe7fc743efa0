// A JPKI session through pcscd: the real card model in a CardSlot behind the
// vpcd bridge, driven by plain PC/SC calls as a client application would.
#define BOOST_TEST_MODULE jpki_pcsc
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/sha.h>
#include <openssl/x509.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <memory>
#include <string_view>

#include "emulator/slots/card_slot.h"
#include "emulator/slots/tests/test_card.h"
#include "emulator/slots/tests/test_printing.h"
#include "emulator/vpcd/vpcd_bridge.h"
#include "tests/integration/pcscd_fixture.h"

namespace zairyu::testing {
namespace {

using namespace std::chrono_literals;

constexpr std::uint16_t kPortBase = 42320;
const Bytes kOk{0x90, 0x00};

Bytes cat(Bytes a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

Bytes status_word(const Bytes& response) {
  return response.size() < 2 ? response : Bytes(response.end() - 2, response.end());
}

Bytes sha256_digest_info(std::string_view message) {
  Bytes out{0x30, 0x31, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
            0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20};
  std::uint8_t hash[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(message.data()), message.size(), hash);
  out.insert(out.end(), hash, hash + sizeof hash);
  return out;
}

// PKCS#1 v1.5 verification of a signature over a ready DigestInfo.
bool verify_with_certificate(const Bytes& certificate_der, const Bytes& digest_info,
                             const Bytes& signature) {
  const unsigned char* p = certificate_der.data();
  std::unique_ptr<X509, decltype(&X509_free)> cert(
      d2i_X509(nullptr, &p, static_cast<long>(certificate_der.size())), X509_free);
  if (!cert) return false;
  EVP_PKEY* key = X509_get0_pubkey(cert.get());
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(EVP_PKEY_CTX_new(key, nullptr),
                                                                  EVP_PKEY_CTX_free);
  return ctx && EVP_PKEY_verify_init(ctx.get()) == 1 &&
         EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) == 1 &&
         EVP_PKEY_verify(ctx.get(), signature.data(), signature.size(), digest_info.data(),
                         digest_info.size()) == 1;
}

BOOST_AUTO_TEST_CASE(select_read_verify_sign_through_pcscd) {
  auto slot = std::make_shared<slots::CardSlot>(0);
  slot->insert(slots::testing::make_test_card(), "jpki-test");
  vpcd::VpcdBridgeOptions options;
  options.port = kPortBase;
  vpcd::VpcdBridge bridge(slot, options);
  bridge.start();

  PcscdRun pcscd("jpki_pcsc_test", 1, kPortBase, "normal");
  pcscd.start();
  PcscClient client;
  const std::string reader = PcscdRun::reader_name(0);
  BOOST_TEST_REQUIRE(client.wait_card(reader, true, 5s));
  client.connect(reader);

  // SELECT the JPKI AP, then the auth certificate EF 000A.
  const Bytes select_jpki{0x00, 0xA4, 0x04, 0x0C, 0x0A, 0xD3, 0x92, 0xF0,
                          0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01};
  BOOST_TEST(client.transmit(select_jpki) == kOk);
  BOOST_TEST(client.transmit(Bytes{0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x0A}) == kOk);

  // Read 4 bytes to learn the length (as OpenSC does), then chunks of <= 256.
  Bytes head = client.transmit(Bytes{0x00, 0xB0, 0x00, 0x00, 0x04});
  BOOST_TEST_REQUIRE(head.size() == 6u);
  BOOST_TEST_REQUIRE(status_word(head) == kOk);
  const std::size_t total = (static_cast<std::size_t>(head[2]) << 8 | head[3]) + 4;
  Bytes certificate;
  while (certificate.size() < total) {
    const std::size_t offset = certificate.size();
    const std::size_t remaining = total - offset;
    const auto le = static_cast<std::uint8_t>(remaining > 255 ? 0 : remaining);
    Bytes chunk = client.transmit(Bytes{0x00, 0xB0, static_cast<std::uint8_t>(offset >> 8),
                                        static_cast<std::uint8_t>(offset), le});
    BOOST_TEST_REQUIRE(status_word(chunk) == kOk);
    BOOST_TEST_REQUIRE(chunk.size() > 2u);
    certificate.insert(certificate.end(), chunk.begin(), chunk.end() - 2);
  }
  BOOST_TEST(certificate == slots::testing::test_identity().certificate_der);

  // VERIFY the auth PIN (EF 0018), SELECT key 0017, COMPUTE DIGITAL SIGNATURE.
  BOOST_TEST(client.transmit(Bytes{0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x18}) == kOk);
  BOOST_TEST(client.transmit(Bytes{0x00, 0x20, 0x00, 0x80, 0x04, '1', '2', '3', '4'}) == kOk);
  BOOST_TEST(client.transmit(Bytes{0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x17}) == kOk);
  const Bytes digest_info = sha256_digest_info("zairyu-lab JPKI through pcscd");
  const Bytes sign =
      cat(cat(Bytes{0x80, 0x2A, 0x00, 0x80, static_cast<std::uint8_t>(digest_info.size())},
              digest_info),
          Bytes{0x00});
  const Bytes response = client.transmit(sign);
  BOOST_TEST_REQUIRE(response.size() == 258u);
  BOOST_TEST(status_word(response) == kOk);
  const Bytes signature(response.begin(), response.end() - 2);
  BOOST_TEST(verify_with_certificate(certificate, digest_info, signature));

  // The slot logged the session, with the PIN masked.
  bool saw_masked_verify = false;
  for (const auto& entry : slot->log_since(0, false)) {
    if (entry.is_pin_data) {
      saw_masked_verify = entry.command == Bytes{0x00, 0x20, 0x00, 0x80, 0x04, '*', '*', '*', '*'};
    }
  }
  BOOST_TEST(saw_masked_verify);
}

}  // namespace
}  // namespace zairyu::testing
