# The support library's own types, where their contract is more than their callers exercise.
# Named support/<test case>.
deployc_catch_test(support ${CMAKE_CURRENT_LIST_DIR}/lazy_box_test.cpp)
