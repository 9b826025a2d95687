# Warnings and sanitizers for project targets only; dependencies are compiled as they come.
function(deployc_target_options target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                                           -Wno-sign-conversion)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # GCC 12 reports -Wrestrict false positives inside libstdc++'s operator+ at -O2
    # (GCC bug 105329); the code it points at is a plain string concatenation.
    target_compile_options(${target} PRIVATE -Wno-restrict)
  endif()
  if(DEPLOYC_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  if(DEPLOYC_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-omit-frame-pointer
                                             -fno-sanitize-recover=all)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  endif()
  if(DEPLOYC_SANITIZE_THREAD)
    target_compile_options(${target} PRIVATE -fsanitize=thread -fno-omit-frame-pointer)
    target_link_options(${target} PRIVATE -fsanitize=thread)
  endif()
endfunction()
