// The `deployc` command line: argument parsing, file output, diagnostics printing, exit codes.
#pragma once

namespace deployc::driver {

/// Exit status: 0 success, 1 diagnostics (or stale outputs), 2 usage or I/O error.
/// The process must exit after it returns: the compiled trees are not freed (see cli.cpp).
int run_cli(int argc, char** argv);

}  // namespace deployc::driver
