#!/usr/bin/env python3
"""The installed package, used by another project (tests/consumer/project/).

usage: consumer_test.py --cmake CMAKE --build-dir BUILD --source-dir SRC --work DIR
                        [--generator G] [--build-type T] [--cxx CXX] --step STEP

  install        `cmake --install BUILD --prefix DIR/prefix` into a fresh prefix
  generate       a copy of the project configured with find_package(deployc) and built:
                 deployc_generate's outputs appear, a second build does not run deployc, and
                 editing the imported module (deploy/logs.deploy) regenerates them
  manual         docs/deployc.1 and the bash completion name every command and option that
                 `deployc --help` and `deployc COMMAND --help` print
  embedded       the project's `embed` program, linked with deployc::deployc, compiles the
                 acme-shop example in-process and checks the results

Each step works in DIR/<step>-<generator> and prints what it ran when it fails.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys

OUTPUTS = ["compose.production.yml", ".env.production.example"]


class Failure(Exception):
    pass


def run(args, cwd=None):
    proc = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=900)
    if proc.returncode != 0:
        raise Failure(f"command failed ({proc.returncode}): {' '.join(args)}\n"
                      f"--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr}")
    return proc.stdout + proc.stderr


def check(condition, message, *details):
    if not condition:
        raise Failure("\n".join([message] + [str(d) for d in details]))


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def slug(generator):
    return re.sub(r"[^a-z0-9]+", "-", generator.lower()).strip("-")


def configure(opts, step):
    """A fresh copy of the project, configured against the installed prefix."""
    root = os.path.join(opts.work, f"{step}-{slug(opts.generator)}")
    shutil.rmtree(root, ignore_errors=True)
    source = os.path.join(root, "src")
    build = os.path.join(root, "build")
    shutil.copytree(os.path.join(opts.source_dir, "tests", "consumer", "project"), source)
    prefix = os.path.join(opts.work, "prefix")
    check(os.path.isfile(os.path.join(prefix, "lib", "cmake", "deployc", "deploycConfig.cmake"))
          or any(os.path.isfile(os.path.join(prefix, d, "cmake", "deployc", "deploycConfig.cmake"))
                 for d in os.listdir(prefix) if d.startswith("lib")),
          "the package is not installed: run the consumer/install test first", prefix)
    args = [opts.cmake, "-S", source, "-B", build, "-G", opts.generator,
            f"-DCMAKE_PREFIX_PATH={prefix}",
            f"-DACME_SPEC={os.path.join(opts.source_dir, 'examples', 'acme-shop', 'app.deploy')}"]
    if opts.build_type:
        args.append(f"-DCMAKE_BUILD_TYPE={opts.build_type}")
    if opts.cxx:
        args.append(f"-DCMAKE_CXX_COMPILER={opts.cxx}")
    run(args)
    return source, build


def build_target(opts, build, target):
    return run([opts.cmake, "--build", build, "--target", target])


def step_install(opts):
    prefix = os.path.join(opts.work, "prefix")
    shutil.rmtree(prefix, ignore_errors=True)
    run([opts.cmake, "--install", opts.build_dir, "--prefix", prefix])
    expected = [
        os.path.join("bin", "deployc"),
        os.path.join("include", "deployc", "deployc.hpp"),
        os.path.join("share", "man", "man1", "deployc.1"),
        os.path.join("share", "bash-completion", "completions", "deployc"),
    ]
    for rel in expected:
        check(os.path.isfile(os.path.join(prefix, rel)), f"not installed: {rel}")
    found = []
    for base, _, names in os.walk(prefix):
        found += [os.path.relpath(os.path.join(base, n), prefix) for n in names]
    for name in ["libdeployc.a", "deploycConfig.cmake", "deploycConfigVersion.cmake",
                 "deploycTargets.cmake", "DeploycGenerate.cmake"]:
        check(any(os.path.basename(f) == name for f in found), f"not installed: {name}", found)
    # The public header stands alone: no internal header is installed or included.
    header = read(os.path.join(prefix, "include", "deployc", "deployc.hpp"))
    includes = re.findall(r'^#include\s*[<"]([^>"]+)[>"]', header, re.M)
    check(all("/" not in i and "." not in i for i in includes),
          "the public header includes only standard headers", includes)
    check(len([f for f in found if f.endswith(".hpp")]) == 1, "one header installed", found)
    version = run([os.path.join(prefix, "bin", "deployc"), "--version"])
    check(version.startswith("deployc "), "the installed binary runs", version)


def step_generate(opts):
    source, build = configure(opts, "generate")
    out = os.path.join(build, "deploy-out")
    outputs = [os.path.join(out, name) for name in OUTPUTS]

    log = build_target(opts, build, "deployment")
    for path in outputs:
        check(os.path.isfile(path), f"deployc_generate did not write {path}", log)
    compose = read(outputs[0])
    check('max-file: "3"' in compose, "the imported module's logging is in the output", compose)
    check("SENTRY_DSN" in compose, "DEFINES sentry=true reached deployc", compose)
    check("CHANGE_ME" in read(outputs[1]), "the env example is the generated one")

    # Nothing changed: the outputs were written after every input was, so no rebuild.
    spec = os.path.join(source, "deploy", "app.deploy")
    module = os.path.join(source, "deploy", "logs.deploy")
    log = build_target(opts, build, "deployment")
    check("Generating deployment files" not in log, "an up-to-date build ran deployc again", log)

    # Edit the imported module only: the depfile makes it an input of the outputs.
    edit(module, lambda text: text.replace('max_file="3"', 'max_file="7"'), outputs)
    log = build_target(opts, build, "deployment")
    check("Generating deployment files" in log, "editing the imported module did not rebuild", log)
    compose_after = read(outputs[0])
    check('max-file: "7"' in compose_after, "the regenerated output has the module's change",
          compose_after)

    # An edit of the spec that changes no output reruns deployc, which leaves the bytes (and
    # so the mtime) of the outputs alone.
    before = {p: (read(p), os.stat(p).st_mtime_ns) for p in outputs}
    edit(spec, lambda text: text + "\n# an edit that changes no output\n", outputs)
    log = build_target(opts, build, "deployment")
    check("Generating deployment files" in log, "editing the spec did not rebuild", log)
    check("unchanged" in log, "deployc reports the outputs unchanged", log)
    after = {p: (read(p), os.stat(p).st_mtime_ns) for p in outputs}
    check(before == after, "an output was rewritten with the same bytes", before, after)


def edit(path, change, outputs):
    """Rewrites `path`, and makes sure it is newer than every output even on a file system
    with coarse timestamps (a build system compares modification times)."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    with open(path, "w", encoding="utf-8") as f:
        f.write(change(text))
    newest_output = max(os.stat(p).st_mtime_ns for p in outputs)
    mtime = max(os.stat(path).st_mtime_ns, newest_output + 1_000_000_000)
    os.utime(path, ns=(mtime, mtime))


