# Robustness: every prefix and single-line deletion of every example, and every input the
# fuzzer ever crashed on (tests/fuzz/regressions/), must compile to a success or a clear error.
deployc_catch_test(robustness ${CMAKE_CURRENT_LIST_DIR}/robustness_test.cpp)
target_include_directories(robustness_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR})
