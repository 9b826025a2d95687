# Lowering: model → output documents, checked as trees and, for the seed deployment, as the
# exact bytes of both files.
deployc_catch_test(lower ${CMAKE_CURRENT_LIST_DIR}/lower_test.cpp
                   ${CMAKE_CURRENT_LIST_DIR}/parallel_test.cpp)
target_include_directories(lower_tests PRIVATE ${PROJECT_SOURCE_DIR})

# One thread or two, the same bytes, on the benchmark's stack of 1000 services.
deployc_bench_stack_test(lower lower_tests)

# The real Compose loader must resolve every lowered literal, default and required variable
# (read from the lowered env example) back to the original string. Skipped without Compose.
add_executable(lower_fixture ${CMAKE_CURRENT_LIST_DIR}/fixture_main.cpp)
target_link_libraries(lower_fixture PRIVATE deployc_core)
target_include_directories(lower_fixture PRIVATE ${PROJECT_SOURCE_DIR})
deployc_target_options(lower_fixture)
add_test(NAME lower/interpolation-roundtrip-docker-compose
         COMMAND Python3::Interpreter ${CMAKE_CURRENT_LIST_DIR}/interpolation_roundtrip.py
                 $<TARGET_FILE:lower_fixture> ${CMAKE_CURRENT_BINARY_DIR}/lower-interpolation
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
deployc_needs_validators(lower/interpolation-roundtrip-docker-compose)
