# Warnings and sanitizers for project targets only; dependencies are compiled as they come.
function(deployc_target_options target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                                           -Wno-sign-conversion)
  if(DEPLOYC_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  if(DEPLOYC_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-omit-frame-pointer
                                             -fno-sanitize-recover=all)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  endif()
endfunction()
