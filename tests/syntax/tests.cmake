# The parser: text → ast::File, its syntax diagnostics, the AST dump, hostile input, and the
# parse of large files in two parts.
deployc_catch_test(syntax ${CMAKE_CURRENT_LIST_DIR}/parse_test.cpp
                          ${CMAKE_CURRENT_LIST_DIR}/errors_test.cpp
                          ${CMAKE_CURRENT_LIST_DIR}/robustness_test.cpp
                          ${CMAKE_CURRENT_LIST_DIR}/parallel_test.cpp)
target_include_directories(syntax_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR})
