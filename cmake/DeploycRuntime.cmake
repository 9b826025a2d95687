# How executables get their runtime.
#
# A small compile is mostly process start-up (bench/README.md, "A static binary"). Binding
# libstdc++ and libfmt was 1.7 M of the 1.75 M instructions a do-nothing process costs, and
# loading and relocating even glibc alone kept a build of the bundled example 1.1 ms above a
# static binary.
# With DEPLOYC_STATIC_RUNTIME the deployc binary is fully static (fmt header-only): nothing is
# loaded at run time. It is the default, and off for sanitizer and fuzzer builds, whose
# runtimes need the shared libraries.
#
# valgrind's memcheck can only watch malloc in a shared glibc, so the memcheck tests run a twin
# of the binary linked the old way (deployc_link_runtime(target SHARED_LIBC)).

if(DEPLOYC_STATIC_RUNTIME)
  set(DEPLOYC_FMT_TARGET fmt::fmt-header-only)
else()
  set(DEPLOYC_FMT_TARGET fmt::fmt)
endif()

# For the deployc binary and the benchmark's floor process, which must be linked alike.
# SHARED_LIBC: carry libstdc++ and libgcc, but load glibc at run time.
function(deployc_link_runtime target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "SHARED_LIBC" "" "")
  if(NOT DEPLOYC_STATIC_RUNTIME)
    return()
  endif()
  if(arg_SHARED_LIBC)
    target_link_options(${target} PRIVATE -static-libstdc++ -static-libgcc)
  else()
    target_link_options(${target} PRIVATE -static)
  endif()
endfunction()
