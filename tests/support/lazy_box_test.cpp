// support::LazyBox: the model's services keep their seldom-written settings in one. Reading must
// never allocate (lowering and the checks read every service), and a copy must own its value.
#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

#include "support/lazy_box.hpp"

using deployc::support::LazyBox;

namespace {

struct Settings {
  std::string user;
  std::vector<std::string> tmpfs;
};

}  // namespace

TEST_CASE("a LazyBox reads as a default value until it is written, without allocating") {
  const LazyBox<Settings> box;
  CHECK(box->user.empty());
  CHECK((*box).tmpfs.empty());
  CHECK_FALSE(box.allocated());

  LazyBox<Settings> writable;
  CHECK(writable->user.empty());  // a read through a box that may be written
  CHECK_FALSE(writable.allocated());
  writable.edit().user = "1000:1000";
  CHECK(writable.allocated());
  CHECK(writable->user == "1000:1000");
  writable.edit().tmpfs.push_back("/tmp");  // the same value, not a new one
  CHECK(writable->user == "1000:1000");
  CHECK(writable->tmpfs == std::vector<std::string>{"/tmp"});
  // Boxes never written share one default value; writing one leaves it default.
  CHECK(box->user.empty());
}

TEST_CASE("a LazyBox copy owns its own value, and a move takes it") {
  LazyBox<Settings> original;
  original.edit().user = "app";
  LazyBox<Settings> copy = original;
  copy.edit().user = "root";
  CHECK(original->user == "app");
  CHECK(copy->user == "root");

  LazyBox<Settings> assigned;
  assigned = original;
  CHECK(assigned->user == "app");
  assigned = LazyBox<Settings>();  // assigning an empty box empties it
  CHECK_FALSE(assigned.allocated());
  CHECK(assigned->user.empty());

  const LazyBox<Settings> empty_copy = LazyBox<Settings>();
  CHECK_FALSE(empty_copy.allocated());

  LazyBox<Settings> moved = std::move(original);
  CHECK(moved->user == "app");
}
