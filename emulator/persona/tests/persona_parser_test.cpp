// Persona parser: shipped fixtures, one rejection per field, My Number check
// digits, directory loading, and "only PersonaError escapes" on junk input.
#define BOOST_TEST_MODULE persona_parser_test
#include <yaml-cpp/yaml.h>

#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "emulator/persona/persona.h"

namespace fs = std::filesystem;
using namespace zairyu::persona;
using namespace std::chrono_literals;

namespace {

const fs::path kPersonas = ZAIRYU_PERSONAS_DIR;

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// adult-valid.yaml: the base document the rejection cases edit.
std::string base_text() { return read(kPersonas / "adult-valid.yaml"); }

// Re-emits adult-valid.yaml after `edit` changed its YAML tree.
std::string mutated(const std::function<void(YAML::Node&)>& edit) {
  YAML::Node root = YAML::Load(base_text());
  edit(root);
  YAML::Emitter out;
  out << root;
  return out.c_str();
}

// The field path parse_persona reports, or "" when it accepts the text.
std::string rejected_path(const std::string& text) {
  try {
    parse_persona(text);
  } catch (const PersonaError& e) {
    return e.field_path();
  }
  return "";
}

struct RejectCase {
  std::string name;
  std::function<void(YAML::Node&)> edit;
  std::string path;
  std::string message;  // substring of what(), may be empty
};

std::vector<RejectCase> reject_cases() {
  return {
      {"bad id", [](YAML::Node& r) { r["id"] = "Adult_Valid"; }, "id", "a-z"},
      {"unknown top-level key", [](YAML::Node& r) { r["illness"] = "true"; }, "illness",
       "unknown key"},
      {"missing name", [](YAML::Node& r) { r.remove("name"); }, "name", "is required"},
      {"empty name", [](YAML::Node& r) { r["name"]["full"] = ""; }, "name.full", ""},
      {"double space in name", [](YAML::Node& r) { r["name"]["full"] = "NGUYEN  AN"; }, "name.full",
       "spaces"},
      {"family_words too large", [](YAML::Node& r) { r["name"]["family_words"] = 4; },
       "name.family_words", ""},
      {"unknown name key", [](YAML::Node& r) { r["name"]["kanji"] = "阮文安"; }, "name.kanji",
       "unknown key"},
      {"bad sex", [](YAML::Node& r) { r["sex"] = "M"; }, "sex", "male, female"},
      {"impossible birth date", [](YAML::Node& r) { r["birth_date"] = "1994-02-30"; }, "birth_date",
       "YYYY-MM-DD"},
      {"slashed birth date", [](YAML::Node& r) { r["birth_date"] = "1994/05/12"; }, "birth_date",
       ""},
      {"empty address", [](YAML::Node& r) { r["address"] = ""; }, "address", ""},
      {"lower-case nationality", [](YAML::Node& r) { r["nationality"] = "vn"; }, "nationality", ""},
      {"unknown status", [](YAML::Node& r) { r["status_of_residence"] = "技術"; },
       "status_of_residence", ""},
      {"missing period of stay", [](YAML::Node& r) { r.remove("period_of_stay"); },
       "period_of_stay", "is required"},
      {"period of stay for 永住者", [](YAML::Node& r) { r["status_of_residence"] = "永住者"; },
       "period_of_stay", "must be absent"},
      {"bad stay length", [](YAML::Node& r) { r["period_of_stay"]["length"] = "3 years"; },
       "period_of_stay.length", ""},
      {"stay length units out of order",
       [](YAML::Node& r) { r["period_of_stay"]["length"] = "3m1y"; }, "period_of_stay.length", ""},
      {"bad stay expiry", [](YAML::Node& r) { r["period_of_stay"]["expires"] = "2027-13-01"; },
       "period_of_stay.expires", ""},
      {"short residence card number",
       [](YAML::Node& r) { r["residence_card_number"] = "AB1234567CD"; }, "residence_card_number",
       ""},
      {"lower-case residence card number",
       [](YAML::Node& r) { r["residence_card_number"] = "ab12345678cd"; }, "residence_card_number",
       ""},
      {"wrong check digit", [](YAML::Node& r) { r["my_number"] = "202401000111"; }, "my_number",
       "check digit must be 0"},
      {"11-digit my number", [](YAML::Node& r) { r["my_number"] = "20240100011"; }, "my_number",
       "12 digits"},
      {"bad email", [](YAML::Node& r) { r["email"] = "nobody"; }, "email", ""},
      {"5-digit auth PIN", [](YAML::Node& r) { r["pins"]["auth"] = "12345"; }, "pins.auth",
       "4 digits"},
      {"lower-case sign PIN", [](YAML::Node& r) { r["pins"]["sign"] = "abc123"; }, "pins.sign",
       "must be 6-16 characters of A-Z and 0-9"},
      {"short sign PIN", [](YAML::Node& r) { r["pins"]["sign"] = "AB123"; }, "pins.sign", "6-16"},
      {"long sign PIN", [](YAML::Node& r) { r["pins"]["sign"] = "ABCDEFGHIJ1234567"; }, "pins.sign",
       "6-16"},
      {"sign PIN without digit", [](YAML::Node& r) { r["pins"]["sign"] = "ABCDEF"; }, "pins.sign",
       "one letter and one digit"},
      {"sign PIN without letter", [](YAML::Node& r) { r["pins"]["sign"] = "123456"; }, "pins.sign",
       "one letter and one digit"},
      {"missing sign PIN", [](YAML::Node& r) { r["pins"].remove("sign"); }, "pins.sign",
       "required when certificates.sign"},
      {"sign PIN without sign cert", [](YAML::Node& r) { r["certificates"].remove("sign"); },
       "pins.sign", "must be absent"},
      {"bad input-helper PIN", [](YAML::Node& r) { r["pins"]["input_helper"] = "12a4"; },
       "pins.input_helper", ""},
      {"unknown PIN", [](YAML::Node& r) { r["pins"]["juki"] = "1234"; }, "pins.juki", ""},
      {"bad card expiry", [](YAML::Node& r) { r["card"]["expires"] = "soon"; }, "card.expires", ""},
      {"too many tries left", [](YAML::Node& r) { r["card"]["pin_tries_left"]["auth"] = 4; },
       "card.pin_tries_left.auth", "0 to 3"},
      {"sign tries left", [](YAML::Node& r) { r["card"]["pin_tries_left"]["sign"] = 6; },
       "card.pin_tries_left.sign", "0 to 5"},
      {"non-boolean option", [](YAML::Node& r) { r["card"]["options"]["extended_length"] = "yes"; },
       "card.options.extended_length", "true or false"},
      {"filler multiple too large",
       [](YAML::Node& r) { r["card"]["options"]["certificate_ef_size_multiple"] = 5000; },
       "card.options.certificate_ef_size_multiple", "0 to 4096"},
      {"unknown option", [](YAML::Node& r) { r["card"]["options"]["turbo"] = "true"; },
       "card.options.turbo", ""},
      {"missing auth certificate", [](YAML::Node& r) { r["certificates"].remove("auth"); },
       "certificates.auth", "is required"},
      {"window backwards",
       [](YAML::Node& r) { r["certificates"]["auth"]["not_after"] = "2024-06-30"; },
       "certificates.auth.not_after", ""},
      {"revocation outside window",
       [](YAML::Node& r) {
         r["certificates"]["sign"]["revoked"]["date"] = "2030-01-01";
         r["certificates"]["sign"]["revoked"]["reason"] = "address_change";
       },
       "certificates.sign.revoked.date", ""},
      {"unknown revocation reason",
       [](YAML::Node& r) {
         r["certificates"]["sign"]["revoked"]["date"] = "2025-01-01";
         r["certificates"]["sign"]["revoked"]["reason"] = "moved";
       },
       "certificates.sign.revoked.reason", ""},
      {"relatives not a list", [](YAML::Node& r) { r["relatives"] = "child-14"; }, "relatives", ""},
      {"bad relation",
       [](YAML::Node& r) {
         r["relatives"] = YAML::Load("[{persona: child-14, relation: cousin}]");
       },
       "relatives[0].relation", ""},
      {"bad relative id",
       [](YAML::Node& r) { r["relatives"] = YAML::Load("[{persona: Child, relation: parent}]"); },
       "relatives[0].persona", ""},
      {"self as relative",
       [](YAML::Node& r) {
         r["relatives"] = YAML::Load("[{persona: adult-valid, relation: parent}]");
       },
       "relatives[0].persona", ""},
      {"mapping where a string belongs", [](YAML::Node& r) { r["email"] = YAML::Load("{a: b}"); },
       "email", "must be a string"},
  };
}

}  // namespace

