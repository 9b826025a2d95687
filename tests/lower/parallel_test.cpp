// Large deployments are lowered and written on two threads (lower::Options::parallel_services,
// emit::YamlOptions::parallel_entries). Both paths must give the same documents and the same
// bytes, on every spec: each test forces the serial path, the parallel one, and splits at
// every size the seed allows.
#include <catch2/catch.hpp>

#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>
#include <vector>

#include "driver/compile.hpp"
#include "emit/emit.hpp"
#include "lower/lower.hpp"
#include "tests/lower/seed_model.hpp"

namespace lower = deployc::lower;
namespace emit = deployc::emit;
namespace driver = deployc::driver;
namespace model = deployc::model;

namespace {

constexpr std::size_t kNever = SIZE_MAX;

lower::Options options_with(std::size_t parallel_services) {
  lower::Options options{"app.deploy", {"tier=prod"}};
  options.parallel_services = parallel_services;
  return options;
}

std::string compose_text(const lower::Outputs& outputs, std::size_t parallel_entries) {
  return emit::yaml(outputs.compose, emit::YamlOptions{parallel_entries});
}

/// The compose file of `deployment` with its services lowered a run at a time as they are
/// written, as a large stack's build does.
std::string streamed_compose_text(const model::Deployment& deployment, std::size_t run_entries,
                                  std::size_t parallel_entries) {
  lower::Options options = options_with(kNever);
  options.service_entries = false;
  const lower::Outputs skeleton = lower::lower(deployment, options);
  const std::span<const model::Service> services(deployment.services);
  const emit::StreamedMap streamed{
      "services", services.size(),
      [&](std::size_t first, std::size_t n, lower::Map& out, deployc::support::TextStore& text) {
        lower::lower_services(deployment, options, services.subspan(first, n), out, text);
      }};
  emit::YamlOptions yaml_options{parallel_entries};
  yaml_options.run_entries = run_entries;
  return emit::yaml(skeleton.compose, streamed, yaml_options);
}

/// Lowers and writes `deployment` serially, then with every stage parallel from the smallest
/// size on, then with the services lowered as they are written, and checks that the documents
/// and the bytes of each file are the same.
void check_same_both_ways(const model::Deployment& deployment) {
  const lower::Outputs serial = lower::lower(deployment, options_with(kNever));
  const lower::Outputs parallel = lower::lower(deployment, options_with(1));
  CHECK(lower::dump(parallel) == lower::dump(serial));

  const std::string expected = compose_text(serial, kNever);
  CHECK(compose_text(serial, 1) == expected);
  CHECK(compose_text(parallel, 1) == expected);
  CHECK(compose_text(parallel, kNever) == expected);
  for (const std::size_t run_entries : {1, 2, 3, 128}) {
    for (const std::size_t parallel_entries : {std::size_t{1}, std::size_t{5}, kNever}) {
      INFO("runs of " << run_entries << ", two halves from " << parallel_entries);
      CHECK(streamed_compose_text(deployment, run_entries, parallel_entries) == expected);
    }
  }
  CHECK(emit::env(parallel.env) == emit::env(serial.env));
  REQUIRE(parallel.build.has_value() == serial.build.has_value());
  if (serial.build) {
    CHECK(emit::yaml(*parallel.build, emit::YamlOptions{1}) ==
          emit::yaml(*serial.build, emit::YamlOptions{kNever}));
  }
}

/// The seed's services `copies` times over, each copy under its own names.
model::Deployment repeated_seed(std::size_t copies) {
  model::Deployment d = deployc::testing::seed_model();
  const std::vector<model::Service> originals = d.services;
  d.services.clear();
  for (std::size_t copy = 0; copy < copies; ++copy) {
    for (model::Service service : originals) {
      service.name += "-" + std::to_string(copy);
      for (auto& dependency : service.depends_on) dependency.service += "-" + std::to_string(copy);
      d.services.push_back(std::move(service));
    }
  }
  return d;
}

/// The whole result: its deployment views its sources.
driver::CompileResult compiled(const std::string& path) {
  driver::CompileResult result = driver::compile_file(path, {});
  INFO(path);
  REQUIRE(result.ok());
  REQUIRE(result.deployment.has_value());
  return result;
}

}  // namespace

TEST_CASE("the seed deployment is the same lowered and written on one thread or two") {
  check_same_both_ways(deployc::testing::seed_model(true));
  check_same_both_ways(deployc::testing::seed_model(false));
}

TEST_CASE("a deployment is the same on one thread or two, whatever its number of services") {
  for (std::size_t copies : {1, 2, 3, 7, 40}) {
    INFO(copies << " copies of the seed's services");
    check_same_both_ways(repeated_seed(copies));
  }
}

TEST_CASE("the thresholds choose the path, not the bytes, when a split leaves one side empty") {
  model::Deployment one = deployc::testing::seed_model();
  one.services.resize(1);
  one.services.front().depends_on.clear();
  check_same_both_ways(one);
  model::Deployment none = deployc::testing::seed_model();
  none.services.clear();
  check_same_both_ways(none);
}

TEST_CASE("the bundled examples are the same lowered and written on one thread or two") {
  for (const char* example :
       {"examples/acme-shop/app.deploy", "examples/saas-platform/app.deploy"}) {
    check_same_both_ways(*compiled(std::string(DEPLOYC_SOURCE_DIR) + "/" + example).deployment);
  }
}

// Registered with the benchmark's generated stack (tests.cmake), so hidden from the default run.
TEST_CASE("the benchmark stack is the same lowered and written on one thread or two",
          "[.][bench-stack]") {
  const char* spec = std::getenv("DEPLOYC_BENCH_STACK");
  REQUIRE(spec != nullptr);
  const driver::CompileResult result = compiled(spec);
  check_same_both_ways(*result.deployment);
  // A compile of this size streams its services and writes its env example on a worker: the
  // files are those of the whole documents, written on one thread.
  lower::Options whole{spec, {}};
  whole.parallel_services = kNever;
  const lower::Outputs serial = lower::lower(*result.deployment, whole);
  REQUIRE(result.files.has_value());
  CHECK(result.files->compose == compose_text(serial, kNever));
  CHECK(result.files->env_example == emit::env(serial.env));
}

TEST_CASE("a large map is written the same in two halves wherever it sits in the document") {
  using lower::Map;
  using lower::Node;
  Map inner;
  for (const char* key : {"a", "b", "c", "d", "e"}) {
    inner.emplace_back(key,
                       Node{Map{{"image", Node{std::string_view("x")}},
                                {"ports", Node{lower::Seq{Node{std::string_view("80:80")}}}}}});
  }
  inner.emplace_back("scalar", Node{std::int64_t{3}});
  inner.emplace_back("empty", Node{Map{}});
  for (bool first : {true, false}) {
    lower::YamlDocument doc;
    doc.header = {"header"};
    if (!first) doc.root.emplace_back("name", Node{std::string_view("demo")});
    doc.root.emplace_back("services", Node{inner});
    doc.root.emplace_back("volumes", Node{Map{{"data", Node{Map{}}}}});
    const std::string expected = emit::yaml(doc, emit::YamlOptions{kNever});
    for (std::size_t threshold : {1, 2, 7}) {
      INFO("first: " << first << ", threshold " << threshold);
      CHECK(emit::yaml(doc, emit::YamlOptions{threshold}) == expected);
    }
  }
}
