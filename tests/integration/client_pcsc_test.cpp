// The client's PcscTransport + JpkiCard through the real pcscd + vpcd against
// the virtual card: connect, certificate, PIN, signature, a reset by another
// program, removal, no card (timeout) and an unknown reader.
#define BOOST_TEST_MODULE client_pcsc
#include <winscard.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <memory>
#include <thread>

#include "emulator/slots/card_slot.h"
#include "emulator/slots/tests/test_card.h"
#include "emulator/vpcd/vpcd_bridge.h"
#include "tests/integration/pcscd_fixture.h"
#include "zairyu/client/errors.h"
#include "zairyu/client/jpki_card.h"
#include "zairyu/client/pcsc_transport.h"

namespace {

using namespace std::chrono_literals;
using namespace zairyu;
using client::JpkiKey;
using client::SecretString;

constexpr std::uint16_t kPortBase = 42400;

// Resets the card through a second PC/SC connection, as another program would.
void reset_from_elsewhere(const std::string& reader) {
  SCARDCONTEXT context = 0;
  BOOST_TEST_REQUIRE(SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &context) ==
                     SCARD_S_SUCCESS);
  SCARDHANDLE handle = 0;
  DWORD protocol = 0;
  BOOST_TEST_REQUIRE(SCardConnect(context, reader.c_str(), SCARD_SHARE_SHARED, SCARD_PROTOCOL_ANY,
                                  &handle, &protocol) == SCARD_S_SUCCESS);
  BOOST_TEST_REQUIRE(SCardReconnect(handle, SCARD_SHARE_SHARED, SCARD_PROTOCOL_ANY,
                                    SCARD_RESET_CARD, &protocol) == SCARD_S_SUCCESS);
  SCardDisconnect(handle, SCARD_LEAVE_CARD);
  SCardReleaseContext(context);
}

}  // namespace

BOOST_AUTO_TEST_CASE(client_through_pcscd) {
  auto slot = std::make_shared<slots::CardSlot>(0);
  slot->insert(slots::testing::make_test_card(), "client-pcsc");
  vpcd::VpcdBridgeOptions bridge_options;
  bridge_options.port = kPortBase;
  vpcd::VpcdBridge bridge(slot, bridge_options);
  bridge.start();
  testing::PcscdRun pcscd("client_pcsc_test", 1, kPortBase, "normal");
  pcscd.start();

  BOOST_TEST(client::PcscTransport::list_readers().size() == 2u);  // vpcd: 2 slots per entry
  client::PcscOptions options;
  options.card_wait = 5s;
  client::PcscTransport transport(options);
  BOOST_TEST(client::to_hex(transport.atr()) == "3B E0 00 FF 81 31 FE 45 14");
  client::CardChannel channel(transport);
  client::JpkiCard jpki(channel);

  BOOST_TEST((jpki.read_token().kind == client::JpkiToken::Kind::kMyNumberCard));
  BOOST_TEST(jpki.read_certificate(client::JpkiCertificate::kAuth) ==
             slots::testing::test_identity().certificate_der);
  BOOST_TEST(*jpki.pin_status(JpkiKey::kAuth).tries_left == 3);
  BOOST_TEST(jpki.verify_pin(JpkiKey::kAuth, SecretString(slots::testing::kAuthPin)).ok());
  const client::Bytes digest_info = client::sha256_digest_info(client::Bytes{1, 2, 3});
  BOOST_TEST(jpki.sign(JpkiKey::kAuth, digest_info).size() == 256u);

  // A reset by another program: CardResetError, then the PIN is needed again.
  reset_from_elsewhere(transport.reader());
  BOOST_CHECK_THROW((void)jpki.sign(JpkiKey::kAuth, digest_info), client::CardResetError);
  try {
    (void)jpki.sign(JpkiKey::kAuth, digest_info);
    BOOST_ERROR("signed after a reset without the PIN");
  } catch (const client::CardStatusError& e) {
    BOOST_TEST(e.sw() == 0x6982);
  }
  BOOST_TEST(jpki.verify_pin(JpkiKey::kAuth, SecretString(slots::testing::kAuthPin)).ok());
  BOOST_TEST(jpki.sign(JpkiKey::kAuth, digest_info).size() == 256u);

  // Removal.
  slot->remove();
  std::this_thread::sleep_for(1500ms);  // vpcd polls presence about every 400 ms
  try {
    (void)jpki.read_token();
    BOOST_ERROR("no error after removal");
  } catch (const client::CardRemovedError& e) {
    BOOST_TEST(e.code_name() == "SCARD_W_REMOVED_CARD");
  }

  // No card: a bounded wait. Unknown reader: its own error.
  client::PcscOptions short_wait;
  short_wait.card_wait = 500ms;
  BOOST_CHECK_THROW(client::PcscTransport{short_wait}, client::TimeoutError);
  short_wait.reader = "No Such Reader 00 00";
  BOOST_CHECK_THROW(client::PcscTransport{short_wait}, client::ReaderNotFoundError);

  // Re-inserted: a new connection works.
  slot->insert(slots::testing::make_test_card(), "client-pcsc-2");
  client::PcscTransport again(options);
  client::CardChannel channel2(again);
  BOOST_TEST(
      (client::JpkiCard(channel2).read_token().kind == client::JpkiToken::Kind::kMyNumberCard));
}
