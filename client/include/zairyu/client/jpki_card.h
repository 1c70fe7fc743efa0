// JpkiCard: the JPKI application (公的個人認証AP) as real clients use it.
#pragma once

#include <cstddef>
#include <string>

#include "zairyu/client/bytes.h"
#include "zairyu/client/card_channel.h"
#include "zairyu/client/pin.h"
#include "zairyu/client/secret_string.h"

namespace zairyu::client {

// The four certificates of the JPKI-AP (EF in brackets).
enum class JpkiCertificate {
  kAuth,    // 000A, user authentication, free to read
  kAuthCa,  // 000B
  kSign,    // 0001, signature; needs the signature PIN verified first
  kSignCa,  // 0002
};

// The two key pairs, each with its PIN: auth (key 0017, PIN 0018, 4 digits,
// 3 tries) and sign (key 001A, PIN 001B, 6-16 of A-Z 0-9, 5 tries).
enum class JpkiKey { kAuth, kSign };

// What token EF 0006 says the card is.
struct JpkiToken {
  enum class Kind {
    kMyNumberCard,  // "JPKIAPICCTOKEN2"
    kJukiCard,      // "JPKIAPICCTOKEN" (old resident registry card)
    kAndroid,       // "JPKIAPGPSETOKEN"
    kIPhone,        // "JPKIAPIOSTOKEN"
    kUnknown,
  };
  Kind kind = Kind::kUnknown;
  std::string name;  // the token name without trailing spaces/NULs
};

// EF 0008: whether the signature certificate is present (first byte 8F).
struct JpkiCertificateFlags {
  bool sign_certificate_present = false;
  Bytes raw;
};

// Upper-limit on a certificate read from the card; larger is a hostile card.
inline constexpr std::size_t kMaxCertificateSize = std::size_t{8} * 1024;

// JPKI operations over a CardChannel. Each call selects the JPKI-AP when it is
// not already selected on the channel, so a VERIFY stays valid for a following
// sign or read of the signature certificate (until a reset).
class JpkiCard {
 public:
  explicit JpkiCard(CardChannel& channel) : channel_(channel) {}

  // SELECT the JPKI-AP by name (00 A4 04 0C 0A D3 92 F0 00 26 01 00 00 00 01).
  void select();

  // Reads a certificate as real clients do: a 7-byte BER header first, then
  // chunks of up to 256 bytes. Returns the DER bytes (filler excluded).
  Bytes read_certificate(JpkiCertificate which);
  // Reads and classifies token EF 0006 (32 bytes, space padded).
  JpkiToken read_token();
  // Reads EF 0008.
  JpkiCertificateFlags read_certificate_flags();

  // Remaining tries without spending one (empty VERIFY).
  PinStatus pin_status(JpkiKey key);
  // Presents a PIN. The sign PIN is upper-cased first, as JPKI client
  // software does. Throws PinFormatError before sending a malformed PIN.
  [[nodiscard]] VerifyResult verify_pin(JpkiKey key, const SecretString& pin,
                                        VerifyOptions options = {});
  // Verifies `current`, then sends CHANGE REFERENCE DATA (00 24 01 80) with
  // `replacement`. A new sign PIN must also hold a letter and a digit (the
  // official rule). Returns the VERIFY outcome; on failure nothing is changed.
  [[nodiscard]] VerifyResult change_pin(JpkiKey key, const SecretString& current,
                                        const SecretString& replacement,
                                        VerifyOptions options = {});

  // COMPUTE DIGITAL SIGNATURE (80 2A 00 80) over a DER DigestInfo with the
  // auth or sign key; the card adds PKCS#1 v1.5 padding. The PIN must be
  // verified before. Returns the 256-byte RSA-2048 signature.
  Bytes sign(JpkiKey key, ByteView digest_info);

  CardChannel& channel() { return channel_; }

 private:
  CardChannel& channel_;
};

// DER DigestInfo for SHA-256 of `message`.
Bytes sha256_digest_info(ByteView message);
// DER DigestInfo around an existing 32-byte SHA-256 hash.
Bytes digest_info_from_sha256(ByteView hash);

}  // namespace zairyu::client
