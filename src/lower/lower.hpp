// model → output documents. Cannot fail: sema has established every invariant. The documents
// view the model's strings: use them only while the deployment is alive and unchanged.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "lower/document.hpp"
#include "sema/model.hpp"

namespace deployc::lower {

struct Options {
  std::string spec_name;  ///< the spec as the header names it: relative to the output directory
  std::vector<std::string>
      define_args;  ///< `-D name=value` as given, for the header's rebuild line
  /// From this many services on, the second half of the services is lowered on a second
  /// thread. A service costs about 35 k instructions to lower and write (bench/profile), but a
  /// thread costs more than its 50–100 µs start: its stack faults in, and malloc takes locks
  /// from then on. Interleaved runs of the benchmark stacks were faster on one thread up to 400
  /// services; 512 matches the size from which the parser splits a file (about 1 MB of spec).
  /// The documents are the same either way; tests set it to 1 or SIZE_MAX to compare the two
  /// paths.
  std::size_t parallel_services = 512;
  /// When false, the compose file's `services:` map is left empty, in its place, for a writer
  /// that lowers its entries a run at a time with lower_services (emit::StreamedMap), so that a
  /// large stack's service documents are never all in memory at once.
  bool service_entries = true;
};

Outputs lower(const model::Deployment& deployment, const Options& options);
/// The documents would view a deployment that is gone by the time they are emitted.
Outputs lower(model::Deployment&& deployment, const Options& options) = delete;

/// The `services:` entries of `services`, a run of deployment.services, appended to `out`: the
/// same entries lower() writes for them. Their composed text goes to `text`; they view it and
/// the deployment.
void lower_services(const model::Deployment& deployment, const Options& options,
                    std::span<const model::Service> services, Map& out, TextStore& text);

/// Deterministic text dump for tests and `deployc dump --stage doc`.
std::string dump(const Outputs& outputs);

}  // namespace deployc::lower
