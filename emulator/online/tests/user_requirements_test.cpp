// What each user category needs: RAS-OPEN-001/002, RAS-USER-001..005, 007.
#include <boost/test/unit_test.hpp>

#include "emulator/online/tests/test_dates.h"
#include "emulator/online/user_requirements.h"

namespace zairyu::online {
namespace {

using test::D;

UserCredentials Individual(UserCategory c) {
  UserCredentials u;
  u.category = c;
  u.card_has_signature_cert = true;
  u.card_has_auth_cert = true;
  u.has_residence_card = true;
  return u;
}

UserCredentials Staff(UserCategory c) {
  UserCredentials u;
  u.category = c;
  u.approval = OrganizationApproval{D(2025, 6, 1), {}};
  u.requested_by_organization = true;
  return u;
}

std::string RuleOf(const Check& c) { return c ? c->rule_id : "passed"; }

BOOST_AUTO_TEST_SUITE(user_requirements)

BOOST_AUTO_TEST_CASE(complete_users_pass) {
  const Date today = D(2025, 7, 1);
  for (auto c : {UserCategory::kForeignNational, UserCategory::kLegalRepresentative,
                 UserCategory::kRelative}) {
    BOOST_TEST(RuleOf(CheckUserRequirements(Individual(c), today)) == "passed");
  }
  for (auto c : {UserCategory::kOrganizationStaff, UserCategory::kPublicInterestCorpStaff,
                 UserCategory::kRegisteredSupportOrgStaff}) {
    BOOST_TEST(RuleOf(CheckUserRequirements(Staff(c), today)) == "passed");
  }
  UserCredentials lawyer;
  lawyer.category = UserCategory::kLawyerOrScrivener;
  lawyer.has_notification_certificate = true;
  BOOST_TEST(RuleOf(CheckUserRequirements(lawyer, today)) == "passed");
}

// RAS-OPEN-001: nobody before 2019-07-25.
BOOST_AUTO_TEST_CASE(ras_open_001_organizations_from_2019_07_25) {
  UserCredentials s = Staff(UserCategory::kOrganizationStaff);
  s.approval = OrganizationApproval{D(2019, 7, 1), {}};
  const Check c = CheckUserRequirements(s, D(2019, 7, 24));
  BOOST_TEST(RuleOf(c) == "RAS-OPEN-001");
  BOOST_TEST(c->reason == "USER_CATEGORY_NOT_YET_SUPPORTED");
  BOOST_TEST(RuleOf(CheckUserRequirements(s, D(2019, 7, 25))) == "passed");
}

// RAS-OPEN-002: individuals, representatives and relatives from 2022-03-16.
BOOST_AUTO_TEST_CASE(ras_open_002_individuals_from_2022_03_16) {
  for (auto cat : {UserCategory::kForeignNational, UserCategory::kLegalRepresentative,
                   UserCategory::kRelative}) {
    BOOST_TEST(RuleOf(CheckUserRequirements(Individual(cat), D(2022, 3, 15))) == "RAS-OPEN-002");
    BOOST_TEST(RuleOf(CheckUserRequirements(Individual(cat), D(2022, 3, 16))) == "passed");
  }
}

// RAS-USER-001: both certificates on the card.
BOOST_AUTO_TEST_CASE(ras_user_001_card_with_both_certificates) {
  UserCredentials u = Individual(UserCategory::kForeignNational);
  u.card_has_signature_cert = false;
  const Check c = CheckUserRequirements(u, D(2025, 1, 1));
  BOOST_TEST(RuleOf(c) == "RAS-USER-001");
  BOOST_TEST(c->reason == "MY_NUMBER_CARD_REQUIRED");
  u = Individual(UserCategory::kRelative);
  u.card_has_auth_cert = false;
  BOOST_TEST(RuleOf(CheckUserRequirements(u, D(2025, 1, 1))) == "RAS-USER-001");
}

// RAS-USER-002: residence card for 本人; for a relative only if mid/long-term.
BOOST_AUTO_TEST_CASE(ras_user_002_residence_card) {
  UserCredentials u = Individual(UserCategory::kForeignNational);
  u.has_residence_card = false;
  BOOST_TEST(RuleOf(CheckUserRequirements(u, D(2025, 1, 1))) == "RAS-USER-002");
  UserCredentials r = Individual(UserCategory::kRelative);
  r.has_residence_card = false;  // e.g. a Japanese spouse
  BOOST_TEST(RuleOf(CheckUserRequirements(r, D(2025, 1, 1))) == "passed");
  r.filer_is_mid_long_term_resident = true;
  BOOST_TEST(RuleOf(CheckUserRequirements(r, D(2025, 1, 1))) == "RAS-USER-002");
}

// RAS-USER-003: lawyers and scriveners need the 届出済証明書.
BOOST_AUTO_TEST_CASE(ras_user_003_notification_certificate) {
  UserCredentials u;
  u.category = UserCategory::kLawyerOrScrivener;
  BOOST_TEST(RuleOf(CheckUserRequirements(u, D(2025, 1, 1))) == "RAS-USER-003");
}

// RAS-USER-004: staff need an approval.
BOOST_AUTO_TEST_CASE(ras_user_004_approval_required) {
  UserCredentials u = Staff(UserCategory::kOrganizationStaff);
  u.approval.reset();
  const Check c = CheckUserRequirements(u, D(2025, 7, 1));
  BOOST_TEST(RuleOf(c) == "RAS-USER-004");
  BOOST_TEST(c->reason == "ORGANIZATION_APPROVAL_REQUIRED");
}

// RAS-USER-005: login stops on the expiry day.
BOOST_AUTO_TEST_CASE(ras_user_005_approval_expired) {
  const UserCredentials u = Staff(UserCategory::kOrganizationStaff);  // expires 2026-06-01
  BOOST_TEST(RuleOf(CheckUserRequirements(u, D(2026, 5, 31))) == "passed");
  const Check c = CheckUserRequirements(u, D(2026, 6, 1));
  BOOST_TEST(RuleOf(c) == "RAS-USER-005");
  BOOST_TEST(c->reason == "ORGANIZATION_APPROVAL_EXPIRED");
}

// RAS-USER-007: support bodies need the organization's request.
BOOST_AUTO_TEST_CASE(ras_user_007_request_from_organization) {
  for (auto cat :
       {UserCategory::kPublicInterestCorpStaff, UserCategory::kRegisteredSupportOrgStaff}) {
    UserCredentials u = Staff(cat);
    u.requested_by_organization = false;
    BOOST_TEST(RuleOf(CheckUserRequirements(u, D(2025, 7, 1))) == "RAS-USER-007");
  }
  UserCredentials own = Staff(UserCategory::kOrganizationStaff);
  own.requested_by_organization = false;
  BOOST_TEST(RuleOf(CheckUserRequirements(own, D(2025, 7, 1))) == "passed");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace zairyu::online
