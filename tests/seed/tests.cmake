# Seed equivalence: examples/acme-shop/app.deploy against the P4-05 task card's templates
# (${DEPLOYC_SHARED_DIR}/seed/), checked with the compose validators
# (${DEPLOYC_SHARED_DIR}/validators/, tools under $COMPOSE_VALIDATORS_HOME). Tests needing the
# validators are skipped (exit 77) when they are not installed.
#
#   ctest -L seed                                  everything
#   DEPLOYC_BLESS=1 ctest -R seed/golden           rewrite examples/acme-shop/expected/
set(DEPLOYC_VALIDATORS_HOME "$ENV{COMPOSE_VALIDATORS_HOME}" CACHE PATH
    "where install.sh put the compose validators' tools (empty: as validate-compose decides)")

set(seed_dir ${CMAKE_CURRENT_LIST_DIR})
set(seed_combos default sentry observability sentry+observability)
set(seed_param_sets defaults shop-42)

function(deployc_seed_test name)
  add_test(NAME seed/${name}
           COMMAND ${Python3_EXECUTABLE} ${ARGN}
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(seed/${name} PROPERTIES LABELS seed TIMEOUT 1800)
  deployc_needs_validators(seed/${name})
  if(DEPLOYC_VALIDATORS_HOME)
    set_tests_properties(seed/${name} PROPERTIES
                         ENVIRONMENT "COMPOSE_VALIDATORS_HOME=${DEPLOYC_VALIDATORS_HOME}")
  endif()
endfunction()

# The comparison itself, on hand-edited copies of the card (no deployc needed).
deployc_seed_test(selftest ${seed_dir}/selftest.py --shared ${DEPLOYC_SHARED_DIR})

foreach(params ${seed_param_sets})
  foreach(combo ${seed_combos})
    deployc_seed_test(equivalence/${params}/${combo}
                      ${seed_dir}/equivalence.py --shared ${DEPLOYC_SHARED_DIR}
                      --deployc $<TARGET_FILE:deployc> semantic --params ${params} --combo ${combo})
  endforeach()
endforeach()

foreach(combo ${seed_combos})
  deployc_seed_test(golden/${combo}
                    ${seed_dir}/equivalence.py --shared ${DEPLOYC_SHARED_DIR}
                    --deployc $<TARGET_FILE:deployc> golden --combo ${combo})
endforeach()

deployc_seed_test(determinism
                  ${seed_dir}/equivalence.py --shared ${DEPLOYC_SHARED_DIR}
                  --deployc $<TARGET_FILE:deployc> determinism)
