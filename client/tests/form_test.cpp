// zairyu_client_form: parsing (YAML, strict JSON), field paths of every
// error, local validation and attachment loading, on the sample forms of
// client/examples/forms and on broken documents.
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>

#include "zairyu/client/application_form.h"

using namespace zairyu::client;

namespace {

const std::string kForms = ZAIRYU_FORMS_DIR;

// The violations of parse_form, or none when it parsed.
std::vector<FieldViolation> parse_errors(const std::string& text, FormFormat format) {
  try {
    parse_form(text, format);
  } catch (const FormError& e) {
    BOOST_TEST(!e.violations().empty());
    return e.violations();
  }
  return {};
}

// True when some violation names exactly `field` and its description holds `fragment`.
bool names(const std::vector<FieldViolation>& violations, const std::string& field,
           const std::string& fragment = "") {
  for (const auto& v : violations) {
    if (v.field == field && v.description.find(fragment) != std::string::npos) return true;
  }
  return false;
}

std::string dump(const std::vector<FieldViolation>& violations) {
  std::string s;
  for (const auto& v : violations) s += v.field + ": " + v.description + "; ";
  return s;
}

#define CHECK_NAMES(violations, ...) \
  BOOST_TEST(names(violations, __VA_ARGS__), "got: " << dump(violations))

const std::string kMinimal = R"(
applicant: {birth_date: 1994-05-12}
procedures: [extension_of_stay]
delivery: counter
)";

}  // namespace

BOOST_AUTO_TEST_SUITE(samples)

BOOST_AUTO_TEST_CASE(extension_yaml_is_valid) {
  const ApplicationForm form = load_form_file(kForms + "/extension.yaml");
  BOOST_TEST(validate_form(form).empty(), dump(validate_form(form)));
  BOOST_TEST(form.applicant.birth_date == "1994-05-12");
  BOOST_TEST(form.applicant.status->name == "技術・人文知識・国際業務");
  BOOST_TEST(form.applicant.period_of_stay->years == 3);
  BOOST_TEST(form.applicant.stay_expires_on == "2027-06-30");
  BOOST_TEST((form.procedures == std::vector{Procedure::kExtensionOfStay}));
  BOOST_TEST((form.delivery == ApplicationForm::Delivery::kPost));
  BOOST_TEST(form.photo_size == 48213u);
}

BOOST_AUTO_TEST_CASE(json_sample_with_japanese_procedure_name) {
  const ApplicationForm form = load_form_file(kForms + "/extension-with-reentry.json");
  BOOST_TEST(validate_form(form).empty(), dump(validate_form(form)));
  BOOST_TEST(
      (form.procedures == std::vector{Procedure::kExtensionOfStay, Procedure::kReentryPermit}));
  BOOST_TEST((form.delivery == ApplicationForm::Delivery::kCounter));
  BOOST_TEST(form.applicant.status->designation.empty());
}

