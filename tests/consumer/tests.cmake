# The installed package, used by another project: consumer/install installs this build into a
# fresh prefix (a CTest fixture), then consumer/generate-<generator> builds
# tests/consumer/project/ with find_package(deployc) + deployc_generate() (outputs appear, are
# not rebuilt needlessly, are rebuilt when an imported module changes) and
# consumer/embedded-<generator> runs its program linked with deployc::deployc.
# Sanitizer and fuzzing builds instrument the library, which a plain consumer cannot link.
if(DEPLOYC_SANITIZE OR DEPLOYC_FUZZ)
  return()
endif()

set(consumer_script ${CMAKE_CURRENT_LIST_DIR}/consumer_test.py)
set(consumer_work ${CMAKE_CURRENT_BINARY_DIR}/consumer)
set(consumer_args --cmake ${CMAKE_COMMAND} --build-dir ${PROJECT_BINARY_DIR}
                  --source-dir ${PROJECT_SOURCE_DIR} --work ${consumer_work}
                  --build-type "${CMAKE_BUILD_TYPE}" --cxx ${CMAKE_CXX_COMPILER})

add_test(NAME consumer/install
         COMMAND ${Python3_EXECUTABLE} ${consumer_script} ${consumer_args} --step install)
set_tests_properties(consumer/install PROPERTIES FIXTURES_SETUP deployc_installed
                                                 LABELS consumer RESOURCE_LOCK deployc_prefix)

# The manual page and the completion against the binary's own --help texts.
add_test(NAME consumer/manual
         COMMAND ${Python3_EXECUTABLE} ${consumer_script} ${consumer_args} --step manual)
set_tests_properties(consumer/manual PROPERTIES LABELS consumer)

set(consumer_generators "Unix Makefiles")
find_program(DEPLOYC_NINJA ninja)
if(DEPLOYC_NINJA)
  list(APPEND consumer_generators Ninja)
endif()
foreach(generator IN LISTS consumer_generators)
  string(TOLOWER "${generator}" generator_slug)
  string(REGEX REPLACE "[^a-z0-9]+" "-" generator_slug "${generator_slug}")
  foreach(step generate embedded)
    add_test(NAME consumer/${step}-${generator_slug}
             COMMAND ${Python3_EXECUTABLE} ${consumer_script} ${consumer_args}
                     --generator ${generator} --step ${step})
    set_tests_properties(consumer/${step}-${generator_slug} PROPERTIES
                         FIXTURES_REQUIRED deployc_installed LABELS consumer TIMEOUT 900)
  endforeach()
endforeach()
