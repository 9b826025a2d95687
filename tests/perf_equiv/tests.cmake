# Equivalence of the hand-written fast paths with the slow, obviously-right implementations they
# replaced (std::regex), on generated inputs: performance work must not change behaviour.
deployc_catch_test(perf_equiv
  ${CMAKE_CURRENT_LIST_DIR}/patterns_test.cpp)
