# `deployc explain` and the whole-spec checks around it.
#   explain/<case>: every code of the registry has an explanation whose wrong example reports
#                   the code and whose right example does not (explain_test.cpp);
#   checks/<case>:  flag combinations, `allow`, production rules, the host budget, secrets as
#                   literals, and the five-mistakes file (checks_test.cpp);
#   explain_cli/…:  the real binary: `deployc explain` for every code, unknown codes, and the
#                   exit status and order of a file with five independent mistakes.
deployc_catch_test(explain ${CMAKE_CURRENT_LIST_DIR}/explain_test.cpp)
deployc_catch_test(checks ${CMAKE_CURRENT_LIST_DIR}/checks_test.cpp)
add_test(NAME explain_cli/cli
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/explain_cli.py
                 $<TARGET_FILE:deployc>
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(explain_cli/cli PROPERTIES LABELS cli)
