// The standard library: every stdlib/*.deploy module, embedded in the binary at build time
// (cmake/EmbedStdlib.cmake generates the definition), so an installed deployc needs no files
// beside it. `--stdlib DIR` replaces it with a folder for development (see modules.hpp).
#pragma once

#include <string_view>
#include <vector>

namespace deployc::driver {

struct EmbeddedModule {
  std::string_view name;  ///< `logging` for stdlib/logging.deploy, imported as "std/logging"
  std::string_view text;
};

/// Every module, sorted by name.
const std::vector<EmbeddedModule>& embedded_stdlib();

}  // namespace deployc::driver
