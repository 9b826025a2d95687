# `deployc env-check`: the env file parser on its own (envcheck_unit/<test case>), and the real
# binary in temporary directories (envcheck/<case>; the cases come from envcheck_test.py --list).
deployc_catch_test(envcheck_unit ${CMAKE_CURRENT_LIST_DIR}/dotenv_test.cpp)

deployc_python_cases(AREA envcheck SCRIPT ${CMAKE_CURRENT_LIST_DIR}/envcheck_test.py LABEL cli)
