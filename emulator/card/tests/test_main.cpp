// Boost.Test entry point of card_tests.
#define BOOST_TEST_MODULE card_tests
#include <boost/test/unit_test.hpp>
