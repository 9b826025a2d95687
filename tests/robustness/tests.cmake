# Robustness: every prefix and single-line deletion of every example, and every input the
# fuzzer ever crashed on (tests/fuzz/regressions/), must compile to a success or a clear error.
deployc_catch_test(robustness ${CMAKE_CURRENT_LIST_DIR}/robustness_test.cpp)
target_include_directories(robustness_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR})

# The release binary under valgrind's memcheck. Not in sanitizer or fuzz builds: valgrind
# cannot run a binary that carries the ASan runtime.
if(NOT DEPLOYC_SANITIZE AND NOT DEPLOYC_FUZZ)
  add_test(NAME robustness/valgrind-examples
           COMMAND Python3::Interpreter ${CMAKE_CURRENT_LIST_DIR}/valgrind_example.py
                   $<TARGET_FILE:deployc> ${CMAKE_CURRENT_BINARY_DIR}/valgrind-examples
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(robustness/valgrind-examples PROPERTIES SKIP_RETURN_CODE 77 LABELS valgrind)
endif()
