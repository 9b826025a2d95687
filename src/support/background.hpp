// A value computed on a second thread while the calling thread does other work: how a large
// compile uses the machine's second core (the parser's second part, the analysis worker's
// services, the back end's second half of the services, the env example, the command line's
// rendering of diagnostics).
#pragma once

#include <exception>
#include <optional>
#include <thread>
#include <utility>

namespace deployc::support {

/// Starts `compute` on a thread of its own; get() joins it and returns its value, or rethrows
/// what it threw, on the calling thread (an exception leaving a thread's function would end the
/// process). The destructor joins too, so a failure on the calling thread before get() never
/// leaves the thread running over freed state. Starting the thread may throw std::system_error.
template <typename T>
class Background {
 public:
  template <typename Compute>
  explicit Background(Compute compute)
      : thread_([this, compute = std::move(compute)]() mutable {
          try {
            value_.emplace(compute());
          } catch (...) {
            error_ = std::current_exception();
          }
        }) {}

  Background(const Background&) = delete;
  Background& operator=(const Background&) = delete;

  /// The value, once the thread is done; call once.
  T get() {
    thread_.join();
    if (error_) std::rethrow_exception(error_);
    return std::move(*value_);
  }

 private:
  std::optional<T> value_;
  std::exception_ptr error_;
  std::jthread thread_;  // last: it starts once the members it fills exist
};

}  // namespace deployc::support
