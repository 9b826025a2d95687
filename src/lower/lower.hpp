// model → output documents. Cannot fail: sema has established every invariant.
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

/// Deterministic text dump for tests and `deployc dump --stage doc`.
std::string dump(const Outputs& outputs);

}  // namespace deployc::lower
