# deployc_generate(): compile a .deploy spec at build time.
#
#   deployc_generate(TARGET <name> SPEC <file.deploy> OUTPUT_DIR <dir>
#                    [DEFINES <name=value>...] [EMIT <compose,env,build,docs>] [ALL])
#
# Adds a custom command running
#   deployc build <SPEC> -o <OUTPUT_DIR> -D <name=value>... [--emit …] --depfile <file>
# whose outputs are the generated files (compose.production.yml and .env.production.example,
# or what EMIT selects) and a custom target <name> depending on them (built by default with
# ALL). SPEC is relative to the current source directory, OUTPUT_DIR to the current binary
# directory. The depfile names every .deploy file the spec imports, so editing a module
# regenerates the outputs (Makefile and Ninja generators, CMake >= 3.20). deployc rewrites an
# output only when its bytes change. The absolute output paths are in the target property
# DEPLOYC_OUTPUTS and in the variable <name>_OUTPUTS.
#
# The command is the `deployc::deployc-cli` target: the installed one after
# find_package(deployc), or the one being built when used inside deployc's own tree.
if(CMAKE_VERSION VERSION_LESS 3.20)
  message(FATAL_ERROR "deployc_generate needs CMake 3.20 or newer (DEPFILE with Make)")
endif()
# Depfile paths are made relative to the right directory for Ninja (CMP0116); functions keep
# the policies in effect where they are defined, so this does not leak into the caller.
cmake_policy(SET CMP0116 NEW)

function(deployc_generate)
  cmake_parse_arguments(PARSE_ARGV 0 arg "ALL" "TARGET;SPEC;OUTPUT_DIR;EMIT" "DEFINES")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "deployc_generate: unexpected arguments: ${arg_UNPARSED_ARGUMENTS}")
  endif()
  foreach(required TARGET SPEC OUTPUT_DIR)
    if(NOT arg_${required})
      message(FATAL_ERROR "deployc_generate: ${required} is required")
    endif()
  endforeach()
  if(NOT TARGET deployc::deployc-cli)
    message(FATAL_ERROR "deployc_generate: no deployc::deployc-cli target; call "
                        "find_package(deployc) first")
  endif()

  cmake_path(ABSOLUTE_PATH arg_SPEC BASE_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}
             NORMALIZE OUTPUT_VARIABLE spec)
  cmake_path(ABSOLUTE_PATH arg_OUTPUT_DIR BASE_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}
             NORMALIZE OUTPUT_VARIABLE output_dir)
  string(REGEX REPLACE "/+$" "" output_dir "${output_dir}")

  # The outputs, in the order deployc writes them: the depfile's rule names the first one.
  set(emit_args)
  if(arg_EMIT)
    string(REPLACE ";" "," emit_list "${arg_EMIT}")
    string(REPLACE "," ";" selected "${emit_list}")
    set(emit_args --emit ${emit_list})
  else()
    set(selected compose env)
  endif()
  set(outputs)
  foreach(kind compose env build docs)
    if(kind IN_LIST selected)
      if(kind STREQUAL "compose")
        list(APPEND outputs ${output_dir}/compose.production.yml)
      elseif(kind STREQUAL "env")
        list(APPEND outputs ${output_dir}/.env.production.example)
      elseif(kind STREQUAL "build")
        list(APPEND outputs ${output_dir}/compose.build.yml)
      else()
        list(APPEND outputs ${output_dir}/DEPLOYMENT.md)
      endif()
    endif()
  endforeach()
  if(NOT outputs)
    message(FATAL_ERROR "deployc_generate: EMIT selects no output: ${arg_EMIT}")
  endif()

  set(define_args)
  foreach(define IN LISTS arg_DEFINES)
    list(APPEND define_args -D ${define})
  endforeach()
  set(depfile ${CMAKE_CURRENT_BINARY_DIR}/${arg_TARGET}.deployc.d)

  add_custom_command(
    OUTPUT ${outputs}
    COMMAND deployc::deployc-cli build ${spec} -o ${output_dir} ${define_args} ${emit_args}
            --depfile ${depfile}
    DEPENDS ${spec} $<TARGET_FILE:deployc::deployc-cli>
    DEPFILE ${depfile}
    WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}
    COMMENT "Generating deployment files from ${arg_SPEC}"
    VERBATIM)
  set(all)
  if(arg_ALL)
    set(all ALL)
  endif()
  add_custom_target(${arg_TARGET} ${all} DEPENDS ${outputs})
  set_target_properties(${arg_TARGET} PROPERTIES DEPLOYC_OUTPUTS "${outputs}")
  set(${arg_TARGET}_OUTPUTS "${outputs}" PARENT_SCOPE)
endfunction()
