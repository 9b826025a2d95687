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
#
# The rest of that start-up was page faults on the binary's text: the functions a small compile
# runs lay all over it, and the kernel mapped nearly every 64 KB window of its 3.1 MB, one fault
# each. With DEPLOYC_ORDER_FUNCTIONS (on by default) the linker puts the functions named in
# hot-functions.txt (written by bench/hot-functions) first, side by side: the bundled example's
# build now faults on 17 pages of text instead of 54, and runs 0.5 to 1 ms faster
# (bench/README.md, "a small compile's functions side by side"). It needs lld, whose
# --symbol-ordering-file also places glibc's and libstdc++'s functions, and every object compiled
# with a section per function. Without lld the binary is linked as before, only slower to start.

if(DEPLOYC_STATIC_RUNTIME)
  set(DEPLOYC_FMT_TARGET fmt::fmt-header-only)
else()
  set(DEPLOYC_FMT_TARGET fmt::fmt)
endif()

set(DEPLOYC_HOT_FUNCTIONS ${CMAKE_CURRENT_LIST_DIR}/hot-functions.txt)
option(DEPLOYC_ORDER_FUNCTIONS
       "link the functions a small compile runs side by side (with lld, in a static binary)" ON)
set(DEPLOYC_ORDERED_LINK OFF)  # whether it is done: the binary is static and lld is there
if(DEPLOYC_ORDER_FUNCTIONS AND DEPLOYC_STATIC_RUNTIME)
  include(CheckLinkerFlag)
  check_linker_flag(CXX "-fuse-ld=lld" deployc_have_lld)
  if(deployc_have_lld)
    set(DEPLOYC_ORDERED_LINK ON)
    # Every object, so that each function the list names is a section the linker can move.
    add_compile_options(-ffunction-sections)
  else()
    message(STATUS "deployc: no lld: functions linked in the default order (slower start-up)")
  endif()
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
  if(DEPLOYC_ORDERED_LINK)
    # Names the binary does not have (the floor's, a list older than the code) are skipped.
    target_link_options(${target} PRIVATE -fuse-ld=lld
                        "LINKER:--symbol-ordering-file=${DEPLOYC_HOT_FUNCTIONS}"
                        "LINKER:--no-warn-symbol-ordering")
    set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS ${DEPLOYC_HOT_FUNCTIONS})
  endif()
endfunction()
