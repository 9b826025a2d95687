# Reliability, run for real: tests/reliability/reliability_test.py runs the deployc binary in
# temporary directories against secrets (every output byte scanned for sentinel values), hostile
# input (huge lines, deep nesting, deep and wide imports, bad bytes, CRLF/BOM, symlinks) and
# file-system faults (outputs that are folders, a file size limit, .env.production). Each case is
# one CTest, named reliability/<case>; the list comes from the script (`--list`). Exit code 77
# (a tool such as prlimit is missing) counts as skipped.
set(reliability_script ${CMAKE_CURRENT_LIST_DIR}/reliability_test.py)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${reliability_script})
execute_process(COMMAND ${Python3_EXECUTABLE} ${reliability_script} --list
                OUTPUT_VARIABLE reliability_cases OUTPUT_STRIP_TRAILING_WHITESPACE
                RESULT_VARIABLE reliability_list_status)
if(NOT reliability_list_status EQUAL 0)
  message(FATAL_ERROR "tests/reliability/reliability_test.py --list failed")
endif()
string(REPLACE "\n" ";" reliability_cases "${reliability_cases}")
foreach(reliability_case ${reliability_cases})
  add_test(NAME reliability/${reliability_case}
           COMMAND ${Python3_EXECUTABLE} ${reliability_script} --binary $<TARGET_FILE:deployc>
                   --source-dir ${PROJECT_SOURCE_DIR} --case ${reliability_case}
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(reliability/${reliability_case} PROPERTIES LABELS reliability
                       SKIP_RETURN_CODE 77 TIMEOUT 600)
endforeach()
