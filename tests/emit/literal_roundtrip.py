#!/usr/bin/env python3
"""Literal strings of a spec reach the running deployment unchanged.

usage: literal_roundtrip.py DEPLOYC EMIT_FIXTURE WORKDIR

Takes the emit fixture's tricky values (YAML and .env specials, `$`, `${X}`, `$$`, quotes,
backslashes, newlines, tabs, Unicode, YAML 1.1 words and numbers) and writes them into one
spec as `.deploy` string literals: environment values, labels, a command list, shell health
checks, and env examples. `deployc build` compiles it; `docker compose config`, reading the
compiled compose file with the generated `.env.production.example` as its env file, must
report every value exactly as written: a literal `$` must come out as `$`, never be
interpolated, and every example must load as itself through Compose's `.env` parser.

A value is left out only when the spec language cannot spell it (control characters other than
newline and tab) or when deployc rejects it with an error on its own line (e.g. a literal that
looks like a credential); the test prints how many and why, and fails below 500 values per
field. Exits 77 (skipped) when no Docker Compose build is installed.
"""
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
import compose_bins  # noqa: E402

MINIMUM = 500


def spellable(value):
    """The spec language has escapes for newline and tab only; other controls cannot be written."""
    return all(ch in "\n\t" or (ord(ch) >= 0x20 and ord(ch) != 0x7F) for ch in value)


def literal(value):
    out = ['"']
    for ch in value:
        out.append({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "{": "\\{",
                    "}": "\\}"}.get(ch, ch))
    out.append('"')
    return "".join(out)


FIELDS = ("environment", "labels", "command", "health", "example")


def write_spec(path, values):
    """values: {field: [(index, value)]}; returns {line: (field, index)} for error attribution."""
    lines = ['project "probe"', 'allow D0604 "a probe of literal values"',
             'allow D0605 "a probe of literal values"', 'allow D0606 "a probe of literal values"']
    where = {}

    def add(text, field=None, index=None):
        lines.append(text)
        if field:
            where[len(lines)] = (field, index)

    add('section "Probe" {')
    for i, v in values["example"]:
        add(f"  env X{i}: string example={literal(v)}", "example", i)
    add("}")
    add("service probe {")
    add('  image "alpine:3.20"')
    add("  environment {")
    for i, v in values["environment"]:
        add(f"    E{i} = {literal(v)}", "environment", i)
    for i, _ in values["example"]:
        add(f"    X{i} = X{i}")
    add("  }")
    add("  labels {")
    for i, v in values["labels"]:
        add(f"    l{i} = {literal(v)}", "labels", i)
    add("  }")
    add("  command [")
    for i, v in values["command"]:
        add(f"    {literal(v)},", "command", i)
    add('    "end"')
    add("  ]")
    add("}")
    for i, v in values["health"]:
        add(f"service h{i} {{")
        add('  image "alpine:3.20"')
        add(f"  health cmd {literal(v)}", "health", i)
        add("}")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    return where


def compile_spec(deployc, workdir, values):
    """Compiles, dropping values deployc rejects on their own line; returns the kept values."""
    dropped = {}
    for _ in range(20):
        spec = os.path.join(workdir, "probe.deploy")
        where = write_spec(spec, values)
        p = subprocess.run([deployc, "build", spec, "-o", os.path.join(workdir, "out"),
                            "--diagnostics-format", "json", "--max-errors", "0"],
                           capture_output=True, text=True)
        if p.returncode == 0:
            return values, dropped
        errors = [d for d in json.loads(p.stderr) if d["severity"] == "error"]
        culprits = set()
        for d in errors:
            line = d.get("line")
            if line not in where:
                sys.exit(f"error outside a probed value: {json.dumps(d)[:500]}")
            culprits.add(where[line])
            key = (where[line][0], d["code"])
            dropped[key] = dropped.get(key, 0) + 1
        for field, index in culprits:
            values[field] = [(i, v) for i, v in values[field] if i != index]
    sys.exit("deployc kept rejecting the probe spec")


def main():
    deployc, fixture, workdir = sys.argv[1:4]
    binaries = compose_bins.prepare(fixture, workdir)
    if not binaries:
        return compose_bins.SKIPPED
    with open(os.path.join(workdir, "values.json"), encoding="utf-8") as f:
        tricky = json.load(f)
    usable = [(i, v) for i, v in enumerate(tricky) if spellable(v)]
    print(f"{len(usable)} of {len(tricky)} tricky values can be spelled in a spec")
    values = {field: list(usable) for field in FIELDS}
    # Compose cannot run an empty health command, and an empty example of a required var is
    # what `${X:?…}` refuses by design; every other field takes the empty string.
    values["health"] = [(i, v) for i, v in usable if v.strip()]
    values["example"] = [(i, v) for i, v in usable if v]
    values, dropped = compile_spec(deployc, workdir, values)
    for (field, code), count in sorted(dropped.items()):
        print(f"left out: {count} {field} value(s) rejected with {code}")

    failed = False
    out = os.path.join(workdir, "out")
    with compose_bins.clean_env() as env:
        for binary in binaries:
            name = os.path.basename(binary)
            p = compose_bins.config_json(binary, os.path.join(out, "compose.production.yml"),
                                         os.path.join(out, ".env.production.example"), env, out)
            if p.returncode != 0:
                print(f"{name}: FAIL {p.stderr.strip()[:2000]}")
                failed = True
                continue
            # `config` writes every `$` back as `$$`, so that its output loads again the same.
            model = json.loads(p.stdout.replace("$$", "$"))
            services = model["services"]
            probe = services["probe"]
            got = {
                "environment": {i: probe["environment"].get(f"E{i}") for i, _ in
                                values["environment"]},
                "example": {i: probe["environment"].get(f"X{i}") for i, _ in values["example"]},
                "labels": {i: probe.get("labels", {}).get(f"l{i}") for i, _ in values["labels"]},
                "command": dict(zip([i for i, _ in values["command"]], probe["command"])),
                "health": {i: services[f"h{i}"]["healthcheck"]["test"] for i, _ in
                           values["health"]},
            }
            for field in FIELDS:
                want = {i: (["CMD-SHELL", v] if field == "health" else v)
                        for i, v in values[field]}
                bad = [(i, w, got[field].get(i)) for i, w in want.items() if got[field].get(i) != w]
                for i, w, g in bad[:10]:
                    print(f"{name}: {field} #{i}: expected {w!r}, read {g!r}")
                ok = not bad and len(want) >= MINIMUM
                print(f"{name}: {field}: {'ok' if ok else 'FAIL'} "
                      f"({len(want) - len(bad)}/{len(want)} values, at least {MINIMUM} needed)")
                failed |= not ok
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
