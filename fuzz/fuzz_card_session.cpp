// fuzz_card_session: a personalized virtual My Number Card (emulator/card)
// driven by a sequence of APDUs, with the card's invariants checked after
// every APDU.
//
// Input layout:
//   byte 0      card variant: bit0 empty_verify_after_success_answers_9000,
//               bit1 clear_security_on_df_change OFF, bit2 extended_length,
//               bit3 eof_answers_6282, bit4 child card (no sign cert/key/PIN),
//               bit5 certificate EFs without FF filler (multiple 1),
//               bit6 the state store fails from save number (byte 8 mod 8) on
//   bytes 1..8  seed of the card's RandomSource (GET CHALLENGE), big-endian
//   then        chunks: 2-byte big-endian length + that many APDU bytes (a
//               truncated last chunk takes what is left); length 0 = card reset
//
// Speed: the card is personalized with an embedded RSA-512 test key (the card
// accepts any RSA size), so COMPUTE DIGITAL SIGNATURE runs the very same code
// path as with RSA-2048, only cheaper; no card code is changed for fuzzing.
// The 64 card variants are built once (PEM parsing is slow) and returned to
// "as issued" before every input: MemoryCardStateStore::clear() for the
// persistent state and Card::reset() for the volatile state (current DF/EF,
// security state), which is all the state a card has (see card_impl.h).
//
// Invariants (any violation aborts):
// - every answer ends in a status word: 90 00, or SW1 in 61..6F; an answer
//   other than 90 00 carries no data;
// - at most 256 data bytes unless the command used extended length;
// - per PIN, with the store as the truth for counters and changed values:
//   a blocked PIN stays blocked and keeps its value; a counter rises only on
//   90 00 to a VERIFY with the correct PIN or a CHANGE REFERENCE DATA with a
//   well-formed new value (which is then stored); it falls by exactly one,
//   only on a VERIFY with a wrong PIN, answered 63 Cx with x = tries left;
//   a changed value appears only through CHANGE REFERENCE DATA;
// - a VERIFY answered 90 00 with a PIN matched an unblocked PIN's value;
// - a signature or a CHANGE REFERENCE DATA answered 90 00 needs a successful
//   VERIFY since the last reset; a signature verifies under the card's key;
// - GET CHALLENGE returns exactly Le bytes, READ BINARY 1..Le bytes.
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include "emulator/card/card.h"
#include "emulator/card/card_state_store.h"
#include "emulator/card/command_apdu.h"
#include "emulator/card/pin.h"
#include "emulator/card/random_source.h"

namespace {

using zairyu::card::Bytes;
using zairyu::card::ByteView;
using zairyu::card::Card;
using zairyu::card::CardProfile;
using zairyu::card::MemoryCardStateStore;
using zairyu::card::PinId;

[[noreturn]] void fail() { std::abort(); }
void check(bool ok) {
  if (!ok) fail();
}

// A throwaway RSA-512 key made for this fuzz target only (openssl genpkey).
constexpr const char* kTestKeyPem =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIIBUwIBADANBgkqhkiG9w0BAQEFAASCAT0wggE5AgEAAkEA3N6o591n5Yz2cb1/\n"
    "JZafPT/lHPepp80oBG7zn3hFCB2AW7MSxv5uQTyvindMLfni4CQGCCJ2fkEIXSda\n"
    "8X/4PQIDAQABAkAuUObckHpMEc5QNaunBznnTzHNbEYAcS4WF+owo7jeJWXS/PfE\n"
    "Y2iJ54fdRepi98YgXDsuFUNzgssjQUbkMVUhAiEA9M/beSL1wu8kymLGVj9s1D41\n"
    "ggxGmzQs8Pu4Tm8fE2UCIQDm9rHA2Gld5fVdHvC6wQDdFJjReBQVZKyaQfbEbht/\n"
    "+QIgQo4T073+ZG2RafgqhZ4enyD+eQmPVHh901ILzD8HisUCIArY70RFZb15PWrg\n"
    "NyIuSmIXw42i/B59GfYsvvA+05/RAiBwAy8fRJDZRFAaF1mplxO7TGtRRE3PbsQx\n"
    "Yyt/pFq6Mw==\n"
    "-----END PRIVATE KEY-----\n";
constexpr std::size_t kModulusBytes = 64;

// Certificate EF contents: the card stores them as opaque bytes, so a DER
// SEQUENCE header plus a filler pattern of a chosen size is enough.
Bytes fake_der(std::size_t content_length, std::uint8_t fill) {
  Bytes out{0x30, 0x82, static_cast<std::uint8_t>(content_length >> 8),
            static_cast<std::uint8_t>(content_length)};
  for (std::size_t i = 0; i < content_length; ++i) {
    out.push_back(static_cast<std::uint8_t>(fill + i));
  }
  return out;
}

// Values as issued; the fuzz dictionary and seeds use the same ones.
constexpr const char* kAuthPin = "1234";
constexpr const char* kSignPin = "ABC123";
constexpr const char* kInputHelperPin = "5678";

CardProfile make_profile(std::uint8_t variant) {
  CardProfile p;
  p.card_id = "fuzz-card";
  p.auth_certificate_der = fake_der(300, 0x11);
  p.auth_ca_certificate_der = fake_der(200, 0x22);
  p.auth_private_key_pem = kTestKeyPem;
  if ((variant & 0x10) == 0) {
    p.sign_certificate_der = fake_der(600, 0x33);
    p.sign_private_key_pem = kTestKeyPem;
  }
  p.sign_ca_certificate_der = fake_der(200, 0x44);
  p.auth_pin = kAuthPin;
  p.sign_pin = kSignPin;
  p.my_number = "123456789018";
  p.basic_four = {"山田\u3000太郎", "東京都千代田区霞が関１－１－１", "19900102", '1'};
  p.input_helper_pin = kInputHelperPin;
  p.options.empty_verify_after_success_answers_9000 = (variant & 0x01) != 0;
  p.options.clear_security_on_df_change = (variant & 0x02) == 0;
  p.options.extended_length = (variant & 0x04) != 0;
  p.options.eof_answers_6282 = (variant & 0x08) != 0;
  p.options.certificate_ef_size_multiple = (variant & 0x20) != 0 ? 1 : 256;
  return p;
}

// Reseedable per input; the card keeps a shared_ptr to it.
class FuzzRandom final : public zairyu::card::RandomSource {
 public:
  void reseed(std::uint64_t seed) { inner_.emplace(seed); }
  Bytes bytes(std::size_t count) override { return inner_->bytes(count); }

