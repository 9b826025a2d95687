#!/usr/bin/env python3
"""The deployc command line, run for real in temporary directories.

usage: cli_test.py --binary PATH [--source-dir DIR] --case NAME
       cli_test.py --list                    (one case name per line; CTest registers each)

Every case copies examples/acme-shop/app.deploy into a fresh temporary directory, runs the
binary there with NO_COLOR=1, and checks exit status, stdout, stderr and the files on disk.
Codes checked here: D0901 (unreadable spec), D0902 (oversized spec), D0903 (unwritable
output), D0904 (stale output), D0905 (missing output with --require-outputs).
"""
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
import casekit  # noqa: E402
from casekit import case, check, read, write  # noqa: E402


OUTPUTS = ["compose.production.yml", ".env.production.example"]
BROKEN = "service {{{ this is not a statement\n"


def snapshot(env, folder="out"):
    """(bytes, mtime_ns) of every file in the output folder."""
    result = {}
    for name in env.files(folder):
        p = env.path(folder, name)
        result[name] = (read(p, "rb"), os.stat(p).st_mtime_ns)
    return result


def age_outputs(env, folder="out"):
    """Sets every output's mtime to a fixed past moment, so any rewrite is visible."""
    for name in env.files(folder):
        os.utime(env.path(folder, name), ns=(1_000_000_000, 1_000_000_000))


# ---- build ------------------------------------------------------------------------------------

@case
def build_writes_both_outputs(env):
    proc = env.expect(env.run("build", "app.deploy", "-o", "out"), 0)
    check(proc.stdout == "wrote out/compose.production.yml\nwrote out/.env.production.example\n",
          "unexpected stdout", proc.stdout)
    check(proc.stderr == "", "a clean build prints no diagnostics", proc.stderr)
    check(env.files("out") == sorted(OUTPUTS), "exactly the two outputs, no temp file",
          env.files("out"))
    check(read(env.path("out", "compose.production.yml")).startswith("#"),
          "the compose file starts with its header comment")
    check(not os.path.exists(env.path("out", ".env.production")), ".env.production is never written")


@case
def build_creates_nested_output_dir(env):
    env.expect(env.run("build", "app.deploy", "-o", "a/b/c/"), 0)
    check(env.files("a/b/c") == sorted(OUTPUTS), "outputs in the created folder", env.files("a"))


@case
def build_again_leaves_files_untouched(env):
    env.expect(env.run("build", "app.deploy", "-o", "out"), 0)
    age_outputs(env)
    before = snapshot(env)
    proc = env.expect(env.run("build", "app.deploy", "-o", "out"), 0)
    check(proc.stdout == "unchanged out/compose.production.yml\nunchanged out/.env.production.example\n",
          "second build reports unchanged", proc.stdout)
    check(snapshot(env) == before, "bytes and mtimes unchanged")


@case
def build_replaces_an_edited_output(env):
    env.expect(env.run("build", "app.deploy", "-o", "out"), 0)
    good = read(env.path("out", "compose.production.yml"))
    write(env.path("out", "compose.production.yml"), good + "# edited\n")
    age_outputs(env)
    os.chmod(env.path("out", "compose.production.yml"), 0o640)
    proc = env.expect(env.run("build", "app.deploy", "-o", "out"), 0)
    check("wrote out/compose.production.yml\n" in proc.stdout, "the edited file is rewritten", proc.stdout)
    check("unchanged out/.env.production.example\n" in proc.stdout, "the other is not", proc.stdout)
    check(read(env.path("out", "compose.production.yml")) == good, "content restored")
    check(os.stat(env.path("out", "compose.production.yml")).st_mode & 0o777 == 0o640,
          "a replaced file keeps its permissions")
    check(env.files("out") == sorted(OUTPUTS), "no temp file left", env.files("out"))


@case
def build_is_independent_of_working_directory(env):
    env.expect(env.run("build", "app.deploy", "-o", "out"), 0)
    os.mkdir(env.path("elsewhere"))
    env.expect(env.run("build", env.path("app.deploy"), "-o", env.path("out2"),
                       cwd=env.path("elsewhere")), 0)
    for name in OUTPUTS:
        check(read(env.path("out", name)) == read(env.path("out2", name)),
              f"{name}: same bytes from another working directory and absolute paths")


