// The JSON columns: every field and every enum value survives a round trip,
// and a stored value that does not decode is an error, not a default.
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include "emulator/storage/record_codec.h"
#include "emulator/storage/tests/test_support.h"

namespace zairyu::storage {
namespace {

using namespace online;
using test::D;

ApplicationRecord Full() {
  ApplicationRecord a;
  a.id = "P20250801-000001";
  a.receipt_number = "東オンＥＮ25000001";
  a.user_id = "user \"1\"\n";
  a.user_email = "u@example.jp";
  a.applicant_email = "s@example.jp";
  a.postal_address = "東京都新宿区1-1";
  a.request.filer = {UserCategory::kRelative, true};
  a.request.applicant = {
      D(2000, 2, 29), {"特定活動", "出国準備期間"}, {1, 2, 3, true}, D(2025, 9, 30), "入院中"};
  a.request.procedures = {Procedure::kCertificateOfEligibility, Procedure::kChangeOfStatus,
                          Procedure::kExtensionOfStay,          Procedure::kAcquisitionOfStatus,
                          Procedure::kEmploymentCertificate,    Procedure::kReentryPermit,
                          Procedure::kOtherActivityPermission};
  a.request.requested_status = {"技能実習", "団体監理型"};
  a.request.coe_receipt = CoeReceipt::kEmail;
  a.delivery = CardDelivery::kCounter;
  a.attachments = {{"a.pdf", FileStatus::kAccepted, "", ""},
                   {"b.pdf", FileStatus::kErrorFile, "PDF_PROTECTED", "RAS-ATT-004"}};
  a.state = ApplicationState::kMaterialRequested;
  a.submitted_at = JstTime(D(2025, 8, 1), 15);
  a.receipt_due_at = JstTime(D(2025, 8, 2), 2, 10);
  a.decided_at = JstTime(D(2025, 9, 1), 9);
  return a;
}

BOOST_AUTO_TEST_SUITE(record_codec)

BOOST_AUTO_TEST_CASE(application_round_trips_every_field) {
  const ApplicationRecord a = Full();
  const std::string json = EncodeApplication(a);
  const ApplicationRecord b = DecodeApplication(json);
  BOOST_TEST(EncodeApplication(b) == json);
  BOOST_TEST(b.user_id == a.user_id);
  BOOST_TEST((b.request.applicant.birth_date == D(2000, 2, 29)));
  BOOST_TEST(b.request.applicant.period_of_stay.indefinite);
  BOOST_TEST(b.request.procedures.size() == 7u);
  BOOST_TEST((b.decided_at == a.decided_at));
  BOOST_TEST(b.attachments[1].rule_id == "RAS-ATT-004");

  ApplicationRecord empty;  // optionals absent, dates value-initialized
  empty.id = "x";
  empty.request.applicant.birth_date = Date{};
  const ApplicationRecord e = DecodeApplication(EncodeApplication(empty));
  BOOST_TEST(!e.receipt_number.has_value());
  BOOST_TEST(!e.decided_at.has_value());
  BOOST_TEST(!e.request.applicant.stay_expires_on.has_value());
  BOOST_TEST((e.request.applicant.birth_date == Date{}));
}

BOOST_AUTO_TEST_CASE(every_enum_value_round_trips) {
  for (auto s : {ApplicationState::kProvisional, ApplicationState::kReceived,
                 ApplicationState::kMaterialRequested, ApplicationState::kApproved,
                 ApplicationState::kRefused, ApplicationState::kCompleted}) {
    ApplicationRecord a = Full();
    a.state = s;
    BOOST_TEST((DecodeApplication(EncodeApplication(a)).state == s));
  }
  for (auto c : {UserCategory::kOrganizationStaff, UserCategory::kLawyerOrScrivener,
                 UserCategory::kPublicInterestCorpStaff, UserCategory::kRegisteredSupportOrgStaff,
                 UserCategory::kForeignNational, UserCategory::kLegalRepresentative,
                 UserCategory::kRelative}) {
    Account a;
    a.credentials.category = c;
    a.password_set_on = D(2025, 1, 1);
    BOOST_TEST((DecodeAccount(EncodeAccount(a)).credentials.category == c));
    // The stored name is the core's.
    BOOST_TEST(EncodeAccount(a).find(CategoryName(c)) != std::string::npos);
  }
  for (auto ch : {Channel::kEmail, Channel::kPost}) {
    BOOST_TEST((ParseChannel(ChannelName(ch)) == ch));
  }
}

BOOST_AUTO_TEST_CASE(account_round_trips_every_field) {
  Account a{"org-1", "hr@example.co.jp", {}, "pbkdf2$abc", D(2025, 4, 1), true, false, true};
  a.credentials = {UserCategory::kRegisteredSupportOrgStaff,
                   true,
                   true,
                   true,
                   true,
                   true,
                   OrganizationApproval{D(2025, 4, 1), {D(2026, 3, 1), D(2027, 3, 1)}},
                   true};
  const std::string json = EncodeAccount(a);
  const Account b = DecodeAccount(json);
  BOOST_TEST(EncodeAccount(b) == json);
  BOOST_TEST(b.credentials.approval->reports_approved_on.size() == 2u);
  BOOST_TEST(b.password_reminded_30);
  BOOST_TEST(!b.password_reminded_7);
  a.reset_code_hash = "pbkdf2$code";
  a.reset_expires_at = Instant{std::chrono::seconds{1'700'000'000}};
  const Account c = DecodeAccount(EncodeAccount(a));
  BOOST_TEST(c.reset_code_hash == "pbkdf2$code");
  BOOST_TEST((c.reset_expires_at == a.reset_expires_at));
}

// A record written before the reset fields existed still decodes.
BOOST_AUTO_TEST_CASE(account_without_reset_fields_decodes) {
  const Account a{"u", "e@example.jp", {}, "h", D(2025, 4, 1)};
  nlohmann::json j = nlohmann::json::parse(EncodeAccount(a));
  j.erase("reset_code_hash");
  j.erase("reset_expires_at");
  const Account b = DecodeAccount(j.dump());
  BOOST_TEST(b.reset_code_hash.empty());
  BOOST_TEST(!b.reset_expires_at.has_value());
}

BOOST_AUTO_TEST_CASE(notification_round_trips_every_field) {
  NotificationRecord n;
  n.id = "N20260210-000001";
  n.user_id = "u";
  n.user_email = "e@example.jp";
  n.request = {NotificationKind::kSswPeriodic,
               NotificationEvent::kPeriodicReport,
               D(2026, 3, 31),
               {"特定技能", "1号"},
               "株式会社",
               {{"k", "v"}, {"x", "y"}}};
  n.filed_at = Instant{std::chrono::seconds{1'800'000'000}};
  n.deadline = D(2026, 5, 31);
  n.late = true;
  const std::string json = EncodeNotification(n);
  const NotificationRecord m = DecodeNotification(json);
  BOOST_TEST(EncodeNotification(m) == json);
  BOOST_TEST(m.request.fields.at("x") == "y");
  BOOST_TEST(m.late);
  BOOST_CHECK_THROW(DecodeNotification(R"({"id":"N1"})"), CodecError);
}

BOOST_AUTO_TEST_CASE(bad_stored_values_are_errors) {
  BOOST_CHECK_THROW(DecodeApplication("{}"), CodecError);
  BOOST_CHECK_THROW(DecodeApplication("not json"), CodecError);
  std::string json = EncodeApplication(Full());
  const std::string bad_state =
      std::string(json).replace(json.find("MATERIAL_REQUESTED"), 18, "LOST");
  BOOST_CHECK_THROW(DecodeApplication(bad_state), CodecError);
  const std::string bad_date =
      std::string(json).replace(json.find("2000-02-29"), 10, "2000-Feb-29");
  BOOST_CHECK_THROW(DecodeApplication(bad_date), CodecError);
  BOOST_CHECK_THROW(ParseChannel("FAX"), CodecError);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace zairyu::storage
