// The default --state file follows the XDG Base Directory rules.
#define BOOST_TEST_MODULE server_default_state_path_test
#include "emulator/server/default_state_path.h"

#include <boost/test/unit_test.hpp>
#include <stdexcept>
#include <string>

using zairyu::server::DefaultStatePath;

BOOST_AUTO_TEST_CASE(xdg_state_home_comes_first) {
  BOOST_TEST(DefaultStatePath("/x/state", "/home/u").string() ==
             "/x/state/zairyu-lab/emulator.sqlite");
}

BOOST_AUTO_TEST_CASE(home_is_the_fallback_for_an_unset_empty_or_relative_xdg_state_home) {
  for (const char* xdg : {static_cast<const char*>(nullptr), "", "relative/dir"}) {
    BOOST_TEST(DefaultStatePath(xdg, "/home/u").string() ==
               "/home/u/.local/state/zairyu-lab/emulator.sqlite");
  }
}

BOOST_AUTO_TEST_CASE(no_absolute_directory_is_a_clear_error) {
  BOOST_CHECK_EXCEPTION(
      DefaultStatePath(nullptr, ""), std::runtime_error, [](const std::runtime_error& e) {
        return std::string(e.what()).find("--state :memory:") != std::string::npos;
      });
}
