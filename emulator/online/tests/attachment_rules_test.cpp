// Attachments: RAS-ATT-001..005.
#include <boost/test/unit_test.hpp>

#include "emulator/online/attachment_rules.h"
#include "emulator/online/tests/test_dates.h"

namespace zairyu::online {
namespace {

using test::D;

const Date kOld = D(2026, 1, 4);
const Date kNew = D(2026, 1, 5);

std::vector<std::uint8_t> Pdf(std::string_view extra = "") {
  std::string s = "%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n";
  s += extra;
  s += "trailer << /Root 1 0 R >>\n%%EOF\n";
  return {s.begin(), s.end()};
}

std::vector<std::uint8_t> Bytes(std::string_view s) { return {s.begin(), s.end()}; }

std::string ReasonOf(const Result<std::vector<FileVerdict>>& r) {
  return r.ok() ? "passed" : r.rejection().reason + " " + r.rejection().rule_id;
}

BOOST_AUTO_TEST_SUITE(attachment_rules)

// RAS-ATT-001: before 2026-01-05, one PDF of at most 10 MB.
BOOST_AUTO_TEST_CASE(ras_att_001_one_pdf_up_to_10mb) {
  const auto pdf = Pdf();
  BOOST_TEST(ReasonOf(CheckAttachments({0, {{"a.pdf", pdf}}}, kOld)) == "passed");
  BOOST_TEST(ReasonOf(CheckAttachments({0, {}}, kOld)) == "passed");
  const auto two = CheckAttachments({0, {{"a.pdf", pdf}, {"b.pdf", pdf}}}, kOld);
  BOOST_TEST(ReasonOf(two) == "TOO_MANY_ATTACHMENTS RAS-ATT-001");
  BOOST_TEST((two.rejection().category == ErrorCategory::kInvalidArgument));
  BOOST_TEST(ReasonOf(CheckAttachments({0, {{"a.docx", pdf}}}, kOld)) ==
             "ATTACHMENT_NOT_PDF RAS-ATT-001");
  std::vector<std::uint8_t> big(kOldSystemFileLimit, ' ');
  std::copy_n("%PDF-", 5, big.begin());
  BOOST_TEST(ReasonOf(CheckAttachments({0, {{"a.pdf", big}}}, kOld)) == "passed");
  big.push_back(' ');
  const auto over = CheckAttachments({0, {{"a.pdf", big}}}, kOld);
  BOOST_TEST(ReasonOf(over) == "ATTACHMENT_TOO_LARGE RAS-ATT-001");
  BOOST_TEST(over.rejection().field_violations[0].field == "files[0].content");
}

// RAS-ATT-002: from 2026-01-05, several files up to 25 MB with the photo.
BOOST_AUTO_TEST_CASE(ras_att_002_several_files_25mb_total) {
  const auto pdf = Pdf();
  const auto jpg = Bytes("\xff\xd8\xff\xe0 jpeg");
  BOOST_TEST(ReasonOf(CheckAttachments({0, {{"a.pdf", pdf}, {"b.jpg", jpg}}}, kNew)) == "passed");
  std::vector<std::uint8_t> big(kNewSystemTotalLimit - 1000, ' ');
  BOOST_TEST(ReasonOf(CheckAttachments({1000, {{"a.png", big}}}, kNew)) == "passed");
  const auto over = CheckAttachments({1001, {{"a.png", big}}}, kNew);
  BOOST_TEST(ReasonOf(over) == "ATTACHMENTS_TOO_LARGE RAS-ATT-002");
  // The day before the switch the same upload breaks the old rules.
  BOOST_TEST(ReasonOf(CheckAttachments({0, {{"a.pdf", pdf}, {"b.jpg", jpg}}}, kOld)) ==
             "ATTACHMENT_NOT_PDF RAS-ATT-001");
}

// RAS-ATT-003: a .pdf that is not a PDF is an error file, not a refusal.
BOOST_AUTO_TEST_CASE(ras_att_003_not_a_pdf_is_error_file) {
  const auto fake = Bytes("PK\x03\x04 this is a zip");
  const auto r = CheckAttachments({0, {{"a.pdf", fake}}}, kOld);
  BOOST_REQUIRE(r.ok());
  BOOST_TEST((r.value()[0].status == FileStatus::kErrorFile));
  BOOST_TEST(r.value()[0].error == "NOT_A_PDF");
  BOOST_TEST(r.value()[0].rule_id == "RAS-ATT-003");
  BOOST_TEST(HasPdfHeader(Bytes("\r\n\r\n%PDF-1.4")));
  BOOST_TEST(!HasPdfHeader(Bytes("%PDF")));
  std::vector<std::uint8_t> late(1024, ' ');
  const auto tail = Bytes("%PDF-1.4");
  late.insert(late.end(), tail.begin(), tail.end());
  BOOST_TEST(!HasPdfHeader(late));
}

// RAS-ATT-004: protected PDFs are error files.
BOOST_AUTO_TEST_CASE(ras_att_004_protected_pdf_is_error_file) {
  const auto enc = Pdf("trailer << /Root 1 0 R /Encrypt 5 0 R >>\n");
  const auto r = CheckAttachments({0, {{"scan.PDF", enc}}}, kNew);
  BOOST_REQUIRE(r.ok());
  BOOST_TEST((r.value()[0].status == FileStatus::kErrorFile));
  BOOST_TEST(r.value()[0].error == "PDF_PROTECTED");
  BOOST_TEST(r.value()[0].rule_id == "RAS-ATT-004");
  // An xref stream dictionary, an escaped name, and near misses.
  BOOST_TEST(PdfIsProtected(Pdf("9 0 obj<</Type/XRef/Encrypt 7 0 R/Size 9>>stream")));
  BOOST_TEST(PdfIsProtected(Pdf("<</Encr#79pt 7 0 R>>")));
  BOOST_TEST(!PdfIsProtected(Pdf("<</EncryptMetadata false>>")));
  BOOST_TEST(!PdfIsProtected(Pdf("<</Encryp 1>>")));
  BOOST_TEST(!PdfIsProtected(Pdf()));
  BOOST_TEST(PdfIsProtected(Bytes("/Encrypt")));
  BOOST_TEST(!PdfIsProtected(Bytes("/Encr#7")));
}

// RAS-ATT-005: blocked extensions, in any case and with trailing dots.
BOOST_AUTO_TEST_CASE(ras_att_005_blocked_extensions) {
  const auto pdf = Pdf();
  for (std::string_view name : {"x.exe", "X.ZIP", "evil.js", "a.pdf.exe", "run.exe. ", "img.svg"}) {
    const auto r = CheckAttachments({0, {{std::string(name), pdf}}}, kNew);
    BOOST_TEST(ReasonOf(r) == "ATTACHMENT_TYPE_BLOCKED RAS-ATT-005", name);
  }
  BOOST_TEST(ReasonOf(CheckAttachments({0, {{"", pdf}}}, kNew)) ==
             "ATTACHMENT_NAME_MISSING RAS-ATT-005");
  BOOST_TEST(!IsBlockedExtension("exe"));  // no dot: no extension
  BOOST_TEST(FileExtension("A.Tar.GZ") == "gz");
  // Every bad file gets its own field violation.
  const auto r = CheckAttachments({0, {{"a.exe", pdf}, {"b.pdf", pdf}, {"c.bat", pdf}}}, kNew);
  BOOST_REQUIRE(!r.ok());
  BOOST_REQUIRE(r.rejection().field_violations.size() == 2u);
  BOOST_TEST(r.rejection().field_violations[1].field == "files[2].file_name");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace zairyu::online
