// model → output documents. Cannot fail: sema has established every invariant. The documents
// view the model's strings: use them only while the deployment is alive and unchanged.
#pragma once

#include <string>
#include <vector>

#include "lower/document.hpp"
#include "sema/model.hpp"

namespace deployc::lower {

struct Options {
  std::string spec_name;  ///< the spec as the header names it: relative to the output directory
  std::vector<std::string> define_args;  ///< `-D name=value` as given, for the header's rebuild line
};

Outputs lower(const model::Deployment& deployment, const Options& options);
/// The documents would view a deployment that is gone by the time they are emitted.
Outputs lower(model::Deployment&& deployment, const Options& options) = delete;

/// Deterministic text dump for tests and `deployc dump --stage doc`.
std::string dump(const Outputs& outputs);

}  // namespace deployc::lower