@case
def header_names_spec_relative_to_output_dir(env):
    env.expect(env.run("build", "app.deploy", "-o", "out"), 0)
    header = read(env.path("out", "compose.production.yml")).split("\n\n")[0]
    check("../app.deploy" in header, "the header names ../app.deploy", header)
    env.expect(env.run("build", "app.deploy"), 0)
    header = read(env.path("compose.production.yml")).split("\n\n")[0]
    check("../app.deploy" not in header and "app.deploy" in header,
          "with the output next to the spec, the header names app.deploy", header)


@case
def defines_change_the_output(env):
    env.expect(env.run("build", "app.deploy", "-o", "plain"), 0)
    env.expect(env.run("build", "app.deploy", "-o", "sentry", "-D", "include_sentry=yes"), 0)
    env.expect(env.run("build", "app.deploy", "-o", "sentry2", "-Dinclude_sentry=yes"), 0)
    plain = read(env.path("plain", ".env.production.example"))
    sentry = read(env.path("sentry", ".env.production.example"))
    check("SENTRY_DSN" not in plain and "SENTRY_DSN" in sentry, "the flag adds SENTRY_DSN")
    check(sentry == read(env.path("sentry2", ".env.production.example")), "-Dname=value works too")


@case
def build_without_file_uses_the_only_spec(env):
    proc = env.expect(env.run("build"), 0)
    check(proc.stdout == "wrote compose.production.yml\nwrote .env.production.example\n",
          "outputs go to the current directory", proc.stdout)


@case
def default_file_zero_or_several(env):
    os.mkdir(env.path("empty"))
    proc = env.expect(env.run("build", cwd=env.path("empty")), 2)
    check("deployc: error: no `.deploy` file in the current directory" in proc.stderr,
          "zero specs: clear message", proc.stderr)
    write(env.path("other.deploy"), env.spec_text)
    proc = env.expect(env.run("check"), 2)
    check("several `.deploy` files in the current directory (app.deploy, other.deploy)" in proc.stderr,
          "several specs: they are named", proc.stderr)
    check(env.files() == ["app.deploy", "other.deploy"], "nothing written")


# ---- failures write nothing -------------------------------------------------------------------

@case
def syntax_error_writes_nothing(env):
    env.expect(env.run("build", "app.deploy", "-o", "out"), 0)
    age_outputs(env)
    before = snapshot(env)
    write(env.path("app.deploy"), env.spec_text + BROKEN)
    proc = env.expect(env.run("build", "app.deploy", "-o", "out"), 1)
    check(proc.stdout == "", "nothing reported as written", proc.stdout)
    check(re.search(r"^error\[D01\d\d\]: ", proc.stderr, re.M), "a syntax error is reported", proc.stderr)
    check(" --> app.deploy:" in proc.stderr, "with the path as given", proc.stderr)
    check(re.search(r"^deployc: \d+ errors?", proc.stderr, re.M), "and the summary line", proc.stderr)
    check(snapshot(env) == before, "existing outputs untouched")
    env.expect(env.run("build", "app.deploy", "-o", "fresh"), 1)
    check(not os.path.exists(env.path("fresh")), "no output folder created on errors")


@case
def large_spec_compiles_as_a_small_one(env):
    # From 64 KiB on the spec is mapped instead of read (driver/files.cpp): the same outputs,
    # and diagnostics that point into it, up to its very last byte.
    env.expect(env.run("build", "app.deploy", "-o", "small"), 0)
    padding = "".join(f"# padding line {i:05d} to make the spec large\n" for i in range(2000))
    large = env.spec_text + padding
    check(len(large) > 64 * 1024, "the spec is over the threshold", len(large))
    write(env.path("app.deploy"), large)
    env.expect(env.run("build", "app.deploy", "-o", "large"), 0)
    for name in OUTPUTS:
        check(read(env.path("large", name)) == read(env.path("small", name)),
              f"{name} is the same for the large spec")
    # No line end after the mistake: the last byte of the file is the last byte of the mapping.
    write(env.path("app.deploy"), large + "servce extra {}")
    lines = (large + "servce extra {}").count("\n") + 1
    proc = env.expect(env.run("check", "app.deploy"), 1)
    check(f" --> app.deploy:{lines}:1" in proc.stderr, "the mistake's line and column", proc.stderr)
    check("servce extra {}" in proc.stderr, "and its source line", proc.stderr)


