#define BOOST_TEST_MODULE card_slot
#include "emulator/slots/card_slot.h"

#include <boost/test/unit_test.hpp>
#include <thread>
#include <vector>

#include "emulator/slots/tests/test_card.h"
#include "emulator/slots/tests/test_printing.h"

namespace zairyu::slots {
namespace {

using namespace std::chrono_literals;

const Bytes kSelectUnknown{0x00, 0xA4, 0x04, 0x0C, 0x02, 0x11, 0x22};
const Bytes kNotFound{0x6A, 0x82};
const Bytes kSelectJpki{0x00, 0xA4, 0x04, 0x0C, 0x0A, 0xD3, 0x92, 0xF0,
                        0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01};
const Bytes kOk{0x90, 0x00};

struct SlotWithCard {
  SlotWithCard() { slot.insert(testing::make_test_card(), "persona-1"); }
  CardSlot slot{0};
};

BOOST_AUTO_TEST_CASE(insert_remove_and_events) {
  CardSlot slot(3);
  std::vector<SlotEvent> events;
  slot.set_listener([&](SlotEvent e) { events.push_back(e); });
  BOOST_TEST(slot.index() == 3);
  BOOST_TEST(!slot.present());
  BOOST_TEST(!slot.atr());
  BOOST_TEST(!slot.exchange(kSelectUnknown));
  BOOST_TEST(slot.last_sequence() == 0u);  // an empty slot logs nothing

  slot.insert(testing::make_test_card(), "alice");
  BOOST_TEST(slot.present());
  BOOST_TEST(*slot.persona_id() == "alice");
  BOOST_TEST(*slot.atr() == (Bytes{0x3B, 0xE0, 0x00, 0xFF, 0x81, 0x31, 0xFE, 0x45, 0x14}));
  slot.insert(testing::make_test_card(), "bob");  // swap: removed, then inserted
  BOOST_TEST(*slot.persona_id() == "bob");
  slot.reset();
  slot.remove();
  slot.remove();  // already empty: no event
  BOOST_TEST(!slot.present());
  BOOST_TEST(!slot.persona_id());
  BOOST_TEST(slot.card() == nullptr);
  BOOST_TEST((events == std::vector<SlotEvent>{SlotEvent::kInserted, SlotEvent::kRemoved,
                                               SlotEvent::kInserted, SlotEvent::kReset,
                                               SlotEvent::kRemoved}));
}

BOOST_AUTO_TEST_CASE(replace_swaps_without_a_removal_event) {
  CardSlot slot(0);
  std::vector<SlotEvent> events;
  slot.set_listener([&](SlotEvent e) { events.push_back(e); });
  slot.replace(testing::make_test_card(), "alice");  // empty slot: a plain insertion
  const auto alice = slot.card();
  BOOST_TEST(*slot.exchange(kSelectJpki) == kOk);
  slot.replace(testing::make_test_card(), "bob");  // occupied: looks like a reset
  BOOST_TEST(*slot.persona_id() == "bob");
  BOOST_TEST(slot.card() != alice);
  BOOST_TEST((events == std::vector<SlotEvent>{SlotEvent::kInserted, SlotEvent::kReset}));
}

BOOST_FIXTURE_TEST_CASE(exchange_reaches_card_and_is_logged, SlotWithCard) {
  BOOST_TEST(*slot.exchange(kSelectJpki) == kOk);
  BOOST_TEST(*slot.exchange(kSelectUnknown) == kNotFound);
  const auto log = slot.log_since(0, false);
  BOOST_TEST_REQUIRE(log.size() == 2u);
  BOOST_TEST(log[0].sequence == 1u);
  BOOST_TEST(log[0].command == kSelectJpki);
  BOOST_TEST(log[0].response == kOk);
  BOOST_TEST(!log[0].fault);
  BOOST_TEST(log[1].response == kNotFound);
  BOOST_TEST(slot.log_since(1, false).size() == 1u);
  BOOST_TEST(slot.log_since(2, false).empty());
}

BOOST_FIXTURE_TEST_CASE(status_word_fault_on_nth_matching_ins, SlotWithCard) {
  slot.add_fault(
      {.ins = 0xA4, .nth = 2, .action = CardFault::Action::kStatusWord, .status_word = 0x6F00});
  BOOST_TEST(*slot.exchange(kSelectUnknown) == kNotFound);                         // 1st A4
  BOOST_TEST(slot.exchange(Bytes{0x00, 0x84, 0x00, 0x00, 0x08})->back() == 0x00);  // other INS
  BOOST_TEST(*slot.exchange(kSelectUnknown) == (Bytes{0x6F, 0x00}));               // 2nd A4 fires
  BOOST_TEST(*slot.exchange(kSelectUnknown) == kNotFound);                         // only once
  const auto log = slot.log_since(0, false);
  BOOST_TEST(*log[2].fault == "status_word");
  BOOST_TEST(log[2].response == (Bytes{0x6F, 0x00}));
  slot.clear_faults();
  BOOST_TEST(*slot.exchange(kSelectUnknown) == kNotFound);
}

BOOST_FIXTURE_TEST_CASE(truncate_mute_and_delay_faults, SlotWithCard) {
  slot.add_fault({.ins = 0xA4, .nth = 1, .action = CardFault::Action::kTruncate});
  BOOST_TEST(*slot.exchange(kSelectUnknown) == (Bytes{0x6A}));
  slot.clear_faults();

  slot.add_fault({.ins = std::nullopt, .nth = 0, .action = CardFault::Action::kMute});
  BOOST_TEST(!slot.exchange(kSelectUnknown));
  BOOST_TEST(!slot.exchange(kSelectJpki));
  auto log = slot.log_since(1, false);
  BOOST_TEST_REQUIRE(log.size() == 2u);
  BOOST_TEST(log[0].response.empty());
  BOOST_TEST(*log[0].fault == "mute");
  slot.clear_faults();

  slot.add_fault({.ins = 0xA4, .nth = 0, .action = CardFault::Action::kDelay, .delay = 60ms});
  const auto start = std::chrono::steady_clock::now();
  BOOST_TEST(*slot.exchange(kSelectUnknown) == kNotFound);  // delayed, then real answer
  BOOST_TEST((std::chrono::steady_clock::now() - start >= 60ms));
}

BOOST_FIXTURE_TEST_CASE(pin_data_is_masked_unless_revealed, SlotWithCard) {
  const Bytes verify{0x00, 0x20, 0x00, 0x80, 0x04, '1', '2', '3', '4'};
  const Bytes change{0x00, 0x24, 0x01, 0x80, 0x04, '4', '3', '2', '1'};
  const Bytes ask_tries{0x00, 0x20, 0x00, 0x80};
  slot.exchange(kSelectJpki);
  slot.exchange(Bytes{0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x18});
  slot.exchange(ask_tries);
  slot.exchange(verify);
  slot.exchange(change);
  const auto masked = slot.log_since(2, false);
  BOOST_TEST_REQUIRE(masked.size() == 3u);
  BOOST_TEST(!masked[0].is_pin_data);
  BOOST_TEST(masked[0].command == ask_tries);
  BOOST_TEST(masked[1].is_pin_data);
  BOOST_TEST(masked[1].command == (Bytes{0x00, 0x20, 0x00, 0x80, 0x04, '*', '*', '*', '*'}));
  BOOST_TEST(masked[2].command == (Bytes{0x00, 0x24, 0x01, 0x80, 0x04, '*', '*', '*', '*'}));
  const auto revealed = slot.log_since(2, true);
  BOOST_TEST(revealed[1].command == verify);
  BOOST_TEST(revealed[2].command == change);
}

BOOST_AUTO_TEST_CASE(pin_status_follows_the_card_and_the_slot) {
  CardSlot slot(0);
  BOOST_TEST(!slot.pin_status(card::PinId::kJpkiAuth));
  slot.insert(testing::make_test_card(), "alice");
  const auto status = slot.pin_status(card::PinId::kJpkiAuth);
  BOOST_TEST_REQUIRE(status.has_value());
  BOOST_TEST(status->max_tries == 3);
  BOOST_TEST(status->tries_left == 3);
  BOOST_TEST(!status->blocked);
  slot.remove();
  BOOST_TEST(!slot.pin_status(card::PinId::kJpkiAuth));
}

BOOST_AUTO_TEST_CASE(mask_covers_extended_lc_and_short_data) {
  const Bytes extended{0x00, 0x20, 0x00, 0x80, 0x00, 0x00, 0x02, '9', '9'};
  BOOST_TEST(mask_pin_data(extended) ==
             (Bytes{0x00, 0x20, 0x00, 0x80, 0x00, 0x00, 0x02, '*', '*'}));
  const Bytes lying_lc{0x00, 0x20, 0x00, 0x80, 0x09, '1', '2'};  // Lc longer than the data
  BOOST_TEST(mask_pin_data(lying_lc) == (Bytes{0x00, 0x20, 0x00, 0x80, 0x09, '*', '*'}));
  BOOST_TEST(!carries_pin_data(Bytes{0x00, 0x20}));
  BOOST_TEST(!carries_pin_data(Bytes{0x00, 0xB0, 0x00, 0x00, 0x02, 0x01, 0x02}));
}

BOOST_AUTO_TEST_CASE(log_is_a_bounded_ring) {
  CardSlot slot(0, 3);
  slot.insert(testing::make_test_card(), "p");
  for (int i = 0; i < 5; ++i) slot.exchange(kSelectUnknown);
  const auto log = slot.log_since(0, false);
  BOOST_TEST_REQUIRE(log.size() == 3u);
  BOOST_TEST(log.front().sequence == 3u);
  BOOST_TEST(log.back().sequence == 5u);
  BOOST_TEST(slot.log_since(4, false).size() == 1u);
}

BOOST_FIXTURE_TEST_CASE(wait_for_log_wakes_on_new_entry, SlotWithCard) {
  BOOST_TEST(!slot.wait_for_log(0, 20ms));
  std::thread writer([&] {
    std::this_thread::sleep_for(30ms);
    slot.exchange(kSelectUnknown);
  });
  BOOST_TEST(slot.wait_for_log(0, 5s));
  writer.join();
  BOOST_TEST(slot.wait_for_log(0, 0ms));  // already there
}

}  // namespace
}  // namespace zairyu::slots
