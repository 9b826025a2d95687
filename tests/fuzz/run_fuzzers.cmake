# Runs every libFuzzer target for a while and fails on the first crash, leak, timeout or broken
# invariant. Used by the CTest `fuzz-smoke` and for long runs by hand:
#   DEPLOYC_FUZZ_SECONDS=3600 ctest --test-dir build-fuzz -L fuzz --output-on-failure
#
#   cmake -DFUZZERS="path/fuzz_compile;…" -DSOURCE_DIR=<repo> -DWORK_DIR=<dir> -P run_fuzzers.cmake
#
# Seeds: fuzz_compile and fuzz_split start from examples/, stdlib/, tests/diagnostics/
# (*.deploy) and tests/fuzz/regressions/*.deploy (fuzz_split reads a seed's first byte as where
# to split the rest); fuzz_dotenv from every env file under examples/ and tests/
# and tests/fuzz/regressions/dotenv/. The
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

# Fresh seed directories from the sources (inputs only, no snapshots or READMEs): specs for
# fuzz_compile, env files for fuzz_dotenv.
function(collect_seeds dir)
  file(REMOVE_RECURSE ${dir})
  file(MAKE_DIRECTORY ${dir})
  file(GLOB_RECURSE seeds ${ARGN})
  list(FILTER seeds EXCLUDE REGEX "README\\.md$")
  set(index 0)
  foreach(seed ${seeds})
    get_filename_component(seed_name ${seed} NAME)
    file(COPY_FILE ${seed} ${dir}/${index}-${seed_name})
    math(EXPR index "${index} + 1")
  endforeach()
  list(LENGTH seeds count)
  set(seed_count ${count} PARENT_SCOPE)
endfunction()
file(MAKE_DIRECTORY ${WORK_DIR}/artifacts)
foreach(fuzzer ${FUZZERS})
  get_filename_component(target ${fuzzer} NAME)
  set(corpus ${WORK_DIR}/corpus/${target})
  file(MAKE_DIRECTORY ${corpus})
  set(seed_dir ${WORK_DIR}/seed/${target})
  if(target MATCHES "dotenv")
    collect_seeds(${seed_dir} ${SOURCE_DIR}/examples/*.env* ${SOURCE_DIR}/tests/*.env
                  ${SOURCE_DIR}/tests/fuzz/regressions/dotenv/*)
    set(dict)
  else()
    collect_seeds(${seed_dir} ${SOURCE_DIR}/examples/*.deploy ${SOURCE_DIR}/stdlib/*.deploy
                  ${SOURCE_DIR}/tests/diagnostics/*.deploy ${SOURCE_DIR}/tests/fuzz/regressions/*.deploy)
    set(dict -dict=${SOURCE_DIR}/tests/fuzz/deploy.dict)
  endif()
  message(STATUS "${target}: ${seconds} s, ${jobs} job(s), ${seed_count} seeds")
  set(parallel)
  if(jobs GREATER 1)
    set(parallel -fork=${jobs})
  endif()
  execute_process(
    COMMAND ${fuzzer} ${parallel} -max_total_time=${seconds} -timeout=10 -rss_limit_mb=2048
            ${dict} -print_final_stats=1
            -artifact_prefix=${WORK_DIR}/artifacts/${target}- ${corpus} ${seed_dir}
    RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "${target} failed (status ${status}); the input is in ${WORK_DIR}/artifacts/")
  endif()
endforeach()
