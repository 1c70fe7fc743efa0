// Boost.Test entry point of client_card_tests.
#define BOOST_TEST_MODULE client_card_tests
#include <boost/test/unit_test.hpp>