@case
def unwritable_output_dir(env):
    write(env.path("blocker"), "not a folder\n")
    proc = env.expect(env.run("build", "app.deploy", "-o", "blocker/out"), 2)
    check("deployc: error[D0903]: cannot write `blocker/out`" in proc.stderr, "D0903 names the folder",
          proc.stderr)
    check(proc.stdout == "", "nothing reported as written", proc.stdout)
    proc = env.expect(env.run("build", "app.deploy", "-o", "blocker"), 2)
    check("D0903" in proc.stderr, "an output dir that is a file", proc.stderr)
    check(read(env.path("blocker")) == "not a folder\n", "the file is untouched")
    check(env.files() == ["app.deploy", "blocker"], "no temp files left", env.files())


@case
def failed_rename_leaves_no_partial_outputs(env):
    # compose.production.yml is a folder: its rename fails after both temp files were written.
    os.makedirs(env.path("out", "compose.production.yml"))
    proc = env.expect(env.run("build", "app.deploy", "-o", "out"), 2)
    check("deployc: error[D0903]: cannot write `out/compose.production.yml`" in proc.stderr,
          "the failing file is named", proc.stderr)
    check(env.files("out") == [], "no temp file and no half of the pair written", env.files("out"))


@case
def unreadable_spec(env):
    proc = env.expect(env.run("build", "missing.deploy", "-o", "out"), 2)
    check("deployc: error[D0901]: cannot read `missing.deploy`: No such file or directory" in proc.stderr,
          "D0901 with the OS message", proc.stderr)
    os.mkdir(env.path("dir.deploy"))
    proc = env.expect(env.run("check", "dir.deploy"), 2)
    check("D0901" in proc.stderr and "directory" in proc.stderr, "a folder is not a spec", proc.stderr)
    check(not os.path.exists(env.path("out")), "nothing written")


@case
def oversized_spec(env):
    with open(env.path("huge.deploy"), "wb") as f:
        f.truncate(65 * 1024 * 1024)  # sparse: no need to write 65 MiB
    proc = env.expect(env.run("build", "huge.deploy", "-o", "out"), 2)
    check("deployc: error[D0902]: `huge.deploy` is larger than the limit of 67108864 bytes" in proc.stderr,
          "D0902", proc.stderr)
    check(not os.path.exists(env.path("out")), "nothing written")


# ---- check ------------------------------------------------------------------------------------

@case
def check_passes_on_fresh_outputs(env):
    env.expect(env.run("build", "app.deploy", "-o", "out"), 0)
    age_outputs(env)
    before = snapshot(env)
    proc = env.expect(env.run("check", "app.deploy", "-o", "out"), 0)
    check(proc.stdout == "up to date out/compose.production.yml\nup to date out/.env.production.example\n",
          "check reports each output", proc.stdout)
    check(snapshot(env) == before, "check writes nothing")


def built_then_edited(env, name, edit):
    """Builds into out/, then lets `edit` change the bytes of out/NAME in place; its path."""
    env.expect(env.run("build", "app.deploy", "-o", "out"), 0)
    p = env.path("out", name)
    data = bytearray(read(p, "rb"))
    edit(data)
    write(p, bytes(data), "wb")
    return p


@case
def check_fails_after_one_byte_edit(env):
    def insert_x(data):
        i = data.index(b"=")
        data[i + 1:i + 1] = b"X"
    p = built_then_edited(env, ".env.production.example", insert_x)
    edited = read(p, "rb")
    proc = env.expect(env.run("check", "app.deploy", "-o", "out"), 1)
    check("stale out/.env.production.example\n" in proc.stdout, "stale file named", proc.stdout)
    check("--- out/.env.production.example\n+++ out/.env.production.example\n@@ -" in proc.stdout,
          "a unified diff", proc.stdout)
    minus = [l for l in proc.stdout.splitlines() if l.startswith("-") and not l.startswith("---")]
    plus = [l for l in proc.stdout.splitlines() if l.startswith("+") and not l.startswith("+++")]
    check(len(minus) == 1 and len(plus) == 1 and "=X" in minus[0], "one line changed", proc.stdout)
    check("error[D0904]: `out/.env.production.example` is out of date with its spec" in proc.stderr,
          "D0904 reported", proc.stderr)
    check("help: run `deployc build app.deploy -o out` to update it" in proc.stderr,
          "with the command that fixes it", proc.stderr)
    check(read(p, "rb") == edited, "check does not repair")


