# Sema: ast → model. Specs are parsed with syntax::parse, so these tests read like the language.
deployc_catch_test(sema
  ${CMAKE_CURRENT_LIST_DIR}/harness.cpp
  ${CMAKE_CURRENT_LIST_DIR}/example_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/flags_params_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/env_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/service_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/types_test.cpp)
