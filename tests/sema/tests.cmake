# Sema: ast → model. Specs are parsed with syntax::parse, so these tests read like the language.
deployc_catch_test(sema
  ${CMAKE_CURRENT_LIST_DIR}/harness.cpp
  ${CMAKE_CURRENT_LIST_DIR}/example_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/flags_params_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/env_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/service_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/types_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/parallel_test.cpp)

# One thread or two, the same model and diagnostics, on the benchmark's stack of 1000 services.
deployc_bench_stack_test(sema sema_tests)