@case
def check_fails_after_same_size_edit(env):
    # Same size, so the comparison cannot stop at the sizes: it must find the byte.
    def capitalize(data):
        i = data.rindex(b"json-file")
        data[i:i + 4] = b"JSON"
    built_then_edited(env, "compose.production.yml", capitalize)
    proc = env.expect(env.run("check", "app.deploy", "-o", "out"), 1)
    check("up to date out/.env.production.example\n" in proc.stdout, "the other is fine", proc.stdout)
    check("stale out/compose.production.yml\n" in proc.stdout, "stale file named", proc.stdout)
    check(re.search(r"^-.*JSON-file", proc.stdout, re.M), "the diff shows the edit", proc.stdout)
    check("error[D0904]" in proc.stderr, "D0904 reported", proc.stderr)


@case
def check_reports_an_output_it_cannot_read(env):
    os.makedirs(env.path("out", "compose.production.yml"))
    proc = env.expect(env.run("check", "app.deploy", "-o", "out"), 2)
    check("deployc: error[D0901]: cannot read `out/compose.production.yml`: Is a directory"
          in proc.stderr, "D0901 with the reason", proc.stderr)


@case
def check_fails_after_spec_change(env):
    env.expect(env.run("build", "app.deploy", "-o", "out"), 0)
    changed = env.spec_text.replace('"acme_shop"', '"acme_store"', 1)
    check(changed != env.spec_text, "test setup: the spec names acme_shop")
    write(env.path("app.deploy"), changed)
    proc = env.expect(env.run("check", "app.deploy", "-o", "out"), 1)
    check("stale out/compose.production.yml" in proc.stdout, "compose is stale", proc.stdout)
    check(re.search(r"^\+.*acme_store", proc.stdout, re.M), "the diff shows the new name", proc.stdout)


@case
def check_missing_outputs(env):
    proc = env.expect(env.run("check", "app.deploy", "-o", "out"), 0)
    check(proc.stdout == "", "missing outputs are ignored by default", proc.stdout)
    check(not os.path.exists(env.path("out")), "check creates nothing")
    proc = env.expect(env.run("check", "app.deploy", "-o", "out", "--require-outputs"), 1)
    check("missing out/compose.production.yml" in proc.stdout, "named on stdout", proc.stdout)
    check("error[D0905]: `out/compose.production.yml` does not exist" in proc.stderr, "D0905",
          proc.stderr)


@case
def check_with_errors_fails(env):
    write(env.path("app.deploy"), env.spec_text + BROKEN)
    proc = env.expect(env.run("check", "app.deploy"), 1)
    check(re.search(r"^error\[D01\d\d\]", proc.stderr, re.M), "the syntax error", proc.stderr)


@case
def check_flag_is_check_command(env):
    env.expect(env.run("build", "app.deploy", "-o", "out"), 0)
    a = env.expect(env.run("check", "app.deploy", "-o", "out"), 0)
    b = env.expect(env.run("--check", "app.deploy", "-o", "out"), 0)
    check(a.stdout == b.stdout and a.stderr == b.stderr, "same output", a, b)
    write(env.path("out", "compose.production.yml"), "x\n")
    a = env.expect(env.run("check", "app.deploy", "-o", "out"), 1)
    b = env.expect(env.run("-o", "out", "--check", "app.deploy"), 1)
    check(a.stdout == b.stdout and a.stderr == b.stderr, "same output on drift", a, b)


# ---- diagnostics formats ----------------------------------------------------------------------