BOOST_AUTO_TEST_CASE(pdf_sample_loads_the_attachment) {
  const ApplicationForm form = load_form_file(kForms + "/extension-with-pdf.yaml");
  BOOST_TEST(validate_form(form).empty(), dump(validate_form(form)));
  BOOST_TEST_REQUIRE(form.attachments.size() == 1u);
  BOOST_TEST(form.attachments[0].file_name == "在職証明書.pdf");
  BOOST_TEST(form.attachments[0].content_type == "application/pdf");
  BOOST_TEST(form.attachments[0].content.size() ==
             std::filesystem::file_size(kForms + "/employment-certificate.pdf"));
  BOOST_TEST(attachment_warnings(form).empty(), dump(attachment_warnings(form)));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(names_of_procedures)

BOOST_AUTO_TEST_CASE(english_and_japanese_round_trip) {
  for (int i = 0; i < 7; ++i) {
    const auto p = static_cast<Procedure>(i);
    BOOST_TEST((parse_procedure(to_string(p)) == p));
    BOOST_TEST((parse_procedure(japanese_name(p)) == p));
    BOOST_TEST(!english_name(p).empty());
  }
  BOOST_TEST(japanese_name(Procedure::kExtensionOfStay) == "在留期間更新");
  BOOST_CHECK_THROW(parse_procedure("permanent_residence"), std::invalid_argument);
  BOOST_CHECK_THROW(parse_procedure("EXTENSION_OF_STAY"), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(parse_errors_name_fields)

BOOST_AUTO_TEST_CASE(unknown_fields_everywhere) {
  const auto v = parse_errors(R"(
applicant: {birthdate: 1994-05-12, status: {name: 留学, kind: x}}
procedures: [extension_of_stay]
colour: blue
attachments: [{path: a.pdf, size: 3}]
)",
                              FormFormat::kYaml);
  CHECK_NAMES(v, "applicant.birthdate", "unknown field");
  CHECK_NAMES(v, "applicant.status.kind", "unknown field");
  CHECK_NAMES(v, "colour", "unknown field");
  CHECK_NAMES(v, "attachments[0].size", "unknown field");
  BOOST_TEST(v.size() == 4u, dump(v));
}

BOOST_AUTO_TEST_CASE(wrong_types) {
  const auto v = parse_errors(R"(
applicant:
  birth_date: [1994]
  period_of_stay: {years: -1, months: x, indefinite: maybe}
procedures: extension_of_stay
photo_size: 1.5
delivery: drone
)",
                              FormFormat::kYaml);
  CHECK_NAMES(v, "applicant.birth_date", "must be a string");
  CHECK_NAMES(v, "applicant.period_of_stay.years", "integer");
  CHECK_NAMES(v, "applicant.period_of_stay.months", "integer");
  CHECK_NAMES(v, "applicant.period_of_stay.indefinite", "true or false");
  CHECK_NAMES(v, "procedures", "list");
  CHECK_NAMES(v, "photo_size", "integer");
  CHECK_NAMES(v, "delivery", "post or counter");
}

BOOST_AUTO_TEST_CASE(unknown_procedure_names_its_index) {
  const auto v =
      parse_errors("applicant: {birth_date: 1994-05-12}\nprocedures: [在留期間更新, 永住許可]\n",
                   FormFormat::kYaml);
  CHECK_NAMES(v, "procedures[1]", "unknown procedure");
  BOOST_TEST(v.size() == 1u);
}

BOOST_AUTO_TEST_CASE(period_shorthand) {
  auto form = parse_form(kMinimal + "requested_status: 留学\n", FormFormat::kYaml);
  BOOST_TEST(form.requested_status->name == "留学");
  form = parse_form("applicant: {period_of_stay: 1y3m}\n", FormFormat::kYaml);
  BOOST_TEST(form.applicant.period_of_stay->years == 1);
  BOOST_TEST(form.applicant.period_of_stay->months == 3);
  form = parse_form("applicant: {period_of_stay: indefinite}\n", FormFormat::kYaml);
  BOOST_TEST(form.applicant.period_of_stay->indefinite);
  for (const char* bad : {"3m1y", "3", "y", "3y3y", "12345d", "3w"}) {
    const auto v =
        parse_errors(std::string("applicant: {period_of_stay: ") + bad + "}\n", FormFormat::kYaml);
    CHECK_NAMES(v, "applicant.period_of_stay", "3y");
  }
}

BOOST_AUTO_TEST_CASE(duplicate_keys_are_refused) {
  CHECK_NAMES(parse_errors("applicant: {birth_date: 1994-05-12, birth_date: 1995-01-01}\n",
                           FormFormat::kYaml),
              "applicant.birth_date", "twice");
  CHECK_NAMES(
      parse_errors(R"({"procedures": [], "applicant": {}, "procedures": []})", FormFormat::kJson),
      "procedures", "twice");
}

BOOST_AUTO_TEST_CASE(null_is_absent) {
  const auto form = parse_form("applicant:\n  birth_date: 1994-05-12\n  email:\nprocedures: ~\n",
                               FormFormat::kYaml);
  BOOST_TEST(form.applicant.email.empty());
  BOOST_TEST(form.procedures.empty());
}

BOOST_AUTO_TEST_CASE(quoted_numbers_are_strings) {
  CHECK_NAMES(parse_errors("photo_size: \"12\"\n", FormFormat::kYaml), "photo_size", "number");
  CHECK_NAMES(parse_errors(R"({"photo_size": "12"})", FormFormat::kJson), "photo_size", "number");
  CHECK_NAMES(parse_errors(R"({"applicant": {"birth_date": 19940512}})", FormFormat::kJson),
              "applicant.birth_date", "string");
  CHECK_NAMES(parse_errors(R"({"applicant": {"period_of_stay": {"indefinite": "true"}}})",
                           FormFormat::kJson),
              "applicant.period_of_stay.indefinite", "true or false");
}

BOOST_AUTO_TEST_CASE(strict_json) {
  for (const char* bad : {R"({"procedures": [],})", "{\"a\": 1} // c", "{'a': 1}",
                          R"({"photo_size": 012})", "", "[1, 2"}) {
    const auto v = parse_errors(bad, FormFormat::kJson);
    CHECK_NAMES(v, "(document)", "JSON syntax error");
  }
  CHECK_NAMES(parse_errors("[]", FormFormat::kJson), "(document)", "mapping");
  CHECK_NAMES(parse_errors(R"({"photo_size": -3})", FormFormat::kJson), "photo_size", "integer");
  CHECK_NAMES(parse_errors(R"({"applicant": {"email": "a\u0000b"}})", FormFormat::kJson),
              "applicant.email", "control");
}

BOOST_AUTO_TEST_CASE(yaml_syntax_errors_carry_the_line) {
  const auto v = parse_errors("applicant:\n  birth_date: [1994\n", FormFormat::kYaml);
  CHECK_NAMES(v, "(document)", "line");
  CHECK_NAMES(parse_errors("a: 1\n---\nb: 2\n", FormFormat::kYaml), "(document)",
              "exactly one YAML document");
  // libyaml refuses a text that is not UTF-8 as a whole; escapes reach the field checks.
  CHECK_NAMES(parse_errors("applicant: {email: \"\xff\xfe\"}\n", FormFormat::kYaml), "(document)",
              "line 1, column 21: invalid leading UTF-8 octet");
  CHECK_NAMES(parse_errors("applicant: {email: \"a\\x01b\"}\n", FormFormat::kYaml),
              "applicant.email", "control");
}

// fuzz_form finding: yaml-cpp 0.7's LoadAll never returned on a node followed
// by a stray comma (fuzz/corpus/fuzz_form regression inputs).
BOOST_AUTO_TEST_CASE(trailing_comma_after_a_node_ends) {
  for (const char* text : {"{a},", "[],", "\"a\","}) {
    const auto v = parse_errors(text, FormFormat::kYaml);
    BOOST_TEST(!v.empty(), text);
  }
}

BOOST_AUTO_TEST_CASE(hostile_documents_stay_cheap) {
  CHECK_NAMES(parse_errors(std::string(40, '[') + std::string(40, ']'), FormFormat::kJson),
              "[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0]", "nested too deeply");
  std::string deep;  // libyaml has no nesting limit; the reader stops below 16 levels
  for (int i = 0; i < 17; ++i) deep += "[0]";
  CHECK_NAMES(parse_errors(std::string(3000, '[') + std::string(3000, ']'), FormFormat::kYaml),
              deep, "nested too deeply");
  CHECK_NAMES(parse_errors(std::string(1024 * 1024, '['), FormFormat::kYaml), deep,
              "nested too deeply");
  // Aliases: 10 levels of 10 references would expand to 10^10 nodes.
  std::string bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i <= 10; ++i) {
    const std::string p = "*a" + std::to_string(i - 1);
    bomb += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [" + p;
    for (int k = 0; k < 9; ++k) bomb += ", " + p;
    bomb += "]\n";
  }
  const auto v = parse_errors(bomb, FormFormat::kYaml);
  BOOST_TEST(dump(v).find("too many nodes") != std::string::npos, dump(v));
  CHECK_NAMES(parse_errors(std::string(2 * 1024 * 1024, ' '), FormFormat::kYaml), "(document)",
              "1 MiB");
}

// An alias means the latest node with its anchor before it.
BOOST_AUTO_TEST_CASE(anchors_and_aliases) {
  const auto form = parse_form(
      "applicant: {birth_date: &d 1994-05-12, stay_expires_on: &d 2027-06-30, email: *d}\n",
      FormFormat::kYaml);
  BOOST_TEST(form.applicant.email == "2027-06-30");
  CHECK_NAMES(parse_errors("postal_address: *nowhere\n", FormFormat::kYaml), "(document)",
              "line 1, column 17: the referenced anchor is not defined");
  CHECK_NAMES(parse_errors("procedures: &p [*p]\n", FormFormat::kYaml), "procedures[0]",
              "nested too deeply");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(validation)

BOOST_AUTO_TEST_CASE(minimal_form_is_valid) {
  BOOST_TEST(validate_form(parse_form(kMinimal, FormFormat::kYaml)).empty());
}

BOOST_AUTO_TEST_CASE(required_fields) {
  const auto v = validate_form(parse_form("{}", FormFormat::kJson));
  CHECK_NAMES(v, "applicant.birth_date", "required");
  CHECK_NAMES(v, "procedures", "at least one");
  CHECK_NAMES(v, "postal_address", "delivery by post");
  BOOST_TEST(v.size() == 3u, dump(v));
}

BOOST_AUTO_TEST_CASE(calendar_dates) {
  BOOST_TEST(is_calendar_date("2024-02-29"));
  BOOST_TEST(!is_calendar_date("2023-02-29"));
  BOOST_TEST(!is_calendar_date("2023-04-31"));
  BOOST_TEST(!is_calendar_date("2023-13-01"));
  BOOST_TEST(!is_calendar_date("2023-1-01"));
  BOOST_TEST(!is_calendar_date("2023/01/01"));
  auto form = parse_form(kMinimal, FormFormat::kYaml);
  form.applicant.birth_date = "1990-02-30";
  form.applicant.stay_expires_on = "tomorrow";
  const auto v = validate_form(form);
  CHECK_NAMES(v, "applicant.birth_date", "calendar date");
  CHECK_NAMES(v, "applicant.stay_expires_on", "calendar date");
}

BOOST_AUTO_TEST_CASE(duplicate_procedures_in_either_language) {
  const auto form = parse_form(
      "applicant: {birth_date: 1994-05-12}\ndelivery: counter\n"
      "procedures: [extension_of_stay, reentry_permit, 在留期間更新]\n",
      FormFormat::kYaml);
  const auto v = validate_form(form);
  CHECK_NAMES(v, "procedures[2]", "listed twice");
  BOOST_TEST(v.size() == 1u);
}

BOOST_AUTO_TEST_CASE(empty_status_name) {
  const auto v =
      parse_errors("applicant: {status: {designation: 出国準備期間}}\n", FormFormat::kYaml);
  CHECK_NAMES(v, "applicant.status.name", "required");
}

BOOST_AUTO_TEST_CASE(attachments_names_and_sizes) {
  auto form = parse_form(kMinimal + R"(
photo_size: 26214000
attachments:
  - a.pdf
  - {path: b.pdf, file_name: "run.EXE. "}
  - {path: c.pdf, file_name: x.svg}
)",
                         FormFormat::kYaml);
  form.attachments[0].content.assign(1000, 'x');
  form.attachments.push_back({"", "d.pdf", "application/pdf", {}});
  const auto v = validate_form(form);
  CHECK_NAMES(v, "attachments[1].file_name", ".exe");
  CHECK_NAMES(v, "attachments[2].file_name", ".svg");
  CHECK_NAMES(v, "attachments[3].path", "required");
  CHECK_NAMES(v, "attachments", "25 MiB");
  BOOST_TEST(form.attachments[0].file_name == "a.pdf");
  CHECK_NAMES(parse_errors("attachments: [{file_name: d.pdf}]\n", FormFormat::kYaml),
              "attachments[0].path", "required");
}

BOOST_AUTO_TEST_CASE(warnings_for_error_files) {
  auto form = parse_form(kMinimal + "attachments: [a.pdf, b.docx]\n", FormFormat::kYaml);
  const std::string text = "not a pdf";
  form.attachments[0].content.assign(text.begin(), text.end());
  const auto w = attachment_warnings(form);
  CHECK_NAMES(w, "attachments[0].path", "%PDF-");
  CHECK_NAMES(w, "attachments[1].file_name", "not a .pdf");
  CHECK_NAMES(w, "attachments", "more than one");
  BOOST_TEST(validate_form(form).empty(), dump(validate_form(form)));
}

// The violations of load_attachments for a form naming one attachment.
std::vector<FieldViolation> attachment_errors(const std::string& path) {
  auto form = parse_form(kMinimal + "attachments: [{path: \"" + path + "\"}]\n", FormFormat::kYaml);
  try {
    load_attachments(form, kForms);
  } catch (const FormError& e) {
    return e.violations();
  }
  return {};
}

BOOST_AUTO_TEST_CASE(unreadable_attachment_names_its_path) {
  CHECK_NAMES(attachment_errors("no-such.pdf"), "attachments[0].path", "no-such.pdf");
  CHECK_NAMES(attachment_errors("."), "attachments[0].path", "not a readable file");
  BOOST_TEST(attachment_errors("employment-certificate.pdf").empty());
  BOOST_CHECK_THROW(load_form_file(kForms + "/no-such-form.yaml"), FormError);
  BOOST_CHECK_THROW(load_form_file(kForms), FormError);
}

BOOST_AUTO_TEST_SUITE_END()
