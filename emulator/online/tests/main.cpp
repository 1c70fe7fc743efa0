#define BOOST_TEST_MODULE online_tests
#include <boost/test/unit_test.hpp>