@case
def json_diagnostics(env):
    proc = env.expect(env.run("build", "app.deploy", "-o", "out", "--diagnostics-format=json"), 0)
    check(json.loads(proc.stderr) == [], "a clean run prints an empty array", proc.stderr)
    write(env.path("app.deploy"), env.spec_text + BROKEN)
    proc = env.expect(env.run("check", "app.deploy", "--diagnostics-format", "json"), 1)
    items = json.loads(proc.stderr)
    check(len(items) >= 1, "at least one diagnostic", items)
    first = items[0]
    for key in ["code", "severity", "message", "file", "line", "column", "end", "labels", "notes", "help"]:
        check(key in first, f"key {key}", first)
    check(first["file"] == "app.deploy" and first["severity"] == "error", "fields", first)
    check(first["line"] > env.spec_text.count("\n"), "points into the appended line", first)
    proc = env.expect(env.run("check", "missing.deploy", "--diagnostics-format=json"), 2)
    items = json.loads(proc.stderr)
    check(items[0]["code"] == "D0901" and items[0]["file"] is None, "I/O errors are JSON too", items)


@case
def sarif_diagnostics(env):
    write(env.path("app.deploy"), env.spec_text + BROKEN)
    proc = env.expect(env.run("check", "app.deploy", "--diagnostics-format=sarif"), 1)
    log = json.loads(proc.stderr)
    check(log["version"] == "2.1.0", "SARIF version", log.get("version"))
    driver = log["runs"][0]["tool"]["driver"]
    check(driver["name"] == "deployc", "tool name", driver)
    ids = [r["id"] for r in driver["rules"]]
    check("D0901" in ids and len(ids) == len(set(ids)), "one rule per code", ids)
    result = log["runs"][0]["results"][0]
    check(result["level"] == "error" and result["ruleId"] in ids, "result", result)
    region = result["locations"][0]["physicalLocation"]["region"]
    check(region["startLine"] > env.spec_text.count("\n"), "region", region)


@case
def max_errors_limits_text_output(env):
    broken = "".join(f"service {{{{{{ broken {i}\n" for i in range(5))
    write(env.path("app.deploy"), env.spec_text + broken)
    full = env.expect(env.run("check", "app.deploy", "--max-errors", "0"), 1)
    count = len(re.findall(r"^error\[", full.stderr, re.M))
    if count < 2:
        return  # the parser reports one error for this input: nothing to cut
    cut = env.expect(env.run("check", "app.deploy", "--max-errors=1"), 1)
    check(len(re.findall(r"^error\[", cut.stderr, re.M)) == 1, "one error shown", cut.stderr)
    check(f"deployc: stopped after 1 error; not shown: {count - 1} error" in cut.stderr,
          "says how many were left out", cut.stderr)


@case
def warnings_pass_werror_fails_wno_silences(env):
    # An env var declared and never used is a warning (D0502).
    write(env.path("app.deploy"),
          env.spec_text + 'section "Extra" {\n  env UNUSED_THING: string = "x"\n}\n')
    proc = env.expect(env.run("build", "app.deploy", "-o", "out"), 0)
    check(re.search(r"^warning\[D\d{4}\]: .*UNUSED_THING", proc.stderr, re.M), "the warning", proc.stderr)
    check(proc.stderr.endswith("\ndeployc: 1 warning\n"), "summary line", proc.stderr)
    code = re.search(r"^warning\[(D\d{4})\]", proc.stderr, re.M).group(1)
    proc = env.expect(env.run("build", "app.deploy", "-o", "strict", "-Werror"), 1)
    check(f"error[{code}]" in proc.stderr and proc.stderr.endswith("\ndeployc: 1 error\n"),
          "-Werror turns it into an error", proc.stderr)
    check(not os.path.exists(env.path("strict")), "and nothing is written")
    proc = env.expect(env.run("build", "app.deploy", "-o", "quiet", f"-Wno-{code}"), 0)
    check(proc.stderr == "", "-Wno- silences it", proc.stderr)


