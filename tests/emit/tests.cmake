# Emitters: quoting rules and layout (Catch2), then round trips through independent readers:
# yaml-cpp (in the Catch2 binary), PyYAML and the `yaml` npm package (YAML 1.1 and 1.2), and
# the real Docker Compose dotenv loader. Script tests exit 77 (skipped) when a reader is missing.
deployc_catch_test(emit
  ${CMAKE_CURRENT_LIST_DIR}/yaml_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/env_test.cpp)
target_include_directories(emit_tests PRIVATE ${PROJECT_SOURCE_DIR})

add_executable(emit_fixture ${CMAKE_CURRENT_LIST_DIR}/fixture_main.cpp)
target_link_libraries(emit_fixture PRIVATE deployc_core)
target_include_directories(emit_fixture PRIVATE ${PROJECT_SOURCE_DIR})
deployc_target_options(emit_fixture)

add_test(NAME emit/yaml-roundtrip-pyyaml-and-yaml-npm
         COMMAND Python3::Interpreter ${CMAKE_CURRENT_LIST_DIR}/yaml_roundtrip.py
                 $<TARGET_FILE:emit_fixture> ${CMAKE_CURRENT_BINARY_DIR}/emit-yaml-roundtrip
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
add_test(NAME emit/env-roundtrip-docker-compose
         COMMAND Python3::Interpreter ${CMAKE_CURRENT_LIST_DIR}/env_roundtrip.py
                 $<TARGET_FILE:emit_fixture> ${CMAKE_CURRENT_BINARY_DIR}/emit-env-roundtrip
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
deployc_needs_validators(emit/yaml-roundtrip-pyyaml-and-yaml-npm emit/env-roundtrip-docker-compose)

# The whole pipeline on the same values: spec literals → compose → `docker compose config`.
add_test(NAME emit/literal-roundtrip-through-compose
         COMMAND Python3::Interpreter ${CMAKE_CURRENT_LIST_DIR}/literal_roundtrip.py
                 $<TARGET_FILE:deployc> $<TARGET_FILE:emit_fixture>
                 ${CMAKE_CURRENT_BINARY_DIR}/emit-literal-roundtrip
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
deployc_needs_validators(emit/literal-roundtrip-through-compose)
