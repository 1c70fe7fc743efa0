// fuzz_certificate: what the emulator parses of certificates and CRLs it is
// given: the JPKI personal-data subjectAltName of a signature certificate
// (emulator/persona/cert_personal_data.h) and the online system's certificate
// checks (emulator/online/certificate_check.h: chain, key usage, validity,
// CRL revocation, signature verification), which d2i the DER with OpenSSL.
//
// Input layout:
//   byte 0      bits 0-1 operation: 0 personal data only, 1 CheckCertificate,
//               2 VerifySignature, 3 both checks; bit 2 signature use
//   bytes 1..4  check time, big-endian seconds after 2020-01-01T00:00:00Z
//   then        chunks: 2-byte big-endian header + bytes; the header's top bit
//               marks a CRL, the low 15 bits are the length. Chunk 0 is the
//               certificate; CheckCertificate takes the others as CA
//               certificates (top bit clear) and CRLs (top bit set);
//               VerifySignature takes chunk 1 as data and chunk 2 as signature.
//
// Invariants: parse_cert_personal_data throws only CertPersonalDataError and
// what it returns has the documented format; the checks never throw and every
// rejection names a reason and a rule.
#include <openssl/err.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "emulator/online/certificate_check.h"
#include "emulator/persona/cert_personal_data.h"

namespace {

using zairyu::online::DerView;

[[noreturn]] void fail() { std::abort(); }
void check(bool ok) {
  if (!ok) fail();
}

bool only_flags(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == '0' || c == '1'; });
}

void check_personal_data(DerView der) {
  try {
    const auto pd = zairyu::jpki::parse_cert_personal_data(der);
    if (!pd) return;
    check(!pd->name.empty() && !pd->address.empty());
    check(pd->gender == '1' || pd->gender == '2' || pd->gender == '3');
    check(pd->birth_era >= '0' && pd->birth_era <= '5');
    check(pd->birth_date.size() == 8 && std::all_of(pd->birth_date.begin(), pd->birth_date.end(),
                                                    [](char c) { return c >= '0' && c <= '9'; }));
    if (pd->name_substitute_flags) check(only_flags(*pd->name_substitute_flags));
    if (pd->address_substitute_flags) check(only_flags(*pd->address_substitute_flags));
  } catch (const zairyu::jpki::CertPersonalDataError&) {
    // The documented rejection.
  }
}

void check_rejection(const zairyu::online::Check& result) {
  if (result) check(!result->reason.empty() && !result->rule_id.empty());
}

struct Chunk {
  DerView bytes;
  bool crl = false;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 5) return 0;
  const std::uint8_t op = data[0] & 0x03;
  const bool sign_use = (data[0] & 0x04) != 0;
  const std::uint32_t offset = std::uint32_t{data[1]} << 24 | std::uint32_t{data[2]} << 16 |
                               std::uint32_t{data[3]} << 8 | data[4];

  std::vector<Chunk> chunks;
  std::size_t pos = 5;
  while (pos < size) {
    std::size_t header = data[pos];
    if (pos + 1 < size) header = header << 8 | data[pos + 1];
    pos = std::min(pos + 2, size);
    const std::size_t len = std::min(header & 0x7FFF, size - pos);
    chunks.push_back({DerView(data + pos, len), (header & 0x8000) != 0});
    pos += len;
  }
  if (chunks.empty()) return 0;

  check_personal_data(chunks[0].bytes);
  if (op == 0) {
    ERR_clear_error();  // see the end of this function
    return 0;
  }

  try {
    if (op == 1 || op == 3) {
      zairyu::online::CertificateCheckInput in;
      in.certificate = chunks[0].bytes;
      for (std::size_t i = 1; i < chunks.size(); ++i) {
        (chunks[i].crl ? in.crls : in.ca_certificates).push_back(chunks[i].bytes);
      }
      in.use = sign_use ? zairyu::online::CertificateUse::kSignature
                        : zairyu::online::CertificateUse::kAuthentication;
      // 2020-01-01T00:00:00Z plus up to ~136 years: covers every validity window.
      in.at = zairyu::online::Instant(std::chrono::seconds(1577836800LL + offset));
      check_rejection(zairyu::online::CheckCertificate(in));
    }
    if (op == 2 || op == 3) {
      const DerView empty;
      const DerView message = chunks.size() > 1 ? chunks[1].bytes : empty;
      const DerView signature = chunks.size() > 2 ? chunks[2].bytes : empty;
      check_rejection(zairyu::online::VerifySignature(chunks[0].bytes, message, signature));
    }
  } catch (...) {
    fail();  // the checks are documented to answer with a rejection, never to throw
  }
  // The checks leave OpenSSL's error queue filled; its strings are freed only
  // when later errors overwrite them, so every input would look like a leak to
  // libFuzzer (malloc/free counts differ) and trigger a full LSan scan: ~100x
  // slower. Emptying the queue here keeps the counts balanced.
  ERR_clear_error();
  return 0;
}
