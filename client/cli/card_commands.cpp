// `zairyu-client card ...`: what an applicant's PC does with the My Number
// Card. Each command opens the card, does its work, and prints one result.
// PINs come from pin_input (never argv) and are never printed.
#include <fmt/format.h>

#include <cctype>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "certificate_summary.h"
#include "cli_error.h"
#include "commands.h"
#include "file_io.h"

namespace zairyu::cli {
namespace {

using client::JpkiCertificate;
using client::JpkiKey;

const std::map<std::string, JpkiCertificate> kCertificates = {
    {"auth", JpkiCertificate::kAuth},
    {"sign", JpkiCertificate::kSign},
    {"auth-ca", JpkiCertificate::kAuthCa},
    {"sign-ca", JpkiCertificate::kSignCa}};
const std::map<std::string, PinKind> kPins = {
    {"auth", PinKind::kAuth}, {"sign", PinKind::kSign}, {"input-helper", PinKind::kInputHelper}};
const std::map<std::string, PinKind> kKeyPins = {{"auth", PinKind::kAuth},
                                                 {"sign", PinKind::kSign}};

JpkiKey key_of(PinKind kind) { return kind == PinKind::kSign ? JpkiKey::kSign : JpkiKey::kAuth; }

std::vector<std::string> names_of(const auto& table) {
  std::vector<std::string> names;
  for (const auto& [name, value] : table) names.push_back(name);
  return names;
}

std::string lower_hex(client::ByteView bytes) {
  std::string out;
  for (auto b : bytes) out += fmt::format("{:02x}", b);
  return out;
}

// Asks for the PIN of `kind` and presents it; throws unless verified.
void verify(const CommandContext& context, CardSession& card, PinKind kind) {
  const client::SecretString pin = read_pin(kind, context.options.pin_file);
  const auto result = kind == PinKind::kInputHelper
                          ? card.input_helper().verify_pin(pin, context.verify_options())
                          : card.jpki().verify_pin(key_of(kind), pin, context.verify_options());
  require_verified(result, kind);
}

client::PinStatus pin_status(CardSession& card, PinKind kind) {
  return kind == PinKind::kInputHelper ? card.input_helper().pin_status()
                                       : card.jpki().pin_status(key_of(kind));
}

// All three PIN states, as JSON and as text lines.
std::pair<nlohmann::json, std::string> all_pin_states(CardSession& card) {
  nlohmann::json json = nlohmann::json::object();
  std::string text;
  for (PinKind kind : {PinKind::kAuth, PinKind::kSign, PinKind::kInputHelper}) {
    const client::PinStatus status = pin_status(card, kind);
    json[pin_name(kind)] = pin_status_json(status);
    text += fmt::format("{} PIN: {}\n", pin_name(kind), pin_status_text(status));
  }
  return {json, text};
}

const char* token_kind_name(client::JpkiToken::Kind kind) {
  using Kind = client::JpkiToken::Kind;
  switch (kind) {
    case Kind::kMyNumberCard:
      return "my_number_card";
    case Kind::kJukiCard:
      return "juki_card";
    case Kind::kAndroid:
      return "android";
    case Kind::kIPhone:
      return "iphone";
    case Kind::kUnknown:
      break;
  }
  return "unknown";
}

void run_info(const CommandContext& context) {
  auto card = context.open_card();
  const client::JpkiToken token = card->jpki().read_token();
  const bool sign_present = card->jpki().read_certificate_flags().sign_certificate_present;
  const CertificateSummary auth =
      summarize_certificate(card->jpki().read_certificate(JpkiCertificate::kAuth));
  const auto [pins, pin_text] = all_pin_states(*card);
  const nlohmann::json result = {
      {"reader", card->transport().reader()},
      {"atr", client::to_hex(card->transport().atr())},
      {"token", {{"kind", token_kind_name(token.kind)}, {"name", token.name}}},
      {"sign_certificate_present", sign_present},
      {"auth_certificate", auth.to_json()},
      {"pins", pins}};
  const std::string text = fmt::format(
      "reader: {}\nATR: {}\ntoken: {} ({})\nsign certificate: {}\nauth certificate:\n"
      "  subject: {}\n  issuer: {}\n  serial: {}\n  valid: {} .. {}\n  sha256: {}\n{}",
      card->transport().reader(), client::to_hex(card->transport().atr()), token.name,
      token_kind_name(token.kind), sign_present ? "present" : "absent", auth.subject, auth.issuer,
      auth.serial, auth.not_before, auth.not_after, auth.sha256, pin_text);
  context.print(result, text);
}

void run_pin_status(const CommandContext& context) {
  auto card = context.open_card();
  const auto [pins, text] = all_pin_states(*card);
  context.print({{"pins", pins}}, text);
}

struct ReadCertOptions {
  std::string which;
  std::string output;
  bool pem = false;
};

void run_read_cert(const CommandContext& context, const ReadCertOptions& o) {
  const JpkiCertificate which = kCertificates.at(o.which);
  auto card = context.open_card();
  if (which == JpkiCertificate::kSign) verify(context, *card, PinKind::kSign);
  const client::Bytes der = card->jpki().read_certificate(which);
  const CertificateSummary summary = summarize_certificate(der);
  nlohmann::json result = {{"certificate", o.which}, {"summary", summary.to_json()}};
  if (o.output.empty()) {
    // Binary DER never goes to a terminal: stdout always gets PEM.
    const std::string pem = certificate_pem(der);
    result["pem"] = pem;
    context.print(result, pem);
    return;
  }
  if (o.pem) {
    write_file(o.output, certificate_pem(der));
  } else {
    write_file(o.output, der);
  }
  result["file"] = o.output;
  result["format"] = o.pem ? "pem" : "der";
  context.print(
      result, fmt::format("{} certificate ({} bytes DER, subject {}) written to {} as {}", o.which,
                          der.size(), summary.subject, o.output, o.pem ? "PEM" : "DER"));
}

struct SignOptions {
  std::string key;
  std::string input;
  std::string digest;
  std::string output;
};

// A SHA-256 hash given in hex; ':' and spaces between digits are allowed.
client::Bytes parse_digest(const std::string& text) {
  std::string hex;
  for (char c : text) {
    if (c == ':' || c == ' ') continue;
    if (!std::isxdigit(static_cast<unsigned char>(c))) {
      hex.clear();  // fails the length check below
      break;
    }
    hex += c;
  }
  if (hex.size() != 64) {
    throw CliError(ExitCode::kUsage, "usage", "--digest must be a SHA-256 hash: 64 hex digits");
  }
  client::Bytes out;
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    out.push_back(static_cast<std::uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return out;
}

void run_sign(const CommandContext& context, const SignOptions& o) {
  const PinKind kind = kKeyPins.at(o.key);
  // Everything the user gave is checked before the card is touched.
  const client::Bytes digest_info = o.digest.empty()
                                        ? client::sha256_digest_info(read_file(o.input))
                                        : client::digest_info_from_sha256(parse_digest(o.digest));
  auto card = context.open_card();
  verify(context, *card, kind);
  const client::Bytes signature = card->jpki().sign(key_of(kind), digest_info);
  write_file(o.output, signature);
  const std::string sha256 = lower_hex(client::ByteView(digest_info).last(32));
  context.print({{"key", o.key},
                 {"algorithm", "sha256WithRSAEncryption (PKCS#1 v1.5)"},
                 {"sha256", sha256},
                 {"signature_file", o.output},
                 {"signature_bytes", signature.size()}},
                fmt::format("signed SHA-256 {} with the {} key: {} bytes written to {}", sha256,
                            o.key, signature.size(), o.output));
}

void run_verify_pin(const CommandContext& context, const std::string& which) {
  const PinKind kind = kPins.at(which);
  auto card = context.open_card();
  verify(context, *card, kind);
  context.print({{"pin", which}, {"verified", true}}, which + " PIN verified");
}

struct ChangePinOptions {
  std::string which;
  std::string new_pin_file;
};

void run_change_pin(const CommandContext& context, const ChangePinOptions& o) {
  const PinKind kind = kKeyPins.at(o.which);
  // Both PINs are read before the card is touched, so a typo in the second
  // prompt costs no try.
  const client::SecretString current = read_pin(kind, context.options.pin_file);
  const client::SecretString replacement = read_new_pin(kind, o.new_pin_file);
  auto card = context.open_card();
  require_verified(
      card->jpki().change_pin(key_of(kind), current, replacement, context.verify_options()), kind);
  context.print({{"pin", o.which}, {"changed", true}}, o.which + " PIN changed");
}

void run_my_number(const CommandContext& context) {
  auto card = context.open_card();
  verify(context, *card, PinKind::kInputHelper);
  const std::string number = card->input_helper().read_my_number();
  context.print({{"my_number", number}}, number);
}

const char* sex_name(client::Sex sex) {
  switch (sex) {
    case client::Sex::kMale:
      return "male";
    case client::Sex::kFemale:
      return "female";
    case client::Sex::kNotApplicable:
      break;
  }
  return "not_applicable";
}

void run_basic_four(const CommandContext& context) {
  auto card = context.open_card();
  verify(context, *card, PinKind::kInputHelper);
  const client::BasicFour four = card->input_helper().read_basic_four();
  context.print({{"name", four.name},
                 {"address", four.address},
                 {"birth_date", four.birth_date},
                 {"sex", sex_name(four.sex)}},
                fmt::format("name: {}\naddress: {}\nbirth date: {}\nsex: {}", four.name,
                            four.address, four.birth_date, sex_name(four.sex)));
}

}  // namespace

void add_card_commands(CLI::App& app, CommandContext& context) {
  auto* card = app.add_subcommand("card", "Work with the My Number Card (JPKI and input-helper)");
  card->require_subcommand(1);

  card->add_subcommand("info", "Token, sign certificate flag, auth certificate, PIN tries")
      ->callback([&context] { run_info(context); });
  card->add_subcommand("pin-status",
                       "Tries left of the auth, sign and input-helper PINs "
                       "(spends no try)")
      ->callback([&context] { run_pin_status(context); });

  auto read_cert = std::make_shared<ReadCertOptions>();
  auto* rc = card->add_subcommand("read-cert", "Read a certificate (sign needs the sign PIN)");
  rc->add_option("which", read_cert->which, "auth | sign | auth-ca | sign-ca")
      ->required()
      ->check(CLI::IsMember(names_of(kCertificates)));
  rc->add_option("-o,--output", read_cert->output,
                 "write to FILE (DER unless --pem); "
                 "without it PEM goes to stdout");
  rc->add_flag("--pem", read_cert->pem, "write PEM instead of DER");
  rc->callback([&context, read_cert] { run_read_cert(context, *read_cert); });

  auto sign = std::make_shared<SignOptions>();
  auto* sc = card->add_subcommand(
      "sign", "Sign a SHA-256 DigestInfo with a card key (RSA PKCS#1 v1.5); needs its PIN");
  sc->add_option("--key", sign->key, "auth | sign")
      ->required()
      ->check(CLI::IsMember(names_of(kKeyPins)));
  auto* input =
      sc->add_option("--input", sign->input, "file to hash and sign")->check(CLI::ExistingFile);
  auto* digest = sc->add_option("--digest", sign->digest, "SHA-256 hash to sign, in hex");
  input->excludes(digest);
  sc->add_option("-o,--output", sign->output, "file for the raw signature (256 bytes)")->required();
  sc->callback([&context, sign, input, digest] {
    if (input->count() + digest->count() != 1) {
      throw CliError(ExitCode::kUsage, "usage", "card sign needs --input FILE or --digest HEX");
    }
    run_sign(context, *sign);
  });

  auto verify_which = std::make_shared<std::string>();
  auto* vc = card->add_subcommand("verify-pin", "Present a PIN (the card counts a wrong one)");
  vc->add_option("which", *verify_which, "auth | sign | input-helper")
      ->required()
      ->check(CLI::IsMember(names_of(kPins)));
  vc->callback([&context, verify_which] { run_verify_pin(context, *verify_which); });

  auto change = std::make_shared<ChangePinOptions>();
  auto* cc = card->add_subcommand("change-pin",
                                  "Change the auth or sign PIN (current PIN as "
                                  "usual; new one from ZAIRYU_NEW_<KIND>_PIN, "
                                  "--new-pin-file or a prompt)");
  cc->add_option("which", change->which, "auth | sign")
      ->required()
      ->check(CLI::IsMember(names_of(kKeyPins)));
  cc->add_option("--new-pin-file", change->new_pin_file, "file whose first line is the new PIN");
  cc->callback([&context, change] { run_change_pin(context, *change); });

  card->add_subcommand("my-number", "Read My Number (input-helper PIN)")->callback([&context] {
    run_my_number(context);
  });
  card->add_subcommand("basic-four", "Read name, address, birth date, sex (input-helper PIN)")
      ->callback([&context] { run_basic_four(context); });
}

}  // namespace zairyu::cli
