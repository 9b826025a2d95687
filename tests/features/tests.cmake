# Compose features beyond the seed: one spec per feature in cases/, with goldens of what it
# lowers to (NAME.compose.yml, NAME.env, NAME.build.yml), the errors each feature's checks
# report, and every output (these cases, the preset cases, examples/saas-platform) through
# validate-compose with its env example. DEPLOYC_BLESS=1 rewrites the goldens.
deployc_catch_test(features
  ${PROJECT_SOURCE_DIR}/tests/presets/stdlib_harness.cpp
  ${CMAKE_CURRENT_LIST_DIR}/features_test.cpp)

add_executable(features_fixture ${CMAKE_CURRENT_LIST_DIR}/fixture_main.cpp
                                ${PROJECT_SOURCE_DIR}/tests/presets/stdlib_harness.cpp)
target_link_libraries(features_fixture PRIVATE deployc_core)
target_compile_definitions(features_fixture PRIVATE DEPLOYC_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
deployc_target_options(features_fixture)

set(features_out ${CMAKE_CURRENT_BINARY_DIR}/features-validate)
file(GLOB feature_cases CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/cases/*.deploy
     ${PROJECT_SOURCE_DIR}/tests/presets/cases/*.deploy)
add_test(NAME features/outputs-compile
         COMMAND features_fixture ${features_out} ${feature_cases}
                 ${PROJECT_SOURCE_DIR}/examples/saas-platform/app.deploy
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(features/outputs-compile PROPERTIES FIXTURES_SETUP features_outputs)
add_test(NAME features/validate-compose
         COMMAND Python3::Interpreter ${CMAKE_CURRENT_LIST_DIR}/validate_outputs.py
                 ${DEPLOYC_SHARED_DIR}/validators ${features_out}
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(features/validate-compose PROPERTIES
                     FIXTURES_REQUIRED features_outputs TIMEOUT 1800)
if(DEFINED DEPLOYC_VALIDATORS_HOME AND DEPLOYC_VALIDATORS_HOME)
  set_tests_properties(features/validate-compose PROPERTIES
                       ENVIRONMENT "COMPOSE_VALIDATORS_HOME=${DEPLOYC_VALIDATORS_HOME}")
endif()

# The saas-platform example's expected outputs, one folder per flag combination.
add_test(NAME features/validate-compose-saas-platform
         COMMAND Python3::Interpreter ${CMAKE_CURRENT_LIST_DIR}/validate_outputs.py
                 ${DEPLOYC_SHARED_DIR}/validators
                 ${PROJECT_SOURCE_DIR}/examples/saas-platform/expected
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(features/validate-compose-saas-platform PROPERTIES TIMEOUT 1800)
deployc_needs_validators(features/validate-compose features/validate-compose-saas-platform)
