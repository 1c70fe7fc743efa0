# zairyu_add_boost_test(NAME name SOURCES a.cpp b.cpp LIBS x y [LABELS l] [RESOURCE_LOCK r])
# Builds one Boost.Test binary and registers it with CTest. Tests that need the
# machine's single pcscd take RESOURCE_LOCK pcscd so CTest never runs two at once.
function(zairyu_add_boost_test)
  cmake_parse_arguments(T "" "NAME" "SOURCES;LIBS;LABELS;RESOURCE_LOCK;ENVIRONMENT" ${ARGN})
  add_executable(${T_NAME} ${T_SOURCES})
  target_link_libraries(${T_NAME} PRIVATE Boost::unit_test_framework zairyu_warnings ${T_LIBS})
  add_test(NAME ${T_NAME} COMMAND ${T_NAME} --log_level=test_suite --report_level=short
           --color_output=no)
  if(T_LABELS)
    set_tests_properties(${T_NAME} PROPERTIES LABELS "${T_LABELS}")
  endif()
  if(T_RESOURCE_LOCK)
    set_tests_properties(${T_NAME} PROPERTIES RESOURCE_LOCK "${T_RESOURCE_LOCK}")
  endif()
  if(T_ENVIRONMENT)
    set_tests_properties(${T_NAME} PROPERTIES ENVIRONMENT "${T_ENVIRONMENT}")
  endif()
endfunction()
