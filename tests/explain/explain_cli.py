#!/usr/bin/env python3
"""The real binary: `deployc explain` for every code, unknown codes, and a file with five
independent mistakes (five errors in source order, exit 1).

usage: explain_cli.py path/to/deployc   (run from the repository root)
"""
import os
import re
import subprocess
import sys
import tempfile


def run(binary, *args, cwd=None):
    return subprocess.run([binary, *args], capture_output=True, text=True, cwd=cwd)


def main():
    binary = os.path.abspath(sys.argv[1])
    failures = []

    def check(ok, what, detail=""):
        if not ok:
            failures.append(f"{what}\n{detail}")

    codes = re.findall(r'DEPLOYC_DIAG\(\s*\w+\s*,\s*"(D\d{4})"', open("src/diag/codes.def").read())
    check(len(codes) > 40, "codes.def read", codes)
    for code in codes:
        p = run(binary, "explain", code)
        check(p.returncode == 0 and p.stdout.startswith(code + " (") and p.stderr == "",
              f"`deployc explain {code}` prints its explanation", p.stdout + p.stderr)
        check("No long explanation" not in p.stdout, f"{code} has a written explanation", p.stdout)

    p = run(binary, "explain", "D9999")
    check(p.returncode == 2 and p.stdout == ""
          and p.stderr.startswith("deployc: error: unknown diagnostic code `D9999`\n"),
          "unknown code: exit 2 and a message", p.stdout + p.stderr)
    p = run(binary, "explain")
    check(p.returncode == 2 and "needs a code" in p.stderr, "no code: exit 2", p.stderr)
    p = run(binary, "--help")
    check(p.returncode == 0 and "deployc explain CODE" in p.stdout, "--help lists explain", p.stdout)

    five = (
        'project "Shop Demo"\n'
        "service web {\n"
        '  image "nginx:1.27"\n'
        "  restrat always\n"
        "  limits memory=512Mi\n"
        "  publish 80 host=70000\n"
        "  depends_on api started\n"
        "}\n"
    )
    with tempfile.TemporaryDirectory() as tmp:
        with open(os.path.join(tmp, "app.deploy"), "w") as f:
            f.write(five)
        p = run(binary, "check", "app.deploy", cwd=tmp)
        errors = re.findall(r"^error\[(D\d{4})\]: .*\n\s*--> app\.deploy:(\d+):", p.stderr, re.M)
        check(p.returncode == 1, "five mistakes: exit 1", p.stderr)
        check(errors == [("D0209", "1"), ("D0201", "4"), ("D0307", "5"), ("D0305", "6"),
                         ("D0205", "7")], "five errors in source order", p.stderr)
        check("deployc: 5 errors" in p.stderr, "summary counts five errors", p.stderr)
        p = run(binary, "check", "app.deploy", "--max-errors", "2", cwd=tmp)
        check(len(re.findall(r"^error\[", p.stderr, re.M)) == 2 and p.returncode == 1,
              "--max-errors 2 prints two of them", p.stderr)

    if failures:
        print("FAILED:\n" + "\n".join(f"- {f}" for f in failures))
        return 1
    print(f"ok: {len(codes)} codes explained")
    return 0


if __name__ == "__main__":
    sys.exit(main())