def step_embedded(opts):
    _, build = configure(opts, "embedded")
    build_target(opts, build, "embed")
    exe = os.path.join(build, "embed")
    proc = subprocess.run([exe], capture_output=True, text=True, timeout=300)
    check(proc.returncode == 0, f"embed failed ({proc.returncode})", proc.stdout, proc.stderr)
    check(proc.stdout.strip() == "embed: ok", "embed printed its verdict", proc.stdout)


def step_manual(opts):
    binary = os.path.join(opts.build_dir, "src", "deployc")
    overview = run([binary, "--help"])
    commands = sorted(set(re.findall(r"^  deployc ([a-z][a-z-]+)", overview, re.M)) - {"help"})
    check({"build", "check", "env-check"} <= set(commands), "commands in --help", overview)
    helps = overview + "".join(run([binary, c, "--help"]) for c in commands)
    options = set(re.findall(r"(?<![\w-])(--[a-z][a-z-]*|-[A-Za-z](?=[ ,]|$)|-Werror|-Wno-)",
                             helps, re.M))
    manual = read(os.path.join(opts.source_dir, "docs", "deployc.1")).replace("\\-", "-")
    completion = read(os.path.join(opts.source_dir, "completions", "deployc.bash"))
    missing_man = sorted(x for x in commands + sorted(options) if x not in manual)
    check(not missing_man, "not in docs/deployc.1", missing_man)
    missing_completion = sorted(x for x in commands + sorted(options)
                                if x not in completion and x not in ("-h", "--version"))
    check(not missing_completion, "not in completions/deployc.bash", missing_completion)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cmake", required=True)
    parser.add_argument("--build-dir", required=True)
    parser.add_argument("--source-dir", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--generator", default="Unix Makefiles")
    parser.add_argument("--build-type", default="")
    parser.add_argument("--cxx", default="")
    parser.add_argument("--step", required=True, choices=["install", "generate", "embedded", "manual"])
    opts = parser.parse_args()
    try:
        {"install": step_install, "generate": step_generate, "embedded": step_embedded,
         "manual": step_manual}[
            opts.step](opts)
    except Failure as e:
        print(f"FAIL consumer/{opts.step}: {e}", file=sys.stderr)
        return 1
    print(f"ok consumer/{opts.step}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