 private:
  std::optional<zairyu::card::SeededRandomSource> inner_{std::in_place, 0};
};

// The card's state store: memory, plus an optional disk failure (save()
// throws from the Nth call on), to reach the card's 65 81 paths.
class FuzzStore final : public zairyu::card::CardStateStore {
 public:
  void arm(std::optional<int> fail_after) {
    fail_after_ = fail_after;
    saves_ = 0;
  }
  std::optional<zairyu::card::PinRecord> load(PinId pin) const override {
    return memory_.load(pin);
  }
  void save(PinId pin, const zairyu::card::PinRecord& record) override {
    if (fail_after_ && saves_++ >= *fail_after_) throw std::runtime_error("fuzz: disk failure");
    memory_.save(pin, record);
  }
  void clear() override { memory_.clear(); }

 private:
  MemoryCardStateStore memory_;
  std::optional<int> fail_after_;
  int saves_ = 0;
};

struct FuzzCard {
  std::shared_ptr<FuzzStore> store;
  std::shared_ptr<FuzzRandom> random;
  std::unique_ptr<Card> card;
  bool has_sign = true;
};

FuzzCard& card_variant(std::uint8_t variant) {
  static std::array<std::unique_ptr<FuzzCard>, 64> cards;
  std::unique_ptr<FuzzCard>& slot = cards[variant & 0x3F];
  if (!slot) {
    slot = std::make_unique<FuzzCard>();
    slot->store = std::make_shared<FuzzStore>();
    slot->random = std::make_shared<FuzzRandom>();
    slot->card = std::make_unique<Card>(make_profile(variant), slot->store, slot->random);
    slot->has_sign = (variant & 0x10) == 0;
  }
  return *slot;
}

EVP_PKEY* public_key() {
  static EVP_PKEY* key = [] {
    BIO* bio = BIO_new_mem_buf(kTestKeyPem, -1);
    EVP_PKEY* k = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    check(k != nullptr);
    return k;
  }();
  return key;
}

// True when `signature` is the PKCS#1 v1.5 type-1 signature of `input` as given.
bool signature_matches(ByteView input, ByteView signature) {
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(public_key(), nullptr);
  if (ctx == nullptr) return false;
  std::array<std::uint8_t, kModulusBytes> recovered{};
  std::size_t len = recovered.size();
  const bool ok =
      EVP_PKEY_verify_recover_init(ctx) == 1 &&
      EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) == 1 &&
      EVP_PKEY_verify_recover(ctx, recovered.data(), &len, signature.data(), signature.size()) == 1;
  EVP_PKEY_CTX_free(ctx);
  return ok && len == input.size() && std::equal(input.begin(), input.end(), recovered.begin());
}

constexpr std::array<PinId, 3> kPins{PinId::kJpkiAuth, PinId::kJpkiSign, PinId::kInputHelper};

struct PinSnapshot {
  int tries = 0;
  std::string reference;  // the value a VERIFY must match
};

std::array<PinSnapshot, 3> snapshot(const FuzzCard& fc) {
  std::array<PinSnapshot, 3> out;
  for (std::size_t i = 0; i < kPins.size(); ++i) {
    out[i].tries = fc.card->pin_status(kPins[i]).tries_left;
    const auto record = fc.store->load(kPins[i]);
    if (record && record->changed_value) {
      out[i].reference = *record->changed_value;
    } else {
      out[i].reference = i == 0 ? kAuthPin : i == 1 ? kSignPin : kInputHelperPin;
    }
  }
  return out;
}

bool equals(ByteView data, const std::string& text) {
  return data.size() == text.size() &&
         std::equal(data.begin(), data.end(), text.begin(),
                    [](std::uint8_t a, char b) { return a == static_cast<std::uint8_t>(b); });
}

