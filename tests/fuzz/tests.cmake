# libFuzzer targets (clang only): configure a separate build directory with
#   CC=clang CXX=clang++ cmake -S . -B build-fuzz -DDEPLOYC_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo
# The compiler library is then instrumented for coverage, ASan and UBSan, and the CTest
# `fuzz-smoke` (label `fuzz`) runs every target for $DEPLOYC_FUZZ_SECONDS (default 60) seconds.
# Long runs: docs/reliability.md.
if(DEPLOYC_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "DEPLOYC_FUZZ needs clang (libFuzzer): CC=clang CXX=clang++ cmake …")
  endif()
  set(fuzz_sanitizers -fsanitize=address,undefined -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)
  # Instrument the library itself, or libFuzzer would see no coverage inside the compiler;
  # every executable linking it then needs the sanitizer runtimes.
  target_compile_options(deployc_core PRIVATE -fsanitize=fuzzer-no-link ${fuzz_sanitizers})
  target_link_options(deployc_core INTERFACE -fsanitize=address,undefined)

  set(deployc_fuzzers)
  foreach(fuzzer compile dotenv split)
    add_executable(fuzz_${fuzzer} ${CMAKE_CURRENT_LIST_DIR}/${fuzzer}_fuzzer.cpp)
    target_include_directories(fuzz_${fuzzer} PRIVATE ${PROJECT_SOURCE_DIR}/tests/robustness)
    target_link_libraries(fuzz_${fuzzer} PRIVATE deployc_core)
    target_compile_options(fuzz_${fuzzer} PRIVATE -fsanitize=fuzzer ${fuzz_sanitizers})
    target_link_options(fuzz_${fuzzer} PRIVATE -fsanitize=fuzzer,address,undefined)
    deployc_target_options(fuzz_${fuzzer})
    list(APPEND deployc_fuzzers $<TARGET_FILE:fuzz_${fuzzer}>)
  endforeach()

  add_test(NAME fuzz-smoke
           COMMAND ${CMAKE_COMMAND} "-DFUZZERS=${deployc_fuzzers}"
                   -DSOURCE_DIR=${PROJECT_SOURCE_DIR}
                   -DWORK_DIR=${CMAKE_CURRENT_BINARY_DIR}/fuzz
                   -P ${CMAKE_CURRENT_LIST_DIR}/run_fuzzers.cmake
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  # Generous: the run itself is bounded by -max_total_time; this only catches a wedged fuzzer.
  set_tests_properties(fuzz-smoke PROPERTIES LABELS fuzz TIMEOUT 7200 RUN_SERIAL TRUE)
endif()
