#!/usr/bin/env python3
"""Round-trips the YAML writer's tricky-string document through independent readers.

usage: yaml_roundtrip.py EMIT_FIXTURE WORKDIR

Readers: PyYAML (pure Python and libyaml; YAML 1.1) and, when installed with the Compose
validators, the `yaml` npm package in YAML 1.2 (core schema) and YAML 1.1 modes. Every reader
must produce exactly the tree the writer was given: same types, same strings, same key order.
Exits 77 (skipped) when no reader is available.
"""
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
import compose_bins  # noqa: E402

NODE_SCRIPT = r"""
const YAML = require(process.argv[1]);
const text = require('fs').readFileSync(process.argv[2], 'utf8');
const out = {};
for (const version of ['1.2', '1.1']) {
  const doc = YAML.parseDocument(text, {version, uniqueKeys: true});
  if (doc.errors.length) { out[version] = {error: doc.errors.map(String).join('; ')}; continue; }
  const pairs = (v) => v instanceof Map ? {map: [...v].map(([k, x]) => [k, pairs(x)])}
                     : Array.isArray(v) ? v.map(pairs) : v;
  out[version] = {value: pairs(doc.toJS({mapAsMap: true}))};
}
process.stdout.write(JSON.stringify(out));
"""


def as_pairs(value):
    """PyYAML's result in the fixture's JSON shape (maps as ordered pair lists)."""
    if isinstance(value, dict):
        return {"map": [[k, as_pairs(v)] for k, v in value.items()]}
    if isinstance(value, list):
        return [as_pairs(v) for v in value]
    return value


def diff(got, want, path="$"):
    if type(got) is not type(want):
        return f"{path}: expected {want!r} ({type(want).__name__}), read {got!r} ({type(got).__name__})"
    if isinstance(want, dict):
        return diff(got["map"], want["map"], path)
    if isinstance(want, list):
        if len(got) != len(want):
            return f"{path}: expected {len(want)} items, read {len(got)}"
        for i, (g, w) in enumerate(zip(got, want)):
            d = diff(g, w, f"{path}[{i}]")
            if d:
                return d
        return None
    return None if got == want else f"{path}: expected {want!r}, read {got!r}"


def main():
    fixture, workdir = sys.argv[1], sys.argv[2]
    os.makedirs(workdir, exist_ok=True)
    subprocess.run([fixture, workdir], check=True)
    with open(os.path.join(workdir, "tricky.yml"), encoding="utf-8") as f:
        text = f.read()
    with open(os.path.join(workdir, "tricky.json"), encoding="utf-8") as f:
        want = json.load(f)

    results = {}
    try:
        import yaml
        results["PyYAML SafeLoader"] = lambda: as_pairs(yaml.load(text, Loader=yaml.SafeLoader))
        if getattr(yaml, "CSafeLoader", None):
            results["PyYAML CSafeLoader (libyaml)"] = lambda: as_pairs(
                yaml.load(text, Loader=yaml.CSafeLoader))
    except ImportError:
        pass

    module = os.path.join(compose_bins.validators_home(), "node", "node_modules", "yaml")
    node = shutil.which("node")
    if node and os.path.isdir(module):
        parsed = {}

        def run_node():
            if not parsed:
                p = subprocess.run([node, "-e", NODE_SCRIPT, module,
                                    os.path.join(workdir, "tricky.yml")],
                                   capture_output=True, text=True, check=True)
                parsed.update(json.loads(p.stdout))
            return parsed

        for version in ("1.2", "1.1"):
            def read(version=version):
                r = run_node()[version]
                if "error" in r:
                    raise ValueError(r["error"])
                return r["value"]
            results[f"yaml npm (YAML {version})"] = read

    if not results:
        print("skipped: neither PyYAML nor the yaml npm package is installed")
        return 77

    failed = False
    for name, read in results.items():
        try:
            d = diff(read(), want)
        except Exception as e:  # a parse error is a failure of the writer
            d = f"parse error: {e}"
        print(f"{name}: {'ok' if not d else 'FAIL ' + d[:1500]}")
        failed |= bool(d)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
