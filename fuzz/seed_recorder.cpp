// fuzz_seed_recorder: records real traffic between the client engine and the
// virtual card as seeds (normal build only; run by tools/fuzz --record-seeds).
//
//   fuzz_seed_recorder <personas dir> <pki dir> <fuzz dir>
//
// For every persona it personalizes a virtual card from the persona and the
// generated test PKI (PINs set to the ones the fuzz session script presents),
// runs fuzz/client_session.h against it and writes, named by SHA-1:
//   corpus/fuzz_card_responses/  the card's answers (mode 0), and the EF
//                                contents / certificate for the pure parsers
//   corpus/fuzz_card_session/    the client's commands, as fuzz_card_session input
//   corpus/fuzz_certificate/     each certificate with its CA and CRL
#include <openssl/evp.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>

#include "emulator/card/card.h"
#include "emulator/card/card_state_store.h"
#include "emulator/card/input_helper_encoding.h"
#include "emulator/card/random_source.h"
#include "emulator/persona/card_profile_builder.h"
#include "emulator/persona/persona.h"
#include "emulator/persona/pki_directory.h"
#include "fuzz/client_session.h"

namespace {

namespace fs = std::filesystem;
using zairyu::card::Bytes;
using zairyu::card::ByteView;

void append_chunk(Bytes& out, ByteView chunk, std::uint16_t flag = 0) {
  const auto header = static_cast<std::uint16_t>(chunk.size() | flag);
  out.push_back(static_cast<std::uint8_t>(header >> 8));
  out.push_back(static_cast<std::uint8_t>(header));
  out.insert(out.end(), chunk.begin(), chunk.end());
}

std::string sha1_hex(const Bytes& content) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(content.data(), content.size(), md, &len, EVP_sha1(), nullptr);
  std::string hex;
  char buf[3];
  for (unsigned int i = 0; i < len; ++i) {
    std::snprintf(buf, sizeof buf, "%02x", md[i]);
    hex += buf;
  }
  return hex;
}

void write_seed(const fs::path& fuzz_dir, const char* target, const Bytes& content) {
  const fs::path dir = fuzz_dir / "corpus" / target;
  fs::create_directories(dir);
  std::ofstream out(dir / sha1_hex(content), std::ios::binary);
  out.write(reinterpret_cast<const char*>(content.data()),
            static_cast<std::streamsize>(content.size()));
}

Bytes read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// A client transport straight onto the card model, keeping both directions.
class RecordingTransport final : public zairyu::client::CardTransport {
 public:
  explicit RecordingTransport(zairyu::card::Card& card) : card_(card) {}
  Bytes transmit(ByteView command) override {
    Bytes answer = card_.transmit(command);
    append_chunk(commands_, command);
    append_chunk(answers_, answer);
    return answer;
  }
  void reset() override {
    card_.reset();
    commands_.insert(commands_.end(), {0x00, 0x00});  // fuzz_card_session: reset
    ++session_;
  }
  Bytes atr() const override { return card_.atr(); }
  std::uint64_t session() const override { return session_; }
  const Bytes& commands() const { return commands_; }
  const Bytes& answers() const { return answers_; }

 private:
  zairyu::card::Card& card_;
  Bytes commands_;
  Bytes answers_;
  std::uint64_t session_ = 1;
};

// fuzz_certificate input: operation 3 (both checks), use bit, check time.
Bytes certificate_seed(bool sign_use, const Bytes& cert, const Bytes& ca, const Bytes& crl) {
  // 2026-11-22, inside the test PKI's validity windows.
  const std::uint32_t offset = 1795305600u - 1577836800u;
  Bytes out{static_cast<std::uint8_t>(sign_use ? 0x07 : 0x03),
            static_cast<std::uint8_t>(offset >> 24), static_cast<std::uint8_t>(offset >> 16),
            static_cast<std::uint8_t>(offset >> 8), static_cast<std::uint8_t>(offset)};
  append_chunk(out, cert);
  append_chunk(out, ca);
  append_chunk(out, crl, 0x8000);
  return out;
}

Bytes with_mode(std::uint8_t mode, const Bytes& body) {
  Bytes out{mode};
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s <personas dir> <pki dir> <fuzz dir>\n", argv[0]);
    return 2;
  }
  const fs::path personas(argv[1]);
  const zairyu::persona::PkiDirectory pki{fs::path(argv[2])};
  const fs::path fuzz_dir(argv[3]);
  int count = 0;
  for (const auto& persona : zairyu::persona::load_persona_directory(personas)) {
    zairyu::card::CardProfile profile = zairyu::persona::make_card_profile(persona, pki);
    profile.auth_pin = "1234";
    profile.sign_pin = "ABC123";
    profile.input_helper_pin = "5678";
    const bool has_sign = profile.sign_certificate_der.has_value();
    zairyu::card::Card card(profile, std::make_shared<zairyu::card::MemoryCardStateStore>(),
                            std::make_shared<zairyu::card::SeededRandomSource>(1));
    RecordingTransport transport(card);
    zairyu::fuzz::run_client_session(transport, [] { return true; });

    write_seed(fuzz_dir, "fuzz_card_responses", with_mode(0, transport.answers()));
    Bytes session{static_cast<std::uint8_t>(has_sign ? 0x00 : 0x10), 0, 0, 0, 0, 0, 0, 0, 1};
    session.insert(session.end(), transport.commands().begin(), transport.commands().end());
    write_seed(fuzz_dir, "fuzz_card_session", session);

    const Bytes my_number_ef = zairyu::card::encode_my_number_ef(profile.my_number);
    const Bytes basic_four_ef = zairyu::card::encode_basic_four_ef(profile.basic_four);
    write_seed(fuzz_dir, "fuzz_card_responses", with_mode(3, my_number_ef));
    write_seed(fuzz_dir, "fuzz_card_responses", with_mode(4, basic_four_ef));
    write_seed(fuzz_dir, "fuzz_card_responses", with_mode(1, basic_four_ef));
    if (basic_four_ef.size() > 3) {  // the FF20 content: a TLV sequence
      write_seed(fuzz_dir, "fuzz_card_responses",
                 with_mode(2, Bytes(basic_four_ef.begin() + 3, basic_four_ef.end())));
    }

    const Bytes auth_ca = read_file(pki.auth_ca_certificate());
    const Bytes sign_ca = read_file(pki.sign_ca_certificate());
    write_seed(
        fuzz_dir, "fuzz_certificate",
        certificate_seed(false, profile.auth_certificate_der, auth_ca, read_file(pki.auth_crl())));
    if (has_sign) {
      const Bytes& sign_cert = *profile.sign_certificate_der;
      write_seed(fuzz_dir, "fuzz_certificate",
                 certificate_seed(true, sign_cert, sign_ca, read_file(pki.sign_crl())));
      write_seed(fuzz_dir, "fuzz_card_responses", with_mode(5, sign_cert));
    }
    ++count;
  }
  std::printf("fuzz_seed_recorder: recorded %d personas\n", count);
  return 0;
}
