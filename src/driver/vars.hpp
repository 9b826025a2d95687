// `deployc vars`: the variable inventory of a deployment as a table, JSON or markdown. Private to
// the driver. Deterministic: rows in the env example's order, nothing from the environment.
#pragma once

#include <string>

#include "sema/model.hpp"

namespace deployc::driver {

enum class VarsFormat { Table, Json, Markdown };

/// One row per variable: name, type, required, default, secret, section, doc and the services
/// that read it.
std::string vars_report(const model::Deployment& deployment, VarsFormat format);

}  // namespace deployc::driver
