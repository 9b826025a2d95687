# The grammar alone: PEGTL rules from grammar/ checked without any compiler code linked, so a
# grammar regression shows up here before it shows up as a parser or sema failure.
add_executable(grammar_tests ${CMAKE_CURRENT_LIST_DIR}/analyze_test.cpp
                             ${CMAKE_CURRENT_LIST_DIR}/fast_paths_test.cpp
                             ${CMAKE_CURRENT_LIST_DIR}/rules_test.cpp)
target_include_directories(grammar_tests PRIVATE ${PROJECT_SOURCE_DIR})
target_link_libraries(grammar_tests PRIVATE taocpp::pegtl Catch2::Catch2WithMain)
target_compile_definitions(grammar_tests PRIVATE DEPLOYC_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
deployc_target_options(grammar_tests)
catch_discover_tests(grammar_tests TEST_PREFIX "grammar/" WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
