# `deployc env-check`: the env file parser on its own (envcheck_unit/<test case>), and the real
# binary in temporary directories (envcheck/<case>; the cases come from envcheck_test.py --list).
deployc_catch_test(envcheck_unit ${CMAKE_CURRENT_LIST_DIR}/dotenv_test.cpp)

set(envcheck_script ${CMAKE_CURRENT_LIST_DIR}/envcheck_test.py)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${envcheck_script})
execute_process(COMMAND ${Python3_EXECUTABLE} ${envcheck_script} --list
                OUTPUT_VARIABLE envcheck_cases OUTPUT_STRIP_TRAILING_WHITESPACE
                RESULT_VARIABLE envcheck_list_status)
if(NOT envcheck_list_status EQUAL 0)
  message(FATAL_ERROR "tests/envcheck/envcheck_test.py --list failed")
endif()
string(REPLACE "\n" ";" envcheck_cases "${envcheck_cases}")
foreach(envcheck_case ${envcheck_cases})
  add_test(NAME envcheck/${envcheck_case}
           COMMAND ${Python3_EXECUTABLE} ${envcheck_script} --binary $<TARGET_FILE:deployc>
                   --source-dir ${PROJECT_SOURCE_DIR} --case ${envcheck_case}
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(envcheck/${envcheck_case} PROPERTIES LABELS cli)
endforeach()
