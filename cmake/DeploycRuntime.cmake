# How executables get the C++ runtime.
#
# A small compile is mostly process start-up, and most of start-up is the dynamic loader binding
# libstdc++ (and libfmt, which pulls it in): 1.7 M instructions of the 1.75 M a do-nothing
# process costs (bench/README.md, "Start-up"). With DEPLOYC_STATIC_RUNTIME the binary carries
# its own libstdc++, libgcc and fmt (fmt header-only), so only glibc is loaded at run time;
# glibc itself stays shared, so valgrind can still replace malloc.

if(DEPLOYC_STATIC_RUNTIME)
  set(DEPLOYC_FMT_TARGET fmt::fmt-header-only)
else()
  set(DEPLOYC_FMT_TARGET fmt::fmt)
endif()

# For the deployc binary and the benchmark's floor process, which must be linked alike.
function(deployc_link_runtime target)
  if(DEPLOYC_STATIC_RUNTIME)
    target_link_options(${target} PRIVATE -static-libstdc++ -static-libgcc)
  endif()
endfunction()
