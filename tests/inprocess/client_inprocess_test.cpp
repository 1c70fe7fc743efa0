// The client's JPKI and input-helper operations against the real virtual card
// model, in process: certificates byte-exact, PIN countdown and the last-try
// refusal, signatures checked with OpenSSL, My Number and basic four.
#define BOOST_TEST_MODULE client_inprocess_tests
#include <boost/test/unit_test.hpp>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>
#include <stdexcept>
#include <string>

#include "emulator/card/card.h"
#include "emulator/card/card_state_store.h"
#include "emulator/card/random_source.h"
#include "inprocess_transport.h"
#include "zairyu/client/errors.h"
#include "zairyu/client/input_helper_card.h"
#include "zairyu/client/jpki_card.h"

using namespace zairyu;
using client::JpkiCertificate;
using client::JpkiKey;
using client::SecretString;
using Outcome = client::VerifyResult::Outcome;

namespace {

void require(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("OpenSSL fixture step failed: ") + what);
}

// An RSA-2048 key with a self-signed certificate, made with OpenSSL.
struct GeneratedKey {
  std::string private_key_pem;
  client::Bytes certificate_der;
};

GeneratedKey generate_key(const char* common_name) {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_RSA_gen(2048), EVP_PKEY_free);
  require(key != nullptr, "EVP_RSA_gen");
  GeneratedKey out;
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  require(
      PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1,
      "PEM_write_bio_PrivateKey");
  char* pem = nullptr;
  const long pem_size = BIO_get_mem_data(bio.get(), &pem);
  out.private_key_pem.assign(pem, static_cast<std::size_t>(pem_size));

  std::unique_ptr<X509, decltype(&X509_free)> cert(X509_new(), X509_free);
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 7);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), 0);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600L * 24 * 365);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "C", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("JP"),
                             -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("JPKI-TEST"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(common_name), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  require(X509_sign(cert.get(), key.get(), EVP_sha256()) > 0, "X509_sign");
  unsigned char* der = nullptr;
  const int der_size = i2d_X509(cert.get(), &der);
  require(der_size > 0, "i2d_X509");
  out.certificate_der.assign(der, der + der_size);
  OPENSSL_free(der);
  return out;
}

// Keys are slow to make: generated once per test binary.
struct Pki {
  GeneratedKey auth = generate_key("client test auth");
  GeneratedKey sign = generate_key("client test sign");
  GeneratedKey ca = generate_key("client test CA");
};
const Pki& pki() {
  static const Pki instance;
  return instance;
}

const std::string kName =
    "\xE5\xB1\xB1\xE7\x94\xB0\xE3\x80\x80\xE8\x8A\xB1\xE5\xAD\x90";  // 山田　花子
const std::string kAddress =
    "\xE6\x9D\xB1\xE4\xBA\xAC\xE9\x83\xBD\xE5\x8D\x83\xE4\xBB\xA3\xE7\x94\xB0\xE5\x8C\xBA";

card::CardProfile profile() {
  card::CardProfile p;
  p.card_id = "client-inprocess";
  p.auth_certificate_der = pki().auth.certificate_der;
  p.auth_ca_certificate_der = pki().ca.certificate_der;
  p.auth_private_key_pem = pki().auth.private_key_pem;
  p.sign_certificate_der = pki().sign.certificate_der;
  p.sign_ca_certificate_der = pki().ca.certificate_der;
  p.sign_private_key_pem = pki().sign.private_key_pem;
  p.auth_pin = "1234";
  p.sign_pin = "ABC123";
  p.my_number = "537686677188";  // valid check digit (domain-notes vector)
  p.basic_four = card::BasicFourInfo{kName, kAddress, "19900102", '2'};
  p.input_helper_pin = "5678";
  return p;
}

// True when `signature` is a valid RSA PKCS#1 v1.5 SHA-256 signature of
// `message` by the key in `certificate_der`.
bool verifies(const client::Bytes& certificate_der, const client::Bytes& message,
              const client::Bytes& signature) {
  const unsigned char* p = certificate_der.data();
  std::unique_ptr<X509, decltype(&X509_free)> cert(
      d2i_X509(nullptr, &p, static_cast<long>(certificate_der.size())), X509_free);
  require(cert != nullptr, "d2i_X509");
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(X509_get_pubkey(cert.get()),
                                                          EVP_PKEY_free);
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  require(EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) == 1,
          "EVP_DigestVerifyInit");
  return EVP_DigestVerify(ctx.get(), signature.data(), signature.size(), message.data(),
                          message.size()) == 1;
}