// Checks one APDU's answer and the PIN state change it caused.
void check_answer(ByteView command, const Bytes& answer, const std::array<PinSnapshot, 3>& before,
                  const std::array<PinSnapshot, 3>& after, bool* verified_since_reset) {
  check(answer.size() >= 2);
  const std::uint8_t sw1 = answer[answer.size() - 2];
  const std::uint8_t sw2 = answer[answer.size() - 1];
  const std::uint16_t sw = static_cast<std::uint16_t>(sw1 << 8 | sw2);
  const bool ok = sw == 0x9000;
  check(ok || (sw1 >= 0x61 && sw1 <= 0x6F));
  const std::size_t data_len = answer.size() - 2;
  check(ok || data_len == 0);

  const auto parsed = zairyu::card::parse_command_apdu(command);
  if (!parsed.command) {
    check(sw == 0x6700);
  }
  const bool extended = parsed.command && parsed.command->extended;
  check(data_len <= (extended ? 65536u : 256u));

  const bool iso = parsed.command && parsed.command->cla == 0x00;
  const std::uint8_t ins = parsed.command ? parsed.command->ins : 0;
  const ByteView data = parsed.command ? parsed.command->data : ByteView{};
  const bool is_verify = iso && ins == 0x20;
  const bool is_change = iso && ins == 0x24;

  int changed_pins = 0;
  for (std::size_t i = 0; i < kPins.size(); ++i) {
    const PinSnapshot& b = before[i];
    const PinSnapshot& a = after[i];
    const int max = zairyu::card::pin_policy(kPins[i]).max_tries;
    if (a.tries != b.tries || a.reference != b.reference) ++changed_pins;
    check(a.tries >= 0 && a.tries <= max);
    if (b.tries == 0) {  // blocked stays blocked, value untouched
      check(a.tries == 0 && a.reference == b.reference);
      continue;
    }
    if (a.tries > b.tries) {
      check(ok && a.tries == max);
      check((is_verify && equals(data, b.reference)) || (is_change && equals(data, a.reference)));
    } else if (a.tries < b.tries) {
      check(is_verify && a.tries == b.tries - 1 && !data.empty());
      // A wrong PIN answers 63 Cx. 65 81: the store failed after the
      // decrement was saved (anti-tearing: even the right PIN costs the try).
      check((sw == (0x63C0 | a.tries) && !equals(data, b.reference)) || sw == 0x6581);
    }
    if (a.reference != b.reference) {
      check(is_change && ok && equals(data, a.reference));
      check(zairyu::card::pin_policy(kPins[i]).valid_new_value(data));
    }
  }
  check(changed_pins <= 1);

  if (is_verify && ok && !data.empty()) {
    bool matched = false;
    for (std::size_t i = 0; i < kPins.size(); ++i) {
      const int max = zairyu::card::pin_policy(kPins[i]).max_tries;
      matched = matched ||
                (before[i].tries > 0 && after[i].tries == max && equals(data, before[i].reference));
    }
    check(matched);
    *verified_since_reset = true;
  }
  if (is_change && ok) check(*verified_since_reset);  // CHANGE needs a VERIFY first
  if (!ok || !parsed.command) return;
  const auto& c = *parsed.command;
  if (c.cla == 0x80 && c.ins == 0x2A) {
    check(*verified_since_reset);
    check(data_len == kModulusBytes);
    check(signature_matches(c.data, ByteView(answer.data(), data_len)));
  } else if (iso && c.ins == 0x84) {
    check(data_len == c.le);
  } else if (iso && c.ins == 0xB0) {
    check(data_len >= 1 && data_len <= c.le);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::uint8_t variant = size > 0 ? data[0] : 0;
  std::uint64_t seed = 0;
  for (std::size_t i = 1; i < 9; ++i) seed = seed << 8 | (i < size ? data[i] : 0);

  FuzzCard& fc = card_variant(variant);
  fc.store->arm(std::nullopt);
  fc.store->clear();
  if ((variant & 0x40) != 0) fc.store->arm(size > 8 ? data[8] % 8 : 0);
  fc.card->reset();
  fc.random->reseed(seed);

  bool verified_since_reset = false;
  Bytes answer;
  // Only transmit() changes PIN state, so each APDU's "after" is the next
  // one's "before" (halves the cost of the checks).
  auto before = snapshot(fc);
  std::size_t pos = std::min<std::size_t>(size, 9);
  while (pos < size) {
    std::size_t len = data[pos];
    if (pos + 1 < size) len = len << 8 | data[pos + 1];
    pos = std::min(pos + 2, size);
    len = std::min(len, size - pos);
    if (len == 0) {
      fc.card->reset();
      verified_since_reset = false;
      continue;
    }
    const ByteView command(data + pos, len);
    pos += len;
    fc.card->transmit(command, answer);
    auto after = snapshot(fc);
    check_answer(command, answer, before, after, &verified_since_reset);
    // A child card has no sign PIN file, so its counter never moves.
    if (!fc.has_sign) check(after[1].tries == 5);
    before = std::move(after);
  }
  return 0;
}
