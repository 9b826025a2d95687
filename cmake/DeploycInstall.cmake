# `cmake --install <build> [--prefix DIR]` installs:
#   bin/deployc                                     the command line (deployc::deployc-cli)
#   lib/libdeployc.a, include/deployc/deployc.hpp   the library and its public API (deployc::deployc)
#   share/man/man1/deployc.1                        the manual page
#   share/bash-completion/completions/deployc       bash completion
#   lib/cmake/deployc/                              the CMake package: find_package(deployc) gives
#                                                   both targets and deployc_generate()
# The standard library is embedded in the binary and the library, so it is not installed.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(DEPLOYC_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/deployc CACHE STRING
    "where the CMake package files are installed, relative to the prefix")

install(TARGETS deployc deployc_core EXPORT deploycTargets
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(FILES ${PROJECT_SOURCE_DIR}/include/deployc/deployc.hpp DESTINATION include/deployc)
install(FILES ${PROJECT_SOURCE_DIR}/docs/deployc.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${PROJECT_SOURCE_DIR}/completions/deployc.bash
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME deployc)

install(EXPORT deploycTargets NAMESPACE deployc:: FILE deploycTargets.cmake
        DESTINATION ${DEPLOYC_INSTALL_CMAKEDIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/deploycConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/deploycConfig.cmake
                              INSTALL_DESTINATION ${DEPLOYC_INSTALL_CMAKEDIR})
# 0.x: a minor release may change the language, so only the same minor version is compatible.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/deploycConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/deploycConfig.cmake
              ${PROJECT_BINARY_DIR}/deploycConfigVersion.cmake
              ${PROJECT_SOURCE_DIR}/cmake/DeploycGenerate.cmake
        DESTINATION ${DEPLOYC_INSTALL_CMAKEDIR})
