// The rule catalog: ids unique, sources named, dated ranges follow the virtual date.
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <boost/test/unit_test.hpp>

#include "emulator/online/rule_catalog.h"
#include "emulator/online/tests/test_dates.h"

namespace zairyu::online {
namespace {

using test::D;

BOOST_AUTO_TEST_SUITE(rule_catalog)

BOOST_AUTO_TEST_CASE(ids_unique_sorted_and_sourced) {
  std::set<std::string_view> ids;
  std::string_view previous;
  for (const RuleInfo& r : AllRules()) {
    BOOST_TEST(ids.insert(r.id).second, r.id);
    BOOST_TEST((previous < r.id), r.id);
    BOOST_TEST(!r.source.empty(), r.id);
    BOOST_TEST(!r.description.empty(), r.id);
    previous = r.id;
  }
  BOOST_TEST(FindRule("RAS-NOPE-001") == nullptr);
  BOOST_TEST(!RuleInForce("RAS-NOPE-001", D(2025, 1, 1)));
}

// Every rule has a test: its id appears in a test file other than this one.
BOOST_AUTO_TEST_CASE(every_rule_is_cited_by_a_test) {
  std::string all;
  for (const auto& entry : std::filesystem::directory_iterator(ZAIRYU_ONLINE_TEST_DIR)) {
    const auto name = entry.path().filename().string();
    if (!name.ends_with("_test.cpp") || name == "rule_catalog_test.cpp") continue;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    all += text.str();
  }
  for (const RuleInfo& r : AllRules()) {
    BOOST_TEST(all.find(r.id) != std::string::npos, r.id << " has no test");
  }
}

// RAS-OPEN-001: 2019-07-25 opening.
BOOST_AUTO_TEST_CASE(ras_open_001_boundaries) {
  BOOST_TEST(!RuleInForce("RAS-OPEN-001", D(2019, 7, 24)));
  BOOST_TEST(RuleInForce("RAS-OPEN-001", D(2019, 7, 25)));
}

// RAS-ATT-001 / RAS-ATT-002: the 2026-01-05 switch of the attachment rules.
BOOST_AUTO_TEST_CASE(ras_att_001_002_switch_on_2026_01_05) {
  BOOST_TEST(RuleInForce("RAS-ATT-001", D(2026, 1, 4)));
  BOOST_TEST(!RuleInForce("RAS-ATT-002", D(2026, 1, 4)));
  BOOST_TEST(!RuleInForce("RAS-ATT-001", D(2026, 1, 5)));
  BOOST_TEST(RuleInForce("RAS-ATT-002", D(2026, 1, 5)));
}

BOOST_AUTO_TEST_CASE(reject_carries_rule_and_reason) {
  const Rejection r =
      Reject("RAS-ELIG-003", "APPLICANT_UNDER_15", ErrorCategory::kPermissionDenied, "under 15");
  BOOST_TEST(r.rule_id == "RAS-ELIG-003");
  BOOST_TEST(r.reason == "APPLICANT_UNDER_15");
  BOOST_TEST((r.category == ErrorCategory::kPermissionDenied));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace zairyu::online
