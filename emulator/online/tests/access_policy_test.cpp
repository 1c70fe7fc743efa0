// Network origin: IP/CIDR parsing, the geo table, RAS-ACC-001 and RAS-ACC-002.
#include <boost/test/unit_test.hpp>

#include "emulator/online/access_policy.h"

namespace zairyu::online {
namespace {

constexpr std::string_view kTable = R"(# test geo table
203.0.113.0/24 JP
203.0.113.128/25 US   # a foreign block inside a Japanese one
- 198.51.100.0/24 JP
"2001:db8::/32": JP
2001:db8:f::/48 DE
10.0.0.0/8 JP
)";

GeoTable Table() {
  auto t = ParseGeoTable(kTable);
  BOOST_REQUIRE(t.ok());
  return t.value();
}

AccessPolicy Policy() { return AccessPolicy(Table(), {*ParseCidr("10.0.0.0/8")}); }

BOOST_AUTO_TEST_SUITE(access_policy)

BOOST_AUTO_TEST_CASE(parses_addresses_and_peers) {
  BOOST_TEST(ParseIp("203.0.113.7")->ToString() == "203.0.113.7");
  BOOST_TEST(ParseIp("2001:db8::1")->ToString() == "2001:db8::1");
  BOOST_TEST(!ParseIp("203.0.113.7:80").has_value());
  BOOST_TEST(!ParseIp("").has_value());
  BOOST_TEST(ParsePeer("ipv4:203.0.113.7:5000")->ToString() == "203.0.113.7");
  BOOST_TEST(ParsePeer("ipv6:[2001:db8::1]:443")->ToString() == "2001:db8::1");
  BOOST_TEST(ParsePeer("2001:db8::1")->ToString() == "2001:db8::1");
  BOOST_TEST(!ParsePeer("[2001:db8::1").has_value());
  BOOST_TEST(!ParsePeer("example.com:80").has_value());
  BOOST_TEST(ParseCidr("203.0.113.77/24")->ToString() == "203.0.113.0/24");
  BOOST_TEST(!ParseCidr("203.0.113.0/33").has_value());
  BOOST_TEST(!ParseCidr("203.0.113.0/").has_value());
  BOOST_TEST(ParseCidr("::/0")->Contains(*ParseIp("203.0.113.1")));
}

BOOST_AUTO_TEST_CASE(geo_table_longest_prefix) {
  const GeoTable t = Table();
  BOOST_TEST(t.entries().size() == 6u);
  BOOST_TEST(*t.CountryOf(*ParseIp("203.0.113.5")) == "JP");
  BOOST_TEST(*t.CountryOf(*ParseIp("203.0.113.200")) == "US");
  BOOST_TEST(*t.CountryOf(*ParseIp("2001:db8:1::1")) == "JP");
  BOOST_TEST(*t.CountryOf(*ParseIp("2001:db8:f::1")) == "DE");
  BOOST_TEST(*t.CountryOf(*ParseIp("::ffff:203.0.113.5")) == "JP");  // mapped IPv4
  BOOST_TEST(!t.CountryOf(*ParseIp("192.0.2.1")).has_value());
}

BOOST_AUTO_TEST_CASE(geo_table_errors_name_lines) {
  const auto t = ParseGeoTable("203.0.113.0/24 JP\nnonsense\n1.2.3.0/24 jp\n");
  BOOST_REQUIRE(!t.ok());
  BOOST_TEST(t.rejection().reason == "GEO_TABLE_INVALID");
  BOOST_REQUIRE(t.rejection().field_violations.size() == 2u);
  BOOST_TEST(t.rejection().field_violations[0].field == "line 2");
  BOOST_TEST(t.rejection().field_violations[1].field == "line 3");
}

BOOST_AUTO_TEST_CASE(geo_table_set_and_remove) {
  GeoTable t = Table();
  t.Set(*ParseCidr("192.0.2.0/24"), "JP");
  BOOST_TEST(*t.CountryOf(*ParseIp("192.0.2.9")) == "JP");
  t.Set(*ParseCidr("192.0.2.0/24"), "FR");
  BOOST_TEST(*t.CountryOf(*ParseIp("192.0.2.9")) == "FR");
  BOOST_TEST(t.Remove(*ParseCidr("192.0.2.0/24")));
  BOOST_TEST(!t.Remove(*ParseCidr("192.0.2.0/24")));
}

// RAS-ACC-001: Japan passes; abroad and unknown are refused.
BOOST_AUTO_TEST_CASE(ras_acc_001_foreign_and_unknown_refused) {
  const AccessPolicy p = Policy();
  const auto ok = p.Check("ipv4:203.0.113.5:1234", "");
  BOOST_REQUIRE(ok.ok());
  BOOST_TEST(ok.value().country == "JP");
  for (std::string_view peer :
       {"ipv4:203.0.113.200:1", "ipv6:[2001:db8:f::1]:1", "ipv4:192.0.2.1:1", "garbage"}) {
    const auto r = p.Check(peer, "");
    BOOST_REQUIRE(!r.ok());
    BOOST_TEST(r.rejection().reason == "ACCESS_FROM_OUTSIDE_JAPAN");
    BOOST_TEST(r.rejection().rule_id == "RAS-ACC-001");
    BOOST_TEST((r.rejection().category == ErrorCategory::kPermissionDenied));
  }
}

// RAS-ACC-002: forwarded-for only from a trusted proxy, right-most untrusted hop.
BOOST_AUTO_TEST_CASE(ras_acc_002_forwarded_for_from_trusted_proxies_only) {
  const AccessPolicy p = Policy();
  // An untrusted Japanese peer cannot claim another address.
  BOOST_TEST(p.Check("203.0.113.5", "203.0.113.200").ok());
  // A trusted proxy forwards a foreign client: refused.
  BOOST_TEST(!p.Check("10.0.0.1", "203.0.113.200").ok());
  // The client spoofs a Japanese address on the left; the right-most untrusted wins.
  const auto spoof = p.Check("10.0.0.1", "203.0.113.5, 203.0.113.200, 10.0.0.2");
  BOOST_REQUIRE(!spoof.ok());
  BOOST_TEST(spoof.rejection().message.find("203.0.113.200") != std::string::npos);
  const auto ok = p.Check("10.0.0.1", "203.0.113.200, 203.0.113.5 , 10.0.0.2");
  BOOST_REQUIRE(ok.ok());
  BOOST_TEST(ok.value().client.ToString() == "203.0.113.5");
  // An unparsable hop fails closed.
  BOOST_TEST(!p.Check("10.0.0.1", "203.0.113.5, bogus").ok());
  // Only trusted hops: the left-most one is the client.
  BOOST_TEST(p.Check("10.0.0.1", "10.1.1.1, 10.0.0.2").value().client.ToString() == "10.1.1.1");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace zairyu::online