// A fresh virtual card behind an in-process transport, with the client on top.
struct VirtualCard {
  std::shared_ptr<card::Card> card =
      std::make_shared<card::Card>(profile(), std::make_shared<card::MemoryCardStateStore>(),
                                   std::make_shared<card::SeededRandomSource>(42));
  inprocess::InProcessTransport transport{card};
  client::CardChannel channel{transport};
  client::JpkiCard jpki{channel};
  client::InputHelperCard helper{channel};
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(client_against_virtual_card, VirtualCard)

BOOST_AUTO_TEST_CASE(token_and_flags) {
  const client::JpkiToken token = jpki.read_token();
  BOOST_TEST((token.kind == client::JpkiToken::Kind::kMyNumberCard));
  BOOST_TEST(token.name == "JPKIAPICCTOKEN2");
  BOOST_TEST(jpki.read_certificate_flags().sign_certificate_present);
  BOOST_TEST(transport.atr() ==
             client::Bytes({0x3B, 0xE0, 0x00, 0xFF, 0x81, 0x31, 0xFE, 0x45, 0x14}));
}

BOOST_AUTO_TEST_CASE(certificates_byte_exact) {
  BOOST_TEST(jpki.read_certificate(JpkiCertificate::kAuth) == pki().auth.certificate_der);
  BOOST_TEST(jpki.read_certificate(JpkiCertificate::kAuthCa) == pki().ca.certificate_der);
  BOOST_TEST(jpki.read_certificate(JpkiCertificate::kSignCa) == pki().ca.certificate_der);
  try {
    (void)jpki.read_certificate(JpkiCertificate::kSign);
    BOOST_ERROR("sign certificate read without the sign PIN");
  } catch (const client::CardStatusError& e) {
    BOOST_TEST(e.sw() == 0x6982);
  }
  BOOST_TEST(jpki.verify_pin(JpkiKey::kSign, SecretString("abc123")).ok());
  BOOST_TEST(jpki.read_certificate(JpkiCertificate::kSign) == pki().sign.certificate_der);
}

BOOST_AUTO_TEST_CASE(pin_countdown_and_last_try_refusal) {
  BOOST_TEST(*jpki.pin_status(JpkiKey::kAuth).tries_left == 3);
  client::VerifyResult r = jpki.verify_pin(JpkiKey::kAuth, SecretString("0000"));
  BOOST_TEST((r.outcome == Outcome::kWrongPin));
  BOOST_TEST(*r.tries_left == 2);
  r = jpki.verify_pin(JpkiKey::kAuth, SecretString("0001"));
  BOOST_TEST(*r.tries_left == 1);

  // One try left: refused, and the card's counter did not move.
  r = jpki.verify_pin(JpkiKey::kAuth, SecretString("1234"));
  BOOST_TEST((r.outcome == Outcome::kRefusedLastTry));
  BOOST_TEST(card->pin_status(card::PinId::kJpkiAuth).tries_left == 1);
  BOOST_TEST(*jpki.pin_status(JpkiKey::kAuth).tries_left == 1);

  // Forced with the right PIN: verified and the counter is back to 3.
  r = jpki.verify_pin(JpkiKey::kAuth, SecretString("1234"), {.force_last_try = true});
  BOOST_TEST(r.ok());
  BOOST_TEST(card->pin_status(card::PinId::kJpkiAuth).tries_left == 3);

  // Down to one try again, then a forced wrong PIN blocks it.
  (void)jpki.verify_pin(JpkiKey::kAuth, SecretString("0000"));
  (void)jpki.verify_pin(JpkiKey::kAuth, SecretString("0000"));
  r = jpki.verify_pin(JpkiKey::kAuth, SecretString("0000"), {.force_last_try = true});
  BOOST_TEST((r.outcome == Outcome::kBlocked));
  BOOST_TEST(jpki.pin_status(JpkiKey::kAuth).blocked());
  r = jpki.verify_pin(JpkiKey::kAuth, SecretString("1234"), {.force_last_try = true});
  BOOST_TEST((r.outcome == Outcome::kBlocked));
  BOOST_TEST(card->pin_status(card::PinId::kJpkiAuth).blocked);
  // The sign PIN is independent.
  BOOST_TEST(*jpki.pin_status(JpkiKey::kSign).tries_left == 5);
}

BOOST_AUTO_TEST_CASE(sign_and_verify_with_openssl) {
  const client::Bytes message{'z', 'a', 'i', 'r', 'y', 'u'};
  const client::Bytes digest_info = client::sha256_digest_info(message);

  BOOST_CHECK_THROW(jpki.sign(JpkiKey::kAuth, digest_info), client::CardStatusError);
  BOOST_TEST(jpki.verify_pin(JpkiKey::kAuth, SecretString("1234")).ok());
  const client::Bytes auth_sig = jpki.sign(JpkiKey::kAuth, digest_info);
  BOOST_TEST(verifies(jpki.read_certificate(JpkiCertificate::kAuth), message, auth_sig));

  BOOST_TEST(jpki.verify_pin(JpkiKey::kSign, SecretString("ABC123")).ok());
  const client::Bytes sign_sig = jpki.sign(JpkiKey::kSign, digest_info);
  const client::Bytes sign_cert = jpki.read_certificate(JpkiCertificate::kSign);
  BOOST_TEST(verifies(sign_cert, message, sign_sig));
  BOOST_TEST(!verifies(sign_cert, message, auth_sig));
}

BOOST_AUTO_TEST_CASE(reset_loses_security_state) {
  BOOST_TEST(jpki.verify_pin(JpkiKey::kAuth, SecretString("1234")).ok());
  transport.reset();
  // The channel selects the JPKI-AP again by itself; the PIN is not replayed.
  try {
    (void)jpki.sign(JpkiKey::kAuth, client::sha256_digest_info(client::Bytes{1}));
    BOOST_ERROR("signed after a reset without a PIN");
  } catch (const client::CardStatusError& e) {
    BOOST_TEST(e.sw() == 0x6982);
  }
}

BOOST_AUTO_TEST_CASE(removal_is_a_typed_error) {
  transport.remove();
  BOOST_CHECK_THROW((void)jpki.read_token(), client::CardRemovedError);
  transport.insert();
  BOOST_TEST((jpki.read_token().kind == client::JpkiToken::Kind::kMyNumberCard));
}

BOOST_AUTO_TEST_CASE(change_pin) {
  BOOST_TEST(jpki.change_pin(JpkiKey::kAuth, SecretString("1234"), SecretString("4321")).ok());
  BOOST_TEST((jpki.verify_pin(JpkiKey::kAuth, SecretString("1234")).outcome == Outcome::kWrongPin));
  BOOST_TEST(jpki.verify_pin(JpkiKey::kAuth, SecretString("4321")).ok());
  BOOST_TEST(jpki.change_pin(JpkiKey::kSign, SecretString("abc123"), SecretString("xyz789")).ok());
  BOOST_TEST(jpki.verify_pin(JpkiKey::kSign, SecretString("XYZ789")).ok());
}

BOOST_AUTO_TEST_CASE(pin_masked_in_traces) {
  std::vector<client::ApduTrace> traces;
  channel.set_trace_hook([&](const client::ApduTrace& t) { traces.push_back(t); });
  BOOST_TEST(jpki.verify_pin(JpkiKey::kAuth, SecretString("1234")).ok());
  BOOST_TEST_REQUIRE(!traces.empty());
  BOOST_TEST(client::to_hex(traces.back().command) == "00 20 00 80 04 2A 2A 2A 2A");
  BOOST_TEST(client::to_hex(traces.back().response) == "90 00");
}

BOOST_AUTO_TEST_CASE(input_helper_round_trip) {
  BOOST_CHECK_THROW((void)helper.read_my_number(), client::CardStatusError);
  BOOST_TEST(*helper.pin_status().tries_left == 3);
  BOOST_TEST(helper.verify_pin(SecretString("5678")).ok());
  BOOST_TEST(helper.read_my_number() == "537686677188");
  const client::BasicFour b = helper.read_basic_four();
  BOOST_TEST(b.name == kName);
  BOOST_TEST(b.address == kAddress);
  BOOST_TEST(b.birth_date == "19900102");
  BOOST_TEST((b.sex == client::Sex::kFemale));
}

BOOST_AUTO_TEST_CASE(switching_applications) {
  // JPKI, then the input-helper AP, then JPKI again: each selects its AP.
  BOOST_TEST(jpki.read_certificate(JpkiCertificate::kAuth) == pki().auth.certificate_der);
  BOOST_TEST(helper.verify_pin(SecretString("5678")).ok());
  BOOST_TEST(helper.read_my_number() == "537686677188");
  BOOST_TEST(jpki.read_certificate(JpkiCertificate::kAuthCa) == pki().ca.certificate_der);
}

BOOST_AUTO_TEST_SUITE_END()
