// model → DEPLOYMENT.md: the operator's guide to one deployment, generated from the same model
// as the compose file so the two cannot drift. Deterministic: the text depends only on the model
// and the options (no time, locale, user or absolute path).
//
// Contents: the services (image, published ports, health check), the prerequisites inferred from
// the declared env vars (PostgreSQL, Redis, OIDC provider, …), the variable table by section,
// and the deploy, update and rollback commands with the real file names, ports and health URLs.
#pragma once

#include <string>
#include <vector>

#include "lower/lower.hpp"
#include "sema/model.hpp"

namespace deployc::lower {

/// An external service the deployment needs, and the variables that point at it.
struct Prerequisite {
  std::string name;         ///< "PostgreSQL"
  std::string description;  ///< one sentence
  std::vector<std::string> vars;
};

/// The external services the env vars imply, in a fixed order (databases first).
std::vector<Prerequisite> prerequisites(const model::Deployment& deployment);

/// Names of the services that read `var` (by interpolation or as a Compose secret), in model
/// order.
std::vector<std::string> readers(const model::Deployment& deployment, std::size_t var);

/// The markdown text of DEPLOYMENT.md. `options` are the ones lower() gets: the spec's name
/// relative to the output directory and the -D arguments, for the regenerate command.
std::string docs(const model::Deployment& deployment, const Options& options);

}  // namespace deployc::lower