BOOST_AUTO_TEST_SUITE(persona_parser)

BOOST_AUTO_TEST_CASE(accepts_every_shipped_persona) {
  const auto personas = load_persona_directory(kPersonas);
  std::vector<std::string> ids;
  for (const auto& p : personas) ids.push_back(p.id);
  const std::vector<std::string> expected = {
      "adult-expired-auth", "adult-not-yet-valid", "adult-revoked-sign", "adult-valid",
      "child-14",           "parent-of-child",     "permanent-resident", "stay-3-months"};
  BOOST_TEST(ids == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(reads_every_field_of_adult_valid) {
  const Persona p = load_persona_file(kPersonas / "adult-valid.yaml");
  BOOST_TEST(p.id == "adult-valid");
  BOOST_TEST(p.name.full == "NGUYEN VAN AN");
  BOOST_TEST(p.name.family_words == 1U);
  BOOST_TEST(p.name.alias.value_or("") == "グエン　ヴァン　アン");
  BOOST_TEST((p.sex == Sex::kMale));
  BOOST_TEST((p.birth_date == 1994y / 5 / 12));
  BOOST_TEST(p.address == "東京都千代田区テスト町１丁目２番３号");
  BOOST_TEST(p.nationality == "VN");
  BOOST_TEST(p.status_of_residence == "技術・人文知識・国際業務");
  BOOST_REQUIRE(p.period_of_stay.has_value());
  BOOST_TEST(p.period_of_stay->length == "3y");
  BOOST_TEST((p.period_of_stay->expires == 2027y / 6 / 30));
  BOOST_TEST(p.residence_card_number == "AB12345678CD");
  BOOST_TEST(p.my_number == "202401000110");
  BOOST_TEST(p.email == "nguyen.van.an@example.com");
  BOOST_TEST(p.pins.auth == "1234");
  BOOST_TEST(p.pins.sign.value_or("") == "ABC123");
  BOOST_TEST(p.pins.input_helper == "1234");
  BOOST_TEST((p.card.expires == 2027y / 6 / 30));
  BOOST_TEST(!p.card.pin_tries_left.auth.has_value());
  BOOST_TEST((p.certificates.auth.not_before == 2024y / 7 / 1));
  BOOST_TEST((p.certificates.auth.not_after == 2027y / 6 / 30));
  BOOST_TEST(!p.certificates.auth.revoked.has_value());
  BOOST_REQUIRE(p.certificates.sign.has_value());
  BOOST_TEST((p.certificates.sign->not_after == 2027y / 6 / 30));
  BOOST_TEST(p.relatives.empty());
}

BOOST_AUTO_TEST_CASE(fixture_specifics) {
  const Persona child = load_persona_file(kPersonas / "child-14.yaml");
  BOOST_TEST(!child.certificates.sign.has_value());
  BOOST_TEST(!child.pins.sign.has_value());
  // 14 years old on 2026-06-01.
  const auto age_days =
      std::chrono::sys_days(2026y / 6 / 1) - std::chrono::sys_days(child.birth_date);
  BOOST_TEST(age_days.count() / 365 == 14);

  const Persona parent = load_persona_file(kPersonas / "parent-of-child.yaml");
  BOOST_REQUIRE(parent.relatives.size() == 1U);
  BOOST_TEST(parent.relatives[0].persona == "child-14");
  BOOST_TEST((parent.relatives[0].relation == Relation::kParent));

  const Persona pr = load_persona_file(kPersonas / "permanent-resident.yaml");
  BOOST_TEST(!pr.period_of_stay.has_value());
  BOOST_TEST(pr.name.family_words == 2U);

  const Persona revoked = load_persona_file(kPersonas / "adult-revoked-sign.yaml");
  BOOST_REQUIRE(revoked.certificates.sign->revoked.has_value());
  BOOST_TEST((revoked.certificates.sign->revoked->reason == RevocationReason::kAddressChange));
  BOOST_TEST(!revoked.certificates.auth.revoked.has_value());

  const Persona expired = load_persona_file(kPersonas / "adult-expired-auth.yaml");
  BOOST_TEST((expired.certificates.auth.not_after < 2026y / 1 / 1));
  BOOST_TEST((expired.certificates.sign->not_after < 2026y / 1 / 1));

  const Persona future = load_persona_file(kPersonas / "adult-not-yet-valid.yaml");
  BOOST_TEST((2026y / 1 / 1 < future.certificates.auth.not_before));
  BOOST_TEST(future.period_of_stay->length == "1y3m");
}

BOOST_AUTO_TEST_CASE(readme_example_is_a_valid_persona) {
  const std::string readme = read(kPersonas / "README.md");
  const auto start = readme.find("```yaml\n");
  BOOST_REQUIRE(start != std::string::npos);
  const auto body = start + 8;
  const Persona p = parse_persona(readme.substr(body, readme.find("```", body) - body));
  BOOST_TEST(p.certificates.sign->revoked.has_value());
  BOOST_TEST(p.card.pin_tries_left.sign.value_or(0) == 5);
  BOOST_TEST(p.relatives.size() == 1U);
}

BOOST_AUTO_TEST_CASE(base_document_is_accepted_after_round_trip) {
  BOOST_TEST(rejected_path(mutated([](YAML::Node&) {})) == "");
}

BOOST_AUTO_TEST_CASE(rejects_each_wrong_field_with_its_path) {
  for (const auto& c : reject_cases()) {
    BOOST_TEST_CONTEXT(c.name) {
      const std::string text = mutated(c.edit);
      try {
        parse_persona(text);
        BOOST_ERROR("accepted");
      } catch (const PersonaError& e) {
        BOOST_TEST(e.field_path() == c.path);
        BOOST_TEST(std::string(e.what()).find(c.message) != std::string::npos, e.what());
        BOOST_TEST(std::string(e.what()).starts_with(c.path + ": "));
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(accepts_optional_forms) {
  BOOST_TEST(rejected_path(mutated([](YAML::Node& r) {
               r["status_of_residence"] = "永住者";
               r.remove("period_of_stay");
             })) == "");
  BOOST_TEST(rejected_path(
                 mutated([](YAML::Node& r) { r["status_of_residence"] = "特定技能1号"; })) == "");
  BOOST_TEST(rejected_path(mutated([](YAML::Node& r) {
               r["status_of_residence"] = "高度専門職2号";
               r.remove("period_of_stay");
             })) == "");
  BOOST_TEST(rejected_path(mutated([](YAML::Node& r) { r["name"] = "NGUYEN VAN AN"; })) == "");
  BOOST_TEST(rejected_path(mutated([](YAML::Node& r) {
               r["card"]["pin_tries_left"] = YAML::Load("{auth: 0, sign: 5, input_helper: 2}");
               r["card"]["options"] = YAML::Load("{extended_length: true}");
             })) == "");
  const Persona p = parse_persona(mutated([](YAML::Node& r) {
    r["card"]["pin_tries_left"] = YAML::Load("{auth: 1}");
    r["card"]["options"] = YAML::Load("{eof_answers_6282: true, certificate_ef_size_multiple: 0}");
    r["certificates"]["sign"]["revoked"] = YAML::Load("{date: 2025-12-01}");
  }));
  BOOST_TEST(p.card.pin_tries_left.auth.value_or(-1) == 1);
  BOOST_TEST(p.card.options.eof_answers_6282);
  BOOST_TEST(p.card.options.certificate_ef_size_multiple == 0U);
  BOOST_TEST((p.certificates.sign->revoked->reason == RevocationReason::kUnspecified));
}

BOOST_AUTO_TEST_CASE(rejects_documents_that_are_not_personas) {
  BOOST_TEST(rejected_path("") == "(document)");
  BOOST_TEST(rejected_path("[1, 2]") == "(document)");
  BOOST_TEST(rejected_path("id: [unclosed") == "(document)");
  BOOST_TEST(rejected_path("? [a]\n: b\n") == "(document)");
  BOOST_TEST(rejected_path(std::string(100000, '[')) == "(document)");
  BOOST_TEST(rejected_path("a: &x [*x]") != "");
}

// Regression (fuzz_persona): an empty key was reported with an empty path.
BOOST_AUTO_TEST_CASE(empty_key_is_named_in_the_error) {
  BOOST_TEST(rejected_path("! : value\n") == "(empty key)");
}

BOOST_AUTO_TEST_CASE(only_persona_error_escapes_on_mutated_input) {
  const std::string base = base_text();
  std::mt19937 rng(12345);
  for (int i = 0; i < 3000; ++i) {
    std::string text = base;
    const int flips = 1 + static_cast<int>(rng() % 4);
    for (int k = 0; k < flips; ++k) {
      text[rng() % text.size()] = static_cast<char>(rng() % 256);
    }
    try {
      parse_persona(text);
    } catch (const PersonaError&) {
    } catch (const std::exception& e) {
      BOOST_FAIL("non-PersonaError escaped: " << e.what());
    }
  }
}

BOOST_AUTO_TEST_CASE(my_number_check_digit_vectors) {
  BOOST_TEST(is_valid_my_number("123456789018"));
  BOOST_TEST(!is_valid_my_number("123456789017"));
  BOOST_TEST(my_number_check_digit("12345678901") == 8);
  // 9 * (6+5+4+3+2+7+6+5+4+3+2) = 423, 423 mod 11 = 5 -> 6.
  BOOST_TEST(my_number_check_digit("99999999999") == 6);
  // 47 mod 11 = 3 -> 8.
  BOOST_TEST(my_number_check_digit("11111111111") == 8);
  // 54+40+28+18+10+28+18+10+4+0+18 = 228, mod 11 = 8 -> 3.
  BOOST_TEST(my_number_check_digit("98765432109") == 3);
  // Remainder 0 and remainder 1 both give 0.
  BOOST_TEST(my_number_check_digit("00000000000") == 0);
  BOOST_TEST(my_number_check_digit("00000000006") == 0);  // 12 mod 11 = 1
  BOOST_TEST(my_number_check_digit("20240100011") == 0);  // 44 mod 11 = 0
  BOOST_TEST(my_number_check_digit("20240100033") == 1);  // 54 mod 11 = 10
  BOOST_TEST(is_valid_my_number("000000000060"));
  BOOST_TEST(!is_valid_my_number("12345678901"));
  BOOST_TEST(!is_valid_my_number("12345678901A"));
  BOOST_CHECK_THROW(my_number_check_digit("1234567890"), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(dates) {
  BOOST_TEST((parse_iso_date("2024-02-29") == std::optional<Date>(2024y / 2 / 29)));
  BOOST_TEST(!parse_iso_date("2023-02-29").has_value());
  BOOST_TEST(!parse_iso_date("2023-2-28").has_value());
  BOOST_TEST(!parse_iso_date("+023-02-28").has_value());
  BOOST_TEST(format_iso_date(2027y / 6 / 30) == "2027-06-30");
}

BOOST_AUTO_TEST_CASE(directory_checks_file_names_and_relatives) {
  const fs::path dir =
      fs::temp_directory_path() / ("zairyu-persona-test-" + std::to_string(std::random_device{}()));
  fs::create_directories(dir);
  fs::copy_file(kPersonas / "parent-of-child.yaml", dir / "parent-of-child.yaml");
  try {
    load_persona_directory(dir);
    BOOST_ERROR("missing relative accepted");
  } catch (const PersonaError& e) {
    BOOST_TEST(e.field_path() == "relatives[0].persona");
    BOOST_TEST(e.file() == "parent-of-child.yaml");
    BOOST_TEST(std::string(e.what()).starts_with("parent-of-child.yaml: relatives[0].persona: "));
    BOOST_TEST(std::string(e.what()).find("child-14") != std::string::npos);
  }
  fs::copy_file(kPersonas / "child-14.yaml", dir / "child-14.yaml");
  BOOST_TEST(load_persona_directory(dir).size() == 2U);

  fs::copy_file(kPersonas / "adult-valid.yaml", dir / "renamed.yaml");
  try {
    load_persona_file(dir / "renamed.yaml");
    BOOST_ERROR("file name mismatch accepted");
  } catch (const PersonaError& e) {
    BOOST_TEST(e.field_path() == "id");
    BOOST_TEST(std::string(e.what()) == "renamed.yaml: id: must match the file name (renamed)");
  }
  std::ofstream(dir / "broken.yaml") << "id: broken\n";
  try {
    load_persona_file(dir / "broken.yaml");
    BOOST_ERROR("incomplete persona accepted");
  } catch (const PersonaError& e) {
    BOOST_TEST(std::string(e.what()) == "broken.yaml: name: is required");
  }
  fs::remove_all(dir);
}

BOOST_AUTO_TEST_SUITE_END()
