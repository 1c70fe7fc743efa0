// VERIFY, retry counters, blocking, persistence and CHANGE REFERENCE DATA.
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <memory>

#include "emulator/card/card.h"
#include "emulator/card/tests/test_pki.h"

using namespace zairyu::card;
using namespace zairyu::card::testing;

namespace {

constexpr const char* kSelectJpki = "00 A4 04 0C 0A D3 92 F0 00 26 01 00 00 00 01";
constexpr const char* kSelectHelper = "00 A4 04 0C 0A D3 92 10 00 31 00 01 01 04 08";
constexpr const char* kAuthOk = "00 20 00 80 04 31 32 33 34";
constexpr const char* kAuthWrong = "00 20 00 80 04 30 30 30 30";

std::unique_ptr<Card> make_card(std::shared_ptr<CardStateStore> store,
                                CardProfile profile = adult_profile()) {
  return std::make_unique<Card>(std::move(profile), std::move(store),
                                std::make_shared<SeededRandomSource>(1));
}

std::unique_ptr<Card> make_card() { return make_card(std::make_shared<MemoryCardStateStore>()); }

void select_auth_pin(Card& card) {
  BOOST_REQUIRE_EQUAL(tx(card, kSelectJpki), "90 00");
  BOOST_REQUIRE_EQUAL(tx(card, "00 A4 02 0C 02 00 18"), "90 00");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(pins)

BOOST_AUTO_TEST_CASE(verify_needs_a_pin_ief) {
  auto card = make_card();
  BOOST_TEST(tx(*card, "00 20 00 80") == "69 86");  // nothing selected
  tx(*card, kSelectJpki);
  BOOST_TEST(tx(*card, "00 20 00 80") == "69 86");  // DF, no EF
  tx(*card, "00 A4 02 0C 02 00 0A");
  BOOST_TEST(tx(*card, "00 20 00 80 04 31 32 33 34") == "69 81");  // a binary EF
  BOOST_TEST(tx(*card, "00 20 01 80 04 31 32 33 34") == "6A 86");
  BOOST_TEST(tx(*card, "00 20 00 00 04 31 32 33 34") == "6A 86");
  BOOST_TEST(tx(*card, "00 20 00 8A 04 31 32 33 34") == "6A 88");  // SFI of a binary EF
  BOOST_TEST(tx(*card, "00 20 00 8C") == "6A 88");
}

BOOST_AUTO_TEST_CASE(count_down_lock_and_blocked) {
  auto card = make_card();
  select_auth_pin(*card);
  BOOST_TEST(tx(*card, "00 20 00 80") == "63 C3");  // query spends nothing
  BOOST_TEST(tx(*card, "00 20 00 80") == "63 C3");
  BOOST_TEST(tx(*card, kAuthWrong) == "63 C2");
  BOOST_TEST(tx(*card, "00 20 00 80") == "63 C2");
  BOOST_TEST(tx(*card, "00 20 00 80 03 31 32 33") == "63 C1");        // wrong length = wrong PIN
  BOOST_TEST(tx(*card, "00 20 00 80 05 31 32 33 34 35") == "63 C0");  // the exhausting try
  BOOST_TEST(tx(*card, kAuthOk) == "69 84");
  BOOST_TEST(tx(*card, "00 20 00 80") == "69 84");
  BOOST_TEST(card->pin_status(PinId::kJpkiAuth).blocked);
  BOOST_TEST(card->pin_status(PinId::kJpkiAuth).tries_left == 0);
  BOOST_TEST(card->pin_status(PinId::kJpkiAuth).max_tries == 3);
  // A blocked auth PIN does not affect the sign PIN.
  tx(*card, "00 A4 02 0C 02 00 1B");
  BOOST_TEST(tx(*card, "00 20 00 80") == "63 C5");
}

BOOST_AUTO_TEST_CASE(success_resets_counter) {
  auto card = make_card();
  select_auth_pin(*card);
  BOOST_TEST(tx(*card, kAuthWrong) == "63 C2");
  BOOST_TEST(tx(*card, kAuthWrong) == "63 C1");
  BOOST_TEST(tx(*card, kAuthOk) == "90 00");
  BOOST_TEST(card->pin_status(PinId::kJpkiAuth).tries_left == 3);
  // hamano (OpenSC PR #959): the card still answers 63 C3 after a correct PIN.
  BOOST_TEST(tx(*card, "00 20 00 80") == "63 C3");
  // A wrong PIN after a success clears the security state.
  BOOST_TEST(tx(*card, kAuthWrong) == "63 C2");
  BOOST_TEST(tx(*card, "80 2A 00 97 03 01 02 03 00") == "69 82");
}

BOOST_AUTO_TEST_CASE(empty_verify_after_success_option) {
  CardProfile profile = adult_profile();
  profile.options.empty_verify_after_success_answers_9000 = true;
  auto card = make_card(std::make_shared<MemoryCardStateStore>(), profile);
  select_auth_pin(*card);
  BOOST_TEST(tx(*card, "00 20 00 80") == "63 C3");
  BOOST_TEST(tx(*card, kAuthOk) == "90 00");
  BOOST_TEST(tx(*card, "00 20 00 80") == "90 00");
  card->reset();
  select_auth_pin(*card);
  BOOST_TEST(tx(*card, "00 20 00 80") == "63 C3");
}

BOOST_AUTO_TEST_CASE(overlong_pin_spends_nothing) {
  auto card = make_card();
  select_auth_pin(*card);
  BOOST_TEST(tx(*card, "00 20 00 80 11 31 32 33 34 31 32 33 34 31 32 33 34 31 32 33 34 31") ==
             "67 00");
  BOOST_TEST(tx(*card, "00 20 00 80") == "63 C3");
}

BOOST_AUTO_TEST_CASE(sfi_forms) {
  auto card = make_card();
  tx(*card, kSelectJpki);
  BOOST_TEST(tx(*card, "00 20 00 98") == "63 C3");  // [MBE]
  BOOST_TEST(tx(*card, "00 20 00 98 04 31 32 33 34") == "90 00");
  BOOST_TEST(tx(*card, "00 20 00 9B") == "63 C5");
  BOOST_TEST(tx(*card, "00 20 00 9B 06 41 42 43 31 32 33") == "90 00");
  tx(*card, kSelectHelper);
  BOOST_TEST(tx(*card, "00 20 00 91") == "63 C3");  // [MBE]
  BOOST_TEST(tx(*card, "00 20 00 91 04 35 36 37 38") == "90 00");
  BOOST_TEST(tx(*card, "00 20 00 98") == "6A 88");  // not in this AP
}

BOOST_AUTO_TEST_CASE(sign_and_helper_limits) {
  auto card = make_card();
  tx(*card, kSelectJpki);
  for (int left = 4; left >= 0; --left) {
    BOOST_TEST(tx(*card, "00 20 00 9B 06 41 41 41 41 41 41") ==
               to_hex(Bytes{0x63, static_cast<std::uint8_t>(0xC0 | left)}));
  }
  BOOST_TEST(tx(*card, "00 20 00 9B 06 41 42 43 31 32 33") == "69 84");
  tx(*card, kSelectHelper);
  BOOST_TEST(tx(*card, "00 20 00 91 04 30 30 30 30") == "63 C2");
  BOOST_TEST(tx(*card, "00 20 00 91 04 30 30 30 30") == "63 C1");
  BOOST_TEST(tx(*card, "00 20 00 91 04 30 30 30 30") == "63 C0");
  BOOST_TEST(tx(*card, "00 20 00 91") == "69 84");
}

BOOST_AUTO_TEST_CASE(reset_clears_security_not_counters) {
  auto store = std::make_shared<MemoryCardStateStore>();
  auto card = make_card(store);
  select_auth_pin(*card);
  BOOST_TEST(tx(*card, kAuthWrong) == "63 C2");
  BOOST_TEST(tx(*card, kAuthOk) == "90 00");
  BOOST_TEST(tx(*card, kAuthWrong) == "63 C2");
  card->reset();
  select_auth_pin(*card);
  BOOST_TEST(tx(*card, "00 20 00 80") == "63 C2");
  BOOST_TEST(tx(*card, kAuthOk) == "90 00");
  card->reset();
  tx(*card, kSelectJpki);
  BOOST_TEST(tx(*card, "80 2A 00 97 03 01 02 03 00") == "69 82");
}

BOOST_AUTO_TEST_CASE(counters_survive_a_new_card_on_the_same_store) {
  std::string tmpl = (std::filesystem::temp_directory_path() / "card-pin-XXXXXX").string();
  BOOST_REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
  auto store = std::make_shared<FileCardStateStore>(tmpl + "/card.state");
  {
    auto card = make_card(store);
    select_auth_pin(*card);
    BOOST_TEST(tx(*card, kAuthWrong) == "63 C2");
  }
  auto card = make_card(store);
  BOOST_TEST(card->pin_status(PinId::kJpkiAuth).tries_left == 2);
  select_auth_pin(*card);
  BOOST_TEST(tx(*card, "00 20 00 80") == "63 C2");
  std::filesystem::remove_all(tmpl);
}

BOOST_AUTO_TEST_CASE(counters_survive_a_new_card_on_a_file_store) {
  std::string tmpl = (std::filesystem::temp_directory_path() / "card-pin-XXXXXX").string();
  BOOST_REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
  const std::string path = tmpl + "/card.state";
  {
    auto card = make_card(std::make_shared<FileCardStateStore>(path));
    select_auth_pin(*card);
    BOOST_TEST(tx(*card, kAuthWrong) == "63 C2");
    BOOST_TEST(tx(*card, kAuthWrong) == "63 C1");
    BOOST_TEST(tx(*card, kAuthWrong) == "63 C0");
  }
  {
    auto card = make_card(std::make_shared<FileCardStateStore>(path));  // a "restart"
    BOOST_TEST(card->pin_status(PinId::kJpkiAuth).blocked);
    select_auth_pin(*card);
    BOOST_TEST(tx(*card, kAuthOk) == "69 84");
    tx(*card, "00 A4 02 0C 02 00 1B");
    BOOST_TEST(tx(*card, "00 20 00 80 06 41 42 43 31 32 33") == "90 00");
    BOOST_TEST(tx(*card, "00 24 01 80 08 4E 45 57 50 41 53 53 31") == "90 00");
  }
  {
    auto store = std::make_shared<FileCardStateStore>(path);
    auto card = make_card(store);
    tx(*card, kSelectJpki);
    BOOST_TEST(tx(*card, "00 20 00 9B 06 41 42 43 31 32 33") == "63 C4");
    BOOST_TEST(tx(*card, "00 20 00 9B 08 4E 45 57 50 41 53 53 31") == "90 00");
    store->clear();  // re-issued: counters back to the maximum, PINs as issued
    BOOST_TEST(!card->pin_status(PinId::kJpkiAuth).blocked);
    BOOST_TEST(tx(*card, "00 20 00 98 04 31 32 33 34") == "90 00");
  }
  std::filesystem::remove_all(tmpl);
}

BOOST_AUTO_TEST_CASE(change_reference_data) {
  auto card = make_card();
  select_auth_pin(*card);
  BOOST_TEST(tx(*card, "00 24 01 80 04 39 39 39 39") == "69 82");  // not verified
  BOOST_TEST(tx(*card, kAuthOk) == "90 00");
  BOOST_TEST(tx(*card, "00 24 00 80 08 31 32 33 34 39 39 39 39") == "6A 86");  // P1 00
  BOOST_TEST(tx(*card, "00 24 01 80") == "67 00");
  BOOST_TEST(tx(*card, "00 24 01 80 03 39 39 39") == "6A 80");
  BOOST_TEST(tx(*card, "00 24 01 80 04 39 39 39 41") == "6A 80");
  BOOST_TEST(tx(*card, "00 24 01 80 04 39 39 39 39") == "90 00");
  card->reset();
  select_auth_pin(*card);
  BOOST_TEST(tx(*card, kAuthOk) == "63 C2");
  BOOST_TEST(tx(*card, "00 20 00 80 04 39 39 39 39") == "90 00");
  // Sign password: 6-16 of A-Z0-9.
  tx(*card, "00 A4 02 0C 02 00 1B");
  BOOST_TEST(tx(*card, "00 20 00 80 06 41 42 43 31 32 33") == "90 00");
  BOOST_TEST(tx(*card, "00 24 01 80 05 41 42 43 31 32") == "6A 80");     // too short
  BOOST_TEST(tx(*card, "00 24 01 80 06 61 62 63 31 32 33") == "6A 80");  // lower case
  BOOST_TEST(tx(*card, "00 24 01 80 11 41 41 41 41 41 41 41 41 41 41 41 41 41 41 41 41 41") ==
             "6A 80");  // 17 characters
  BOOST_TEST(tx(*card, "00 24 01 9B 10 41 42 43 44 45 46 47 48 31 32 33 34 35 36 37 38") ==
             "90 00");  // SFI form, 16 characters
  // Input-helper PIN.
  tx(*card, kSelectHelper);
  BOOST_TEST(tx(*card, "00 24 01 91 04 31 31 31 31") == "69 82");
  BOOST_TEST(tx(*card, "00 20 00 91 04 35 36 37 38") == "90 00");
  BOOST_TEST(tx(*card, "00 24 01 91 04 31 31 31 31") == "90 00");
  BOOST_TEST(tx(*card, "00 20 00 91 04 31 31 31 31") == "90 00");
}

BOOST_AUTO_TEST_CASE(failing_store_answers_memory_failure) {
  // A store whose writes fail: the card must still answer.
  struct BrokenStore final : CardStateStore {
    std::optional<PinRecord> load(PinId) const override { return std::nullopt; }
    void save(PinId, const PinRecord&) override { throw std::runtime_error("disk full"); }
    void clear() override {}
  };
  auto card = make_card(std::make_shared<BrokenStore>());
  select_auth_pin(*card);
  BOOST_TEST(tx(*card, kAuthOk) == "65 81");
  BOOST_TEST(tx(*card, "00 20 00 80") == "63 C3");
}

BOOST_AUTO_TEST_SUITE_END()
