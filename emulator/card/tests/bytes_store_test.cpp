// bytes.h hex helpers, the state stores and the seeded random source.
#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "emulator/card/bytes.h"
#include "emulator/card/card_state_store.h"
#include "emulator/card/random_source.h"

using namespace zairyu::card;

namespace {

// A fresh temporary directory per test, removed afterwards.
struct TempDir {
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "card-store-XXXXXX").string();
    BOOST_REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    path = tmpl;
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  std::filesystem::path path;
};

void write_text(const std::filesystem::path& p, const std::string& text) {
  std::ofstream(p) << text;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(bytes_and_stores)

BOOST_AUTO_TEST_CASE(hex_round_trip) {
  BOOST_TEST(to_hex(from_hex("00a4040c")) == "00 A4 04 0C");
  BOOST_TEST(to_hex(from_hex("90 00")) == "90 00");
  BOOST_TEST(to_hex(from_hex("")) == "");
  BOOST_TEST(from_hex("3b:e0").size() == 2u);
  BOOST_CHECK_THROW(from_hex("0"), std::invalid_argument);
  BOOST_CHECK_THROW(from_hex("0g"), std::invalid_argument);
  BOOST_CHECK_THROW(from_hex("0 0"), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(memory_store) {
  MemoryCardStateStore store;
  BOOST_TEST(!store.load(PinId::kJpkiAuth).has_value());
  store.save(PinId::kJpkiAuth, PinRecord{2, std::nullopt});
  BOOST_TEST(store.load(PinId::kJpkiAuth)->tries_left == 2);
  store.clear();
  BOOST_TEST(!store.load(PinId::kJpkiAuth).has_value());
}

BOOST_AUTO_TEST_CASE(file_store_round_trip) {
  TempDir dir;
  const std::string path = (dir.path / "card.state").string();
  {
    FileCardStateStore store(path);  // missing file: as issued
    BOOST_TEST(!store.load(PinId::kJpkiSign).has_value());
    store.save(PinId::kJpkiSign, PinRecord{3, std::string("NEW123")});
    store.save(PinId::kInputHelper, PinRecord{0, std::nullopt});
  }
  FileCardStateStore reopened(path);
  BOOST_TEST(reopened.load(PinId::kJpkiSign)->tries_left == 3);
  BOOST_TEST(*reopened.load(PinId::kJpkiSign)->changed_value == "NEW123");
  BOOST_TEST(reopened.load(PinId::kInputHelper)->tries_left == 0);
  BOOST_TEST(!reopened.load(PinId::kInputHelper)->changed_value.has_value());
  BOOST_TEST(!reopened.load(PinId::kJpkiAuth).has_value());
  BOOST_TEST(!std::filesystem::exists(path + ".tmp"));
  reopened.clear();
  BOOST_TEST(!std::filesystem::exists(path));
  BOOST_TEST(!FileCardStateStore(path).load(PinId::kJpkiSign).has_value());
}

BOOST_AUTO_TEST_CASE(file_store_corrupt_throws) {
  TempDir dir;
  const auto path = dir.path / "card.state";
  for (const char* text : {
           "",                                                          // empty
           "garbage\n",                                                 // bad header
           "zairyu-card-state 1\njpki_auth 0 -\n",                      // truncated: no trailer
           "zairyu-card-state 1\njpki_auth x -\nend\n",                 // bad counter
           "zairyu-card-state 1\nnobody 1 -\nend\n",                    // unknown PIN
           "zairyu-card-state 1\njpki_auth 1 -\njpki_auth 2 -\nend\n",  // duplicate
           "zairyu-card-state 1\njpki_auth 1 ZZ\nend\n",                // bad value
       }) {
    BOOST_TEST_CONTEXT(text) {
      write_text(path, text);
      BOOST_CHECK_THROW(FileCardStateStore(path.string()), std::runtime_error);
    }
  }
}

BOOST_AUTO_TEST_CASE(seeded_random_is_deterministic) {
  SeededRandomSource a(42), b(42), c(43);
  const Bytes x = a.bytes(33);
  BOOST_TEST(x.size() == 33u);
  BOOST_TEST(to_hex(x) == to_hex(b.bytes(33)));
  BOOST_TEST(to_hex(x) != to_hex(c.bytes(33)));
}

BOOST_AUTO_TEST_SUITE_END()
