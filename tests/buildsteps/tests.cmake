# deployc in build steps and CI, run for real: tests/buildsteps/buildsteps_test.py runs the
# deployc binary in temporary directories (imports and the standard library, --emit, --stdout,
# --depfile, DEPLOYMENT.md, dump, vars). Each case is one CTest, named buildsteps/<case>; the list
# comes from the script itself (`buildsteps_test.py --list`).
set(buildsteps_script ${CMAKE_CURRENT_LIST_DIR}/buildsteps_test.py)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${buildsteps_script})
execute_process(COMMAND ${Python3_EXECUTABLE} ${buildsteps_script} --list
                OUTPUT_VARIABLE buildsteps_cases OUTPUT_STRIP_TRAILING_WHITESPACE
                RESULT_VARIABLE buildsteps_list_status)
if(NOT buildsteps_list_status EQUAL 0)
  message(FATAL_ERROR "tests/buildsteps/buildsteps_test.py --list failed")
endif()
string(REPLACE "\n" ";" buildsteps_cases "${buildsteps_cases}")
foreach(buildsteps_case ${buildsteps_cases})
  add_test(NAME buildsteps/${buildsteps_case}
           COMMAND ${Python3_EXECUTABLE} ${buildsteps_script} --binary $<TARGET_FILE:deployc>
                   --source-dir ${PROJECT_SOURCE_DIR} --case ${buildsteps_case}
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(buildsteps/${buildsteps_case} PROPERTIES LABELS buildsteps)
endforeach()
