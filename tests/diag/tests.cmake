# Diagnostics rendering (text, JSON, SARIF) on hand-built diagnostics, and the "did you mean"
# helper. One CTest per test case, named diag/<test case>.
deployc_catch_test(diag ${CMAKE_CURRENT_LIST_DIR}/render_test.cpp
                        ${CMAKE_CURRENT_LIST_DIR}/suggest_test.cpp)
