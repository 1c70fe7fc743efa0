#include "conformance/card/card_actions.h"

#include <cctype>
#include <cstdio>
#include <string_view>

#include "conformance/card/certificate_facts.h"
#include "conformance/runner/run_context.h"
#include "emulator/persona/card_profile_builder.h"
#include "zairyu/client/apdu.h"
#include "zairyu/client/certificate.h"

namespace zairyu::conformance {
namespace {

using client::JpkiCertificate;
using client::JpkiKey;
using nlohmann::json;

std::string string_arg(const json& args, const char* name, const std::string& fallback) {
  if (!args.contains(name)) {
    if (fallback.empty()) throw BadArguments(std::string("missing argument ") + name);
    return fallback;
  }
  if (!args[name].is_string()) throw BadArguments(std::string(name) + " must be a string");
  return args[name];
}

// One of `choices`, by name.
template <typename T>
T choice(const json& args, const char* name, const std::string& fallback,
         const std::map<std::string, T>& choices) {
  const std::string value = string_arg(args, name, fallback);
  const auto it = choices.find(value);
  if (it == choices.end()) throw BadArguments(std::string(name) + ": unknown value " + value);
  return it->second;
}

enum class PinName { kAuth, kSign, kInputHelper };
const std::map<std::string, PinName> kPins{
    {"auth", PinName::kAuth}, {"sign", PinName::kSign}, {"input_helper", PinName::kInputHelper}};

Der der_of(const card::Bytes& bytes) { return Der(bytes.begin(), bytes.end()); }

json pin_status_json(const client::PinStatus& status) {
  static const std::map<client::PinStatus::State, std::string> kStates{
      {client::PinStatus::State::kTriesLeft, "tries_left"},
      {client::PinStatus::State::kBlocked, "blocked"},
      {client::PinStatus::State::kVerified, "verified"},
      {client::PinStatus::State::kNoLimit, "no_limit"}};
  json out{{"state", kStates.at(status.state)}, {"blocked", status.blocked()}};
  out["tries_left"] = status.tries_left ? json(*status.tries_left) : json(nullptr);
  return out;
}

json verify_result_json(const client::VerifyResult& result) {
  using Outcome = client::VerifyResult::Outcome;
  static const std::map<Outcome, std::string> kOutcomes{
      {Outcome::kVerified, "verified"},
      {Outcome::kWrongPin, "wrong_pin"},
      {Outcome::kBlocked, "blocked"},
      {Outcome::kRefusedLastTry, "refused_last_try"}};
  json out{{"outcome", kOutcomes.at(result.outcome)}};
  out["tries_left"] = result.tries_left ? json(*result.tries_left) : json(nullptr);
  return out;
}

json select(CardSlot& slot, const json& args) {
  const std::string app = string_arg(args, "app", "jpki");
  if (app == "jpki") {
    slot.jpki.select();
  } else if (app == "input_helper") {
    slot.helper.select();
  } else {
    throw BadArguments("app: unknown value " + app);
  }
  return json::object();
}

json read_token(CardSlot& slot, const json&) {
  const client::JpkiToken token = slot.jpki.read_token();
  static const std::map<client::JpkiToken::Kind, std::string> kKinds{
      {client::JpkiToken::Kind::kMyNumberCard, "my_number_card"},
      {client::JpkiToken::Kind::kJukiCard, "juki_card"},
      {client::JpkiToken::Kind::kAndroid, "android"},
      {client::JpkiToken::Kind::kIPhone, "iphone"},
      {client::JpkiToken::Kind::kUnknown, "unknown"}};
  return {{"kind", kKinds.at(token.kind)}, {"name", token.name}};
}

json read_cert_flags(CardSlot& slot, const json&) {
  const client::JpkiCertificateFlags flags = slot.jpki.read_certificate_flags();
  return {{"sign_certificate_present", flags.sign_certificate_present},
          {"raw", hex_bytes(flags.raw)}};
}

json read_cert(CardSlot& slot, const json& args) {
  const JpkiCertificate which = choice<JpkiCertificate>(args, "cert", "",
                                                        {{"auth", JpkiCertificate::kAuth},
                                                         {"auth_ca", JpkiCertificate::kAuthCa},
                                                         {"sign", JpkiCertificate::kSign},
                                                         {"sign_ca", JpkiCertificate::kSignCa}});
  const client::Bytes der = slot.jpki.read_certificate(which);
  const card::CardProfile& issued = slot.persona.profile;
  const bool is_sign = which == JpkiCertificate::kSign || which == JpkiCertificate::kSignCa;
  const card::Bytes& ca = is_sign ? slot.persona.sign_ca_der : slot.persona.auth_ca_der;
  const card::Bytes* expected = nullptr;
  switch (which) {
    case JpkiCertificate::kAuth:
      expected = &issued.auth_certificate_der;
      break;
    case JpkiCertificate::kAuthCa:
      expected = &issued.auth_ca_certificate_der;
      break;
    case JpkiCertificate::kSign:
      expected = issued.sign_certificate_der ? &*issued.sign_certificate_der : nullptr;
      break;
    case JpkiCertificate::kSignCa:
      expected = &issued.sign_ca_certificate_der;
      break;
  }
  const CertificateFacts facts = certificate_facts(der, der_of(ca));
  json out{{"size", der.size()},
           {"subject", facts.subject},
           {"issuer", facts.issuer},
           {"signed_by_ca", facts.signed_by_ca},
           {"matches_issued", expected != nullptr && der == *expected}};
  if (which == JpkiCertificate::kSign) {
    const client::SignCertificatePersonalData data =
        client::parse_sign_certificate_personal_data(der);
    const persona::Persona& p = slot.persona.persona;
    out["personal_data"] = {{"name", data.name},
                            {"address", data.address},
                            {"birth_date", data.birth_date},
                            {"gender", data.gender}};
    out["personal_data_matches_persona"] = data.name == persona::basic_four_name(p.name) &&
                                           data.address == persona::basic_four_address(p);
  }
  return out;
}

// The PIN the persona was issued with, for verify_pin without `value`.
std::string issued_pin(const CardSlot& slot, PinName pin) {
  const card::CardProfile& p = slot.persona.profile;
  switch (pin) {
    case PinName::kAuth:
      return p.auth_pin;
    case PinName::kSign:
      return p.sign_pin;
    case PinName::kInputHelper:
      return p.input_helper_pin;
  }
  return {};
}

json pin_status(CardSlot& slot, const json& args) {
  switch (choice(args, "pin", "", kPins)) {
    case PinName::kAuth:
      return pin_status_json(slot.jpki.pin_status(JpkiKey::kAuth));
    case PinName::kSign:
      return pin_status_json(slot.jpki.pin_status(JpkiKey::kSign));
    case PinName::kInputHelper:
      return pin_status_json(slot.helper.pin_status());
  }
  return json::object();
}

json verify_pin(CardSlot& slot, const json& args) {
  const PinName pin = choice(args, "pin", "", kPins);
  const std::string issued = issued_pin(slot, pin);
  if (!args.contains("value") && issued.empty())
    throw BadArguments("persona has no such PIN; give value");
  const client::SecretString value(string_arg(args, "value", issued));
  client::VerifyOptions options;
  if (args.contains("force_last_try")) {
    if (!args["force_last_try"].is_boolean())
      throw BadArguments("force_last_try must be true/false");
    options.force_last_try = args["force_last_try"];
  }
  switch (pin) {
    case PinName::kAuth:
      return verify_result_json(slot.jpki.verify_pin(JpkiKey::kAuth, value, options));
    case PinName::kSign:
      return verify_result_json(slot.jpki.verify_pin(JpkiKey::kSign, value, options));
    case PinName::kInputHelper:
      return verify_result_json(slot.helper.verify_pin(value, options));
  }
  return json::object();
}

json sign(CardSlot& slot, const json& args) {
  const JpkiKey key =
      choice<JpkiKey>(args, "key", "", {{"auth", JpkiKey::kAuth}, {"sign", JpkiKey::kSign}});
  const std::string message = string_arg(args, "message", "zairyu-lab conformance");
  const client::Bytes signature = slot.jpki.sign(
      key, client::sha256_digest_info(client::Bytes(message.begin(), message.end())));
  const card::CardProfile& issued = slot.persona.profile;
  const card::Bytes* cert = key == JpkiKey::kAuth         ? &issued.auth_certificate_der
                            : issued.sign_certificate_der ? &*issued.sign_certificate_der
                                                          : nullptr;
  return {
      {"size", signature.size()},
      {"verifies", cert != nullptr && verify_sha256_signature(der_of(*cert), message, signature)}};
}

// Parses a short command APDU from hex ("00 84 00 00 08").
client::Apdu parse_apdu(const std::string& text) {
  client::Bytes bytes;
  std::string digits;
  for (char c : text) {
    if (c == ' ') continue;
    if (!std::isxdigit(static_cast<unsigned char>(c))) throw BadArguments("apdu: not hex");
    digits += c;
  }
  if (digits.size() % 2 != 0) throw BadArguments("apdu: odd number of hex digits");
  for (std::size_t i = 0; i < digits.size(); i += 2) {
    bytes.push_back(static_cast<std::uint8_t>(std::stoi(digits.substr(i, 2), nullptr, 16)));
  }
  if (bytes.size() < 4) throw BadArguments("apdu: shorter than a header");
  client::Bytes data;
  std::optional<std::size_t> le;
  if (bytes.size() == 5) {
    le = bytes[4] == 0 ? 256 : bytes[4];
  } else if (bytes.size() > 5) {
    const std::size_t lc = bytes[4];
    if (lc == 0 || bytes.size() < 5 + lc || bytes.size() > 6 + lc)
      throw BadArguments("apdu: Lc does not fit");
    data.assign(bytes.begin() + 5, bytes.begin() + 5 + static_cast<std::ptrdiff_t>(lc));
    if (bytes.size() == 6 + lc) le = bytes.back() == 0 ? 256 : bytes.back();
  }
  try {
    return client::Apdu(bytes[0], bytes[1], bytes[2], bytes[3], std::move(data), le);
  } catch (const std::invalid_argument& e) {
    throw BadArguments(std::string("apdu: ") + e.what());
  }
}

json response_json(const client::ResponseApdu& response) {
  char sw[5];
  std::snprintf(sw, sizeof sw, "%04X", static_cast<unsigned>(response.sw()));
  return {{"sw", sw}, {"data_size", response.data().size()}, {"data", hex_bytes(response.data())}};
}

json transmit(CardSlot& slot, const json& args) {
  const client::ResponseApdu response =
      slot.channel.transmit(parse_apdu(string_arg(args, "apdu", "")));
  // A hand-made APDU may have selected something: the channel must not trust
  // its idea of the current application any more.
  slot.channel.forget_selection();
  return response_json(response);
}

json get_challenge(CardSlot& slot, const json& args) {
  const json length = args.value("length", json(8));
  if (!length.is_number_integer() || length < 1 || length > 256)
    throw BadArguments("length must be 1..256");
  return response_json(
      slot.channel.transmit(client::Apdu(0x00, 0x84, 0x00, 0x00, {}, length.get<std::size_t>())));
}

json read_my_number(CardSlot& slot, const json&) {
  const std::string number = slot.helper.read_my_number();
  return {{"my_number", number}, {"matches_persona", number == slot.persona.persona.my_number}};
}

json read_basic_four(CardSlot& slot, const json&) {
  const client::BasicFour b = slot.helper.read_basic_four();
  const persona::Persona& p = slot.persona.persona;
  static const std::map<client::Sex, std::string> kSexes{
      {client::Sex::kMale, "male"},
      {client::Sex::kFemale, "female"},
      {client::Sex::kNotApplicable, "not_applicable"}};
  static const std::map<client::Sex, char> kCodes{
      {client::Sex::kMale, '1'}, {client::Sex::kFemale, '2'}, {client::Sex::kNotApplicable, '9'}};
  const bool matches = b.name == persona::basic_four_name(p.name) &&
                       b.address == persona::basic_four_address(p) &&
                       b.birth_date == persona::compact_date(p.birth_date) &&
                       kCodes.at(b.sex) == persona::basic_four_sex(p.sex);
  return {{"name", b.name},
          {"address", b.address},
          {"birth_date", b.birth_date},
          {"sex", kSexes.at(b.sex)},
          {"matches_persona", matches}};
}

}  // namespace

const std::map<std::string, CardAction, std::less<>>& card_actions() {
  static const std::map<std::string, CardAction, std::less<>> kActions{
      {"select", select},
      {"read_token", read_token},
      {"read_cert_flags", read_cert_flags},
      {"read_cert", read_cert},
      {"pin_status", pin_status},
      {"verify_pin", verify_pin},
      {"sign", sign},
      {"transmit", transmit},
      {"get_challenge", get_challenge},
      {"read_my_number", read_my_number},
      {"read_basic_four", read_basic_four},
      {"reset",
       [](CardSlot& slot, const json&) {
         slot.backend->reset();
         return json::object();
       }},
      {"remove",
       [](CardSlot& slot, const json&) {
         slot.backend->remove();
         return json::object();
       }},
      {"insert",
       [](CardSlot& slot, const json&) {
         slot.backend->insert();
         return json::object();
       }},
  };
  return kActions;
}

}  // namespace zairyu::conformance
