# The performance benchmark's hooks into the build (bench/README.md tells how to run it).
#
# bench-smoke (CTest label): the generator writes the N = 1000 stack and deployc compiles it
# once. Only success is checked, never time: timings live in bench/run and bench/RESULTS.md.
#
# deployc_bench_floor: the "read the spec, write the same bytes" process that bench/run times
# next to deployc (tiny, always built with the tests).
#
# bench/hot-functions-current: cmake/hot-functions.txt, the functions the linker puts first,
# still names the binary's (see bench/hot-functions).
#
# deployc_stage_bench: Google Benchmark micro-benchmarks of each stage on the N = 1000 stack,
# built only with -DDEPLOYC_BENCH=ON (needs libbenchmark-dev); CI builds and runs them once.

set(deployc_bench_dir ${CMAKE_CURRENT_BINARY_DIR}/bench)

add_executable(deployc_bench_floor ${PROJECT_SOURCE_DIR}/bench/floor.cpp)
deployc_target_options(deployc_bench_floor)
deployc_link_runtime(deployc_bench_floor)

if(DEPLOYC_ORDERED_LINK)
  add_test(NAME bench/hot-functions-current
           COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/bench/hot-functions
                   --check $<TARGET_FILE:deployc>)
  set_tests_properties(bench/hot-functions-current PROPERTIES LABELS bench-smoke)
endif()

add_test(NAME bench/gen-1000
         COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/bench/gen 1000
                 ${deployc_bench_dir}/smoke-1000
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(bench/gen-1000 PROPERTIES LABELS bench-smoke
                     FIXTURES_SETUP deployc_bench_smoke_spec)

add_test(NAME bench/build-1000
         COMMAND deployc build ${deployc_bench_dir}/smoke-1000/app.deploy
                 -o ${deployc_bench_dir}/smoke-1000/out
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(bench/build-1000 PROPERTIES LABELS bench-smoke
                     FIXTURES_REQUIRED deployc_bench_smoke_spec)

option(DEPLOYC_BENCH "build the stage micro-benchmarks (deployc_stage_bench, Google Benchmark)" OFF)
if(DEPLOYC_BENCH)
  find_package(benchmark REQUIRED)
  set(deployc_bench_spec ${deployc_bench_dir}/stage-1000/app.deploy)
  add_custom_command(
    OUTPUT ${deployc_bench_spec}
    COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/bench/gen 1000 ${deployc_bench_dir}/stage-1000
    DEPENDS ${PROJECT_SOURCE_DIR}/bench/gen
    COMMENT "bench/gen 1000: the stage benchmarks' spec"
    VERBATIM)
  add_custom_target(deployc_bench_spec DEPENDS ${deployc_bench_spec})

  add_executable(deployc_stage_bench ${PROJECT_SOURCE_DIR}/bench/stage_bench.cpp)
  target_link_libraries(deployc_stage_bench PRIVATE deployc_core benchmark::benchmark)
  target_compile_definitions(deployc_stage_bench PRIVATE DEPLOYC_BENCH_SPEC="${deployc_bench_spec}")
  deployc_target_options(deployc_stage_bench)
  add_dependencies(deployc_stage_bench deployc_bench_spec)

  # One pass of every stage benchmark, so a change that breaks them fails a test. No time is
  # checked; with a minimum time of 0 each benchmark runs once.
  add_test(NAME bench/stage-bench-once
           COMMAND deployc_stage_bench --benchmark_min_time=0)
  set_tests_properties(bench/stage-bench-once PROPERTIES LABELS bench-smoke)
endif()
