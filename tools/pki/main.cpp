// zairyu-pki: generate the JPKI-like test PKI for a directory of personas.
#include <CLI/CLI.hpp>

#include <exception>
#include <filesystem>
#include <string>

#include <fmt/format.h>

#include "emulator/persona/persona.h"
#include "tools/pki/jpki_test_pki.h"

int main(int argc, char** argv) {
  CLI::App app{"Generate a JPKI-like TEST PKI (CAs, certificates, CRLs) from persona files"};
  std::string personas_dir;
  std::string out_dir;
  std::string now_text = zairyu::persona::format_iso_date(zairyu::testpki::kDefaultNow);
  app.add_option("--personas", personas_dir, "directory of <id>.yaml persona files")->required();
  app.add_option("--out", out_dir, "output directory (ca/, crl/, personas/<id>/)")->required();
  app.add_option("--now", now_text, "CRL thisUpdate and revocation cut-off, YYYY-MM-DD")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  const auto now = zairyu::persona::parse_iso_date(now_text);
  if (!now) {
    fmt::print(stderr, "zairyu-pki: --now: must be a date YYYY-MM-DD\n");
    return 2;
  }
  try {
    const auto personas = zairyu::persona::load_persona_directory(personas_dir);
    zairyu::testpki::generate_test_pki(personas, out_dir, *now);
    fmt::print("zairyu-pki: {} personas -> {}\n", personas.size(), out_dir);
  } catch (const std::exception& e) {
    fmt::print(stderr, "zairyu-pki: {}\n", e.what());
    return 1;
  }
  return 0;
}
