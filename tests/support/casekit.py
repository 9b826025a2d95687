"""The machinery shared by the scripts that run the real deployc binary case by case.

A script registers its cases with `@case`, builds its per-case object on `Runner` (a temporary
directory and a way to run deployc in it with NO_COLOR=1), and ends with
`sys.exit(casekit.main(Env, "deployc-<area>-"))`. Its command line:

  <script> --binary PATH [--source-dir DIR] [--case NAME]...   (no --case: every case)
  <script> --list                                              (one case name per line)

Each case runs in a fresh temporary directory and prints `ok   <name>`, `skip <name>: <why>`
or `FAIL <name>` followed by the reason. Exit status: 1 when a case failed, 77 when every case
run was skipped (CTest's SKIP_RETURN_CODE), 2 for an unknown case, 0 otherwise.
"""
import argparse
import os
import subprocess
import sys
import tempfile

CASES = {}
SKIPPED = 77
# Longest failure detail shown, in characters (None: whole); a script may lower it.
DETAIL_LIMIT = None


def case(fn):
    CASES[fn.__name__] = fn
    return fn


class Failure(Exception):
    pass


class Skip(Exception):
    """Raised by a case that cannot run here (a tool it needs is missing)."""


def clip(detail, limit=None):
    text = detail.decode("utf-8", "replace") if isinstance(detail, bytes) else str(detail)
    limit = limit if limit is not None else DETAIL_LIMIT
    if limit is None or len(text) <= limit:
        return text
    return text[:limit] + f"\n… ({len(text) - limit} more characters)"


def check(condition, message, *details):
    if not condition:
        raise Failure("\n".join([message] + [clip(d) for d in details]))


def read(path, mode="r"):
    with open(path, mode) as f:
        return f.read()


def write(path, data, mode=None):
    """Writes text or bytes (mode defaults to match), creating the parent folders; text is
    written without newline translation."""
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    mode = mode or ("wb" if isinstance(data, bytes) else "w")
    with open(path, mode, **({} if "b" in mode else {"newline": ""})) as f:
        f.write(data)


class Runner:
    """A temporary directory, and a way to run deployc in it with NO_COLOR=1."""

    timeout = 120  # seconds per command
    shown_args = None  # how many argv items a failed expect() names (None: all)
    list_dir_links = False  # whether files() lists symbolic links to folders too

    def __init__(self, binary, source_dir, root):
        self.binary = binary
        self.source_dir = source_dir
        self.root = root

    def path(self, *parts):
        return os.path.join(self.root, *parts)

    def source(self, *parts):
        return os.path.join(self.source_dir, *parts)

    def environ(self):
        return dict(os.environ, NO_COLOR="1")

    def run(self, *args, cwd=None, binary=None):
        return subprocess.run([binary or self.binary, *args], cwd=cwd or self.root,
                              env=self.environ(), capture_output=True, text=True,
                              timeout=self.timeout)

    def expect(self, proc, status):
        check(proc.returncode == status,
              f"expected exit status {status}, got {proc.returncode}: "
              f"{proc.args[:self.shown_args]}",
              "--- stdout", proc.stdout, "--- stderr", proc.stderr)
        return proc

    def files(self, *parts):
        """Every file under a folder, as sorted relative paths."""
        top = self.path(*parts)
        found = []
        for base, dirs, names in os.walk(top):
            links = [d for d in dirs if os.path.islink(os.path.join(base, d))]
            for name in names + (links if self.list_dir_links else []):
                found.append(os.path.relpath(os.path.join(base, name), top))
        return sorted(found)


class ExampleRunner(Runner):
    """A Runner whose directory starts with examples/acme-shop/app.deploy (kept in spec_text)."""

    def __init__(self, binary, source_dir, root):
        super().__init__(binary, source_dir, root)
        self.spec_text = read(self.source("examples", "acme-shop", "app.deploy"))
        write(self.path("app.deploy"), self.spec_text)


def _unlock(root):
    """Makes every folder under root writable again: a case may leave one unreadable."""
    for base, dirs, _ in os.walk(root):
        for d in dirs:
            os.chmod(os.path.join(base, d), 0o755)


def main(make_env, temp_prefix, unlock_folders=False):
    """Runs the cases named on the command line; make_env(binary, source_dir, root) builds the
    object each case receives."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary")
    parser.add_argument("--source-dir",
                        default=os.path.dirname(os.path.dirname(os.path.dirname(
                            os.path.abspath(sys.argv[0])))))
    parser.add_argument("--case", action="append")
    parser.add_argument("--list", action="store_true")
    args = parser.parse_args()
    if args.list:
        print("\n".join(CASES))
        return 0
    if not args.binary:
        parser.error("--binary is required")
    binary = os.path.abspath(args.binary)
    source_dir = os.path.abspath(args.source_dir)
    failed = skipped = 0
    for name in args.case or list(CASES):
        if name not in CASES:
            print(f"unknown case {name}", file=sys.stderr)
            return 2
        with tempfile.TemporaryDirectory(prefix=temp_prefix) as root:
            try:
                CASES[name](make_env(binary, source_dir, root))
                print(f"ok   {name}")
            except Skip as e:
                skipped += 1
                print(f"skip {name}: {e}")
            except Failure as e:
                failed += 1
                print(f"FAIL {name}\n{e}")
            finally:
                if unlock_folders:
                    _unlock(root)
    if failed:
        return 1
    return SKIPPED if skipped and len(args.case or CASES) == skipped else 0
