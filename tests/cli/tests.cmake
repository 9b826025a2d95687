# The command line, run for real: tests/cli/cli_test.py runs the deployc binary in temporary
# directories. Each of its cases is one CTest, named cli/<case>; the list comes from the script
# itself (`cli_test.py --list`), so adding a case there is enough.
set(cli_test_script ${CMAKE_CURRENT_LIST_DIR}/cli_test.py)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${cli_test_script})
execute_process(COMMAND ${Python3_EXECUTABLE} ${cli_test_script} --list
                OUTPUT_VARIABLE cli_cases OUTPUT_STRIP_TRAILING_WHITESPACE
                RESULT_VARIABLE cli_list_status)
if(NOT cli_list_status EQUAL 0)
  message(FATAL_ERROR "tests/cli/cli_test.py --list failed")
endif()
string(REPLACE "\n" ";" cli_cases "${cli_cases}")
foreach(cli_case ${cli_cases})
  add_test(NAME cli/${cli_case}
           COMMAND ${Python3_EXECUTABLE} ${cli_test_script} --binary $<TARGET_FILE:deployc>
                   --source-dir ${PROJECT_SOURCE_DIR} --case ${cli_case}
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(cli/${cli_case} PROPERTIES LABELS cli)
endforeach()

# The driver's own pieces: line diff and option parsing. Named cli_unit/<test case>.
deployc_catch_test(cli_unit ${CMAKE_CURRENT_LIST_DIR}/diff_test.cpp
                            ${CMAKE_CURRENT_LIST_DIR}/options_test.cpp)
