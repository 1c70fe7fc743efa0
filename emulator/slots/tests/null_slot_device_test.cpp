#define BOOST_TEST_MODULE null_slot_device
#include <boost/test/unit_test.hpp>

#include <vector>

#include "emulator/slots/null_slot_device.h"
#include "emulator/slots/tests/test_printing.h"

namespace zairyu::slots {
namespace {

BOOST_AUTO_TEST_CASE(answers_9000_and_reports_events) {
  NullSlotDevice device;
  std::vector<SlotEvent> events;
  device.set_listener([&](SlotEvent e) { events.push_back(e); });
  BOOST_TEST(device.present());
  BOOST_TEST(device.atr()->size() == 9u);
  const Bytes command{0x00, 0xA4, 0x04, 0x0C};
  BOOST_TEST(*device.exchange(command) == (Bytes{0x90, 0x00}));
  device.remove();
  BOOST_TEST(!device.present());
  BOOST_TEST(!device.atr());
  BOOST_TEST(!device.exchange(command));
  device.remove();  // no second event
  device.insert();
  device.reset();
  BOOST_TEST(device.exchanges() == 1u);
  BOOST_TEST((events == std::vector<SlotEvent>{SlotEvent::kRemoved, SlotEvent::kInserted,
                                               SlotEvent::kReset}));
}

}  // namespace
}  // namespace zairyu::slots
