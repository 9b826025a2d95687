# Runs every libFuzzer target for a while and fails on the first crash, leak, timeout or broken
# invariant. Used by the CTest `fuzz-smoke` and for long runs by hand:
#   DEPLOYC_FUZZ_SECONDS=3600 ctest --test-dir build-fuzz -L fuzz --output-on-failure
#
#   cmake -DFUZZERS="path/fuzz_compile;…" -DSOURCE_DIR=<repo> -DWORK_DIR=<dir> -P run_fuzzers.cmake
#
# Seeds: examples/, stdlib/, tests/diagnostics/ (*.deploy) and tests/fuzz/regressions/. The
# corpus each target grows is kept in WORK_DIR/corpus/<target> across runs; a crashing input is
# written to WORK_DIR/artifacts/ (add it to tests/fuzz/regressions/).
cmake_minimum_required(VERSION 3.25)

set(seconds 60)
if(DEFINED ENV{DEPLOYC_FUZZ_SECONDS} AND NOT "$ENV{DEPLOYC_FUZZ_SECONDS}" STREQUAL "")
  set(seconds "$ENV{DEPLOYC_FUZZ_SECONDS}")
endif()
if(NOT seconds MATCHES "^[0-9]+$")
  message(FATAL_ERROR "DEPLOYC_FUZZ_SECONDS must be a whole number of seconds, not `${seconds}`")
endif()
set(jobs 1)
if(DEFINED ENV{DEPLOYC_FUZZ_JOBS} AND "$ENV{DEPLOYC_FUZZ_JOBS}" MATCHES "^[1-9][0-9]*$")
  set(jobs "$ENV{DEPLOYC_FUZZ_JOBS}")
endif()

# A fresh seed directory from the sources (inputs only, no snapshots or READMEs).
set(seed_dir ${WORK_DIR}/seed)
file(REMOVE_RECURSE ${seed_dir})
file(MAKE_DIRECTORY ${seed_dir} ${WORK_DIR}/artifacts)
file(GLOB_RECURSE seeds ${SOURCE_DIR}/examples/*.deploy ${SOURCE_DIR}/stdlib/*.deploy
     ${SOURCE_DIR}/tests/diagnostics/*.deploy ${SOURCE_DIR}/tests/fuzz/regressions/*)
list(FILTER seeds EXCLUDE REGEX "README\\.md$")
set(index 0)
foreach(seed ${seeds})
  get_filename_component(seed_name ${seed} NAME)
  file(COPY_FILE ${seed} ${seed_dir}/${index}-${seed_name})
  math(EXPR index "${index} + 1")
endforeach()
list(LENGTH seeds seed_count)

foreach(fuzzer ${FUZZERS})
  get_filename_component(target ${fuzzer} NAME)
  set(corpus ${WORK_DIR}/corpus/${target})
  file(MAKE_DIRECTORY ${corpus})
  message(STATUS "${target}: ${seconds} s, ${jobs} job(s), ${seed_count} seeds")
  set(parallel)
  if(jobs GREATER 1)
    set(parallel -fork=${jobs})
  endif()
  execute_process(
    COMMAND ${fuzzer} ${parallel} -max_total_time=${seconds} -timeout=10 -rss_limit_mb=2048
            -dict=${SOURCE_DIR}/tests/fuzz/deploy.dict -print_final_stats=1
            -artifact_prefix=${WORK_DIR}/artifacts/${target}- ${corpus} ${seed_dir}
    RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "${target} failed (status ${status}); the input is in ${WORK_DIR}/artifacts/")
  endif()
endforeach()
