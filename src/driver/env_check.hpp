// `deployc env-check`: a real env file (`.env.production`) against the variables the checked
// deployment reads. Reports D052x diagnostics; never prints, never quotes a value that may be a
// secret — neither in a message nor in the source line a diagnostic shows.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "diag/engine.hpp"
#include "sema/model.hpp"
#include "source/source_manager.hpp"

namespace deployc::driver {

struct EnvCheckSummary {
  std::size_t entries = 0;  ///< assignments read from the file
  std::size_t checked = 0;  ///< variables of the deployment that were checked
};

/// Checks `text`, the env file named `name`, against `deployment.env`:
///   - every required variable is set (D0521) and not empty (D0522);
///   - every non-empty value is a value of its declared type (D0523);
///   - a secret still holding its example or `CHANGE_ME` is an error (D0525), a required
///     variable still holding its example a warning (D0526);
///   - keys the deployment does not read (D0524) and keys set twice (D0527) are warnings;
///   - a file Compose could not read is a D0520 error, and nothing else is checked.
/// The file is registered in `sources` as a copy in which every value that may be secret (that
/// of a secret, of an undeclared key, or one interpolating either) is replaced by `*`s of the
/// same length, so diagnostics rendered from `sources` can show the line safely.
EnvCheckSummary check_env_file(const model::Deployment& deployment, std::string name,
                               std::string_view text, SourceManager& sources,
                               diag::DiagnosticEngine& diags);

}  // namespace deployc::driver
