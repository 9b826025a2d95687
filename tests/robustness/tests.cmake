# Robustness: every prefix and single-line deletion of every example, and every input the
# fuzzer ever crashed on (tests/fuzz/regressions/), must compile to a success or a clear error.
deployc_catch_test(robustness ${CMAKE_CURRENT_LIST_DIR}/robustness_test.cpp)
target_include_directories(robustness_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR})

# The release binary under valgrind's memcheck. Not in sanitizer or fuzz builds: valgrind
# cannot run a binary that carries the ASan runtime. A fully static deployc hides malloc from
# memcheck, so then the test runs deployc_memcheck: the same objects, with a shared glibc.
if(NOT DEPLOYC_SANITIZE AND NOT DEPLOYC_FUZZ)
  set(deployc_under_memcheck deployc)
  if(DEPLOYC_STATIC_RUNTIME)
    add_executable(deployc_memcheck ${PROJECT_SOURCE_DIR}/src/main.cpp)
    target_link_libraries(deployc_memcheck PRIVATE deployc_core)
    deployc_target_options(deployc_memcheck)
    deployc_link_runtime(deployc_memcheck SHARED_LIBC)
    set(deployc_under_memcheck deployc_memcheck)
  endif()
  add_test(NAME robustness/valgrind-examples
           COMMAND Python3::Interpreter ${CMAKE_CURRENT_LIST_DIR}/valgrind_example.py
                   $<TARGET_FILE:${deployc_under_memcheck}> ${CMAKE_CURRENT_BINARY_DIR}/valgrind-examples
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(robustness/valgrind-examples PROPERTIES SKIP_RETURN_CODE 77 LABELS valgrind)
endif()
