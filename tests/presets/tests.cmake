# Presets and the standard library: every stdlib module compiles cleanly, each preset has a
# golden of what a service using it lowers to (cases/NAME.deploy → NAME.compose.yml and
# NAME.env), and the preset rules (override, conflict, params, recursion, modules) are checked.
# DEPLOYC_BLESS=1 rewrites the goldens.
deployc_catch_test(presets
  ${CMAKE_CURRENT_LIST_DIR}/stdlib_harness.cpp
  ${CMAKE_CURRENT_LIST_DIR}/presets_test.cpp)
