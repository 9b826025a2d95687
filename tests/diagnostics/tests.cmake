# Diagnostics goldens: tests/diagnostics/Dnnnn-short-name.deploy carries `# ~ Dnnnn` on every
# offending line, and Dnnnn-short-name.stderr beside it is the expected text rendering.
# One CTest per case, named diagnostics/<case>; DEPLOYC_BLESS=1 rewrites the .stderr files:
#   DEPLOYC_BLESS=1 ctest --test-dir build -R '^diagnostics/D'
add_executable(deployc_diag_runner ${CMAKE_CURRENT_LIST_DIR}/runner.cpp)
target_link_libraries(deployc_diag_runner PRIVATE deployc_core)
deployc_target_options(deployc_diag_runner)

file(GLOB diagnostics_cases CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/*.deploy)
foreach(case_file ${diagnostics_cases})
  file(RELATIVE_PATH case_path ${PROJECT_SOURCE_DIR} ${case_file})
  get_filename_component(case_name ${case_file} NAME_WE)
  add_test(NAME diagnostics/${case_name} COMMAND deployc_diag_runner ${case_path}
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(diagnostics/${case_name} PROPERTIES LABELS diagnostics)
endforeach()

# The registry against the cases: every code tested, no test of a vanished code, every message
# format renders. Named diagnostics/<test case>.
deployc_catch_test(diagnostics ${CMAKE_CURRENT_LIST_DIR}/coverage_test.cpp)
