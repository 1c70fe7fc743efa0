// card_bench: in-process throughput of the card model on one core.
//  1. SELECT / READ BINARY APDUs per second (target >= 1,000,000).
//  2. COMPUTE DIGITAL SIGNATURE time against a bare OpenSSL RSA-2048
//     EVP_PKEY_sign with the same padding (target ratio <= 1.2).
// Usage: card_bench [apdu_count] [signature_count]
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>

#include "emulator/card/card.h"

using namespace zairyu::card;
using Clock = std::chrono::steady_clock;

namespace {

std::string pem_of(EVP_PKEY* key) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<std::size_t>(len));
  BIO_free(bio);
  return pem;
}

// A certificate-shaped blob (30 82 LL LL ...) standing in for a real DER.
Bytes fake_certificate(std::size_t body) {
  Bytes der{0x30, 0x82, static_cast<std::uint8_t>(body >> 8), static_cast<std::uint8_t>(body)};
  for (std::size_t i = 0; i < body; ++i) der.push_back(static_cast<std::uint8_t>(i * 7));
  return der;
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

void expect_ok(const Bytes& r, const char* what) {
  if (r.size() < 2 || r[r.size() - 2] != 0x90 || r[r.size() - 1] != 0x00) {
    throw std::runtime_error(std::string("unexpected status for ") + what + ": " + to_hex(r));
  }
}

}  // namespace

int main(int argc, char** argv) {
  const long apdu_count = argc > 1 ? std::atol(argv[1]) : 3'000'000;
  const int sign_count = argc > 2 ? std::atoi(argv[2]) : 300;

  EVP_PKEY* key = EVP_RSA_gen(2048);
  if (key == nullptr) return 1;
  CardProfile profile;
  profile.card_id = "bench";
  profile.auth_certificate_der = fake_certificate(1500);
  profile.auth_ca_certificate_der = fake_certificate(1000);
  profile.sign_ca_certificate_der = fake_certificate(1000);
  profile.auth_private_key_pem = pem_of(key);
  profile.auth_pin = "1234";
  profile.my_number = "123456789012";
  profile.input_helper_pin = "1234";
  Card card(profile, std::make_shared<MemoryCardStateStore>(),
            std::make_shared<SeededRandomSource>(1));

  // 1. SELECT / READ BINARY mix: select AP, select EF 000A, read 6 chunks.
  const Bytes select_ap = from_hex("00 A4 04 0C 0A D3 92 F0 00 26 01 00 00 00 01");
  const Bytes select_ef = from_hex("00 A4 02 0C 02 00 0A");
  Bytes reads[6];
  for (int i = 0; i < 6; ++i) {
    reads[i] = Bytes{0x00, 0xB0, static_cast<std::uint8_t>(i), 0x00, 0x00};
  }
  Bytes response;
  card.transmit(select_ap, response);
  expect_ok(response, "SELECT AP");
  card.transmit(select_ef, response);
  expect_ok(response, "SELECT EF");
  card.transmit(reads[5], response);
  expect_ok(response, "READ BINARY");

  std::size_t bytes_read = 0;
  auto start = Clock::now();
  for (long i = 0; i < apdu_count; i += 8) {
    card.transmit(select_ap, response);
    card.transmit(select_ef, response);
    for (const Bytes& read : reads) {
      card.transmit(read, response);
      bytes_read += response.size();
    }
  }
  const double reuse_s = seconds_since(start);
  const long done = (apdu_count + 7) / 8 * 8;

  start = Clock::now();
  for (long i = 0; i < apdu_count; i += 8) {
    bytes_read += card.transmit(select_ap).size();
    bytes_read += card.transmit(select_ef).size();
    for (const Bytes& read : reads) bytes_read += card.transmit(read).size();
  }
  const double alloc_s = seconds_since(start);

  std::printf("SELECT/READ BINARY APDUs (1 SELECT AP + 1 SELECT EF + 6 READ BINARY of 256 B):\n");
  std::printf("  transmit(cmd, buffer)  %12.0f APDU/s  (%ld APDUs in %.3f s)\n", done / reuse_s,
              done, reuse_s);
  std::printf("  transmit(cmd) -> Bytes %12.0f APDU/s  (%ld APDUs in %.3f s)\n", done / alloc_s,
              done, alloc_s);
  std::printf("  target >= 1,000,000 APDU/s: %s   (checksum %zu)\n",
              done / reuse_s >= 1e6 ? "met" : "NOT met", bytes_read);

  // 2. Signatures: card CDS vs bare EVP_PKEY_sign over the same DigestInfo.
  Bytes digest_info = from_hex("30 31 30 0D 06 09 60 86 48 01 65 03 04 02 01 05 00 04 20");
  digest_info.resize(digest_info.size() + 32, 0xAB);
  Bytes cds{0x80, 0x2A, 0x00, 0x80, static_cast<std::uint8_t>(digest_info.size())};
  cds.insert(cds.end(), digest_info.begin(), digest_info.end());
  cds.push_back(0x00);
  card.transmit(from_hex("00 A4 02 0C 02 00 18"), response);
  card.transmit(from_hex("00 20 00 80 04 31 32 33 34"), response);
  expect_ok(response, "VERIFY");
  card.transmit(from_hex("00 A4 02 0C 02 00 17"), response);
  card.transmit(cds, response);
  expect_ok(response, "COMPUTE DIGITAL SIGNATURE");

  // The bare side parses the same PEM, so both use identically loaded keys.
  BIO* pem_bio = BIO_new_mem_buf(profile.auth_private_key_pem.data(),
                                 static_cast<int>(profile.auth_private_key_pem.size()));
  EVP_PKEY* bare_key = PEM_read_bio_PrivateKey(pem_bio, nullptr, nullptr, nullptr);
  BIO_free(pem_bio);
  if (bare_key == nullptr) return 1;
  unsigned char sig[512];
  auto bare_sign = [&] {
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(bare_key, nullptr);
    std::size_t sig_len = sizeof sig;
    const bool ok = EVP_PKEY_sign_init(ctx) == 1 &&
                    EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) == 1 &&
                    EVP_PKEY_sign(ctx, sig, &sig_len, digest_info.data(), digest_info.size()) == 1;
    EVP_PKEY_CTX_free(ctx);
    if (!ok) throw std::runtime_error("bare EVP_PKEY_sign failed");
  };
  bare_sign();

  // Interleave rounds so frequency changes hit both sides alike.
  double card_s = 0, bare_s = 0;
  const int rounds = 10;
  for (int round = 0; round < rounds; ++round) {
    start = Clock::now();
    for (int i = 0; i < sign_count / rounds; ++i) card.transmit(cds, response);
    card_s += seconds_since(start);
    start = Clock::now();
    for (int i = 0; i < sign_count / rounds; ++i) bare_sign();
    bare_s += seconds_since(start);
  }
  const int signs = sign_count / rounds * rounds;
  const double card_ms = 1e3 * card_s / signs, bare_ms = 1e3 * bare_s / signs;
  std::printf("RSA-2048 PKCS#1 v1.5 signatures (%d each):\n", signs);
  std::printf("  card COMPUTE DIGITAL SIGNATURE  %8.3f ms/sig\n", card_ms);
  std::printf("  bare OpenSSL EVP_PKEY_sign      %8.3f ms/sig\n", bare_ms);
  std::printf("  ratio card/bare %.3f (target <= 1.2: %s)\n", card_ms / bare_ms,
              card_ms / bare_ms <= 1.2 ? "met" : "NOT met");
  EVP_PKEY_free(bare_key);
  EVP_PKEY_free(key);
  return 0;
}
