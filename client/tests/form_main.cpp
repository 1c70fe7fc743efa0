// Boost.Test entry point of client_form_tests.
#define BOOST_TEST_MODULE client_form_tests
#include <boost/test/unit_test.hpp>
