// The version deployc reports (--version, SARIF logs). Must equal project(VERSION) in the root
// CMakeLists.txt; tests/cli checks that it does.
#pragma once

#include <string_view>

namespace deployc::driver {

inline constexpr std::string_view kVersion = "0.1.0";

}  // namespace deployc::driver
