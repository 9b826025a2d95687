// Line diffs for `deployc check`, in the unified format `patch` and reviewers read.
#pragma once

#include <string>
#include <string_view>

namespace deployc::driver {

/// A unified diff (3 lines of context, Myers' shortest edit script) turning `before` into
/// `after`, headed `--- before_label` / `+++ after_label`. Empty when the texts are equal.
/// A last line without a line end is marked `\ No newline at end of file`, as GNU diff does.
std::string unified_diff(std::string_view before, std::string_view after,
                         std::string_view before_label, std::string_view after_label);

}  // namespace deployc::driver
