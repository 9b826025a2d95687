# The command line, run for real: tests/cli/cli_test.py runs the deployc binary in temporary
# directories. Each of its cases is one CTest, named cli/<case>; the list comes from the script
# itself (`cli_test.py --list`), so adding a case there is enough.
deployc_python_cases(AREA cli SCRIPT ${CMAKE_CURRENT_LIST_DIR}/cli_test.py LABEL cli)

# The driver's own pieces: line diff, option parsing and mapping a spec. Named
# cli_unit/<test case>.
deployc_catch_test(cli_unit ${CMAKE_CURRENT_LIST_DIR}/diff_test.cpp
                            ${CMAKE_CURRENT_LIST_DIR}/files_test.cpp
                            ${CMAKE_CURRENT_LIST_DIR}/options_test.cpp)