@case
def colour_only_on_a_terminal_without_no_color(env):
    import pty
    write(env.path("app.deploy"), env.spec_text + BROKEN)

    def stderr_on_terminal(extra_env):
        master, slave = pty.openpty()
        environ = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
        environ.update(extra_env)
        proc = subprocess.run([env.binary, "check", "app.deploy"], cwd=env.root, env=environ,
                              stdout=subprocess.DEVNULL, stderr=slave, timeout=120)
        os.close(slave)
        chunks = []
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the terminal has no writer left
                break
            if not chunk:
                break
            chunks.append(chunk)
        os.close(master)
        check(proc.returncode == 1, "exit status 1", proc.returncode)
        return b"".join(chunks)

    check(b"\x1b[" in stderr_on_terminal({}), "colour on a terminal")
    check(b"\x1b[" not in stderr_on_terminal({"NO_COLOR": "1"}), "no colour with NO_COLOR")
    environ = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    proc = subprocess.run([env.binary, "check", "app.deploy"], cwd=env.root, env=environ,
                          capture_output=True, text=True, timeout=120)
    check("\x1b[" not in proc.stderr, "no colour into a pipe", proc.stderr)


# ---- usage ------------------------------------------------------------------------------------

@case
def help_and_version(env):
    for args in (["--help"], ["-h"], ["build", "--help"], ["check", "--help"], ["help", "check"],
                 ["--version"]):
        proc = env.expect(env.run(*args), 0)
        check(proc.stdout and proc.stderr == "", f"{args}: prints on stdout", proc.stdout, proc.stderr)
    check("deployc build" in env.run("--help").stdout, "top help lists build")
    check("--require-outputs" in env.run("check", "--help").stdout, "check help lists its option")
    cmake = read(os.path.join(env.source_dir, "CMakeLists.txt"))
    version = re.search(r"project\(deployc VERSION ([0-9.]+)", cmake).group(1)
    check(env.run("--version").stdout == f"deployc {version}\n", "--version matches CMakeLists.txt")
    check(env.files() == ["app.deploy"], "help writes nothing")


@case
def usage_errors(env):
    bad = [
        (["build", "--frobnicate"], "unknown option `--frobnicate`"),
        (["frobnicate"], "unknown command `frobnicate`"),
        ([], "no command given"),
        (["build", "-D", "novalue"], "`-D novalue` is not of the form `-D name=value`"),
        (["build", "-o"], "option `-o` needs a value"),
        (["build", "--diagnostics-format=xml"], "unknown diagnostics format `xml`"),
        (["build", "--max-errors", "many"], "`--max-errors` needs a whole number"),
        (["build", "-Wno-D9999"], "unknown diagnostic code `D9999`"),
        (["build", "-Wno-D0901"], "`D0901` is an error, not a warning"),
        (["build", "a.deploy", "b.deploy"], "unexpected argument `b.deploy`"),
        (["build", "--require-outputs"], "`--require-outputs` is an option of `check`"),
    ]
    for args, message in bad:
        proc = env.expect(env.run(*args), 2)
        check(proc.stderr.startswith(f"deployc: error: {message}"), f"{args}: message", proc.stderr)
        check("try `deployc" in proc.stderr, f"{args}: points at --help", proc.stderr)
    check(env.files() == ["app.deploy"], "usage errors write nothing", env.files())


# ---- docs --------------------------------------------------------------------------------------

@case
def readme_quick_start_matches_ci_run(env):
    readme = read(os.path.join(env.source_dir, "README.md"))
    section = readme.split("\n## Quick start\n", 1)
    check(len(section) == 2, "README.md has a Quick start section")
    block = re.search(r"```\w*\n(.*?)```", section[1], re.S)
    check(block, "the Quick start has a code block")
    commands = [l for l in block.group(1).splitlines() if l.strip()]
    check(len(commands) == 2, "exactly two commands", commands)
    check(commands[0].endswith("deployc build examples/acme-shop/app.deploy -o out/"),
          "the first compiles the example", commands[0])
    check("ctest --test-dir build" in commands[1], "the second runs CTest", commands[1])
    ci_run = read(os.path.join(env.source_dir, ".ci", "run")).splitlines()
    check(commands[1] in ci_run, ".ci/run runs exactly the README's test command", commands[1])


if __name__ == "__main__":
    sys.exit(casekit.main(casekit.ExampleRunner, "deployc-cli-"))
