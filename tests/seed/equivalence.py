#!/usr/bin/env python3
"""Seed equivalence: examples/acme-shop/app.deploy compiles to the deployment the P4-05 task
card's cookiecutter templates describe, for every flag combination and several parameter sets.

usage: equivalence.py --shared DIR --deployc BIN semantic [--params P] [--combo C]
       equivalence.py --shared DIR --deployc BIN golden [--combo C]     (DEPLOYC_BLESS=1 rewrites)
       equivalence.py --shared DIR --deployc BIN determinism [--combo C]

--shared is the folder holding seed/P4-05-production-compose.md and validators/.

semantic, per parameter set x flag combination:
  (c) compose-normalize of our compose + our env example == card compose + card env example, and
      both compose files with the card's env example are equal too. The one deliberate
      difference: our file declares the project `name:` (= project_slug), the card's does not.
  (d) the two env examples set the same variables to the same values (secret placeholders
      compare equal when both contain CHANGE_ME).
  (e) `compose-normalize --variables`: same variables, defaults and required-ness, except the
      rows of EXPECTED_VARIABLE_DIFFERENCES.
  (f) validate-compose passes every gate on our compose + env example; without an env file
      Compose refuses our compose, and each required variable, when it alone is missing, is
      named in the error; with only the required variables set, Compose accepts it.
golden: a fresh build is byte-identical to examples/acme-shop/expected/<combo>/, and
  `deployc check` finds that folder up to date.
determinism: two builds give identical bytes.

Exit status: 0 all checks passed, 1 a check failed (report on stdout), 77 validators missing.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.realpath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "support"))
import compose_bins  # noqa: E402
import render_card  # noqa: E402  (next to this script)

REPO = os.path.realpath(os.path.join(HERE, "..", ".."))
EXAMPLE_DIR = os.path.join(REPO, "examples", "acme-shop")
SPEC = os.path.join(EXAMPLE_DIR, "app.deploy")
EXPECTED_DIR = os.path.join(EXAMPLE_DIR, "expected")
CARD = os.path.join("seed", "P4-05-production-compose.md")

COMPOSE = render_card.COMPOSE
ENV_EXAMPLE = render_card.ENV_EXAMPLE
OUTPUTS = (COMPOSE, ENV_EXAMPLE)
SKIP = 77

# Parameter sets: values given to both cookiecutter and `deployc -D`. `defaults` passes no
# parameter to deployc, so the spec's own defaults must equal cookiecutter's.
PARAM_SETS = {
    "defaults": {},
    "shop-42": {
        "project_slug": "shop-42",
        "project_name": "Shop 42",
        "backend_api_prefix": "/v2/api",
        "keycloak_realm_name": "realm-x",
    },
}

# Flag combinations, named as the folders of examples/acme-shop/expected/.
COMBOS = {
    "default": {"include_sentry": "no", "include_observability": "no"},
    "sentry": {"include_sentry": "yes", "include_observability": "no"},
    "observability": {"include_sentry": "no", "include_observability": "yes"},
    "sentry+observability": {"include_sentry": "yes", "include_observability": "yes"},
}

# The deliberate differences of `config --variables`, and only these:
# (variable, field, card's value, our value, why). Values are formatted with the parameters.
EXPECTED_VARIABLE_DIFFERENCES = [
    ("BACKEND_IMAGE", "DefaultValue", "ghcr.io/OWNER/{project_slug}-backend",
     "ghcr.io/your-org/{project_slug}-backend", "a valid (lowercase) image owner"),
    ("FRONTEND_IMAGE", "DefaultValue", "ghcr.io/OWNER/{project_slug}-frontend",
     "ghcr.io/your-org/{project_slug}-frontend", "a valid (lowercase) image owner"),
    ("DATABASE_URL", "Required", False, True, "required variables fail fast"),
    ("MIGRATION_DATABASE_URL", "Required", False, True, "required variables fail fast"),
    ("REDIS_URL", "Required", False, True, "required variables fail fast"),
    ("OAUTH_ISSUER_URL", "Required", False, True, "required variables fail fast"),
]
REQUIRED_VARIABLES = sorted(v for v, field, _, ours, _ in EXPECTED_VARIABLE_DIFFERENCES
                            if field == "Required" and ours is True)

# Secret placeholders in env examples: values containing it compare equal.
PLACEHOLDER = "CHANGE_ME"


class Skip(Exception):
    pass


class Failure(Exception):
    pass


# ------------------------------------------------------------------ validators
def require_validators(validators_dir):
    """Raise Skip unless every gate validator's tool is installed."""
    state = compose_bins.validators_home(validators_dir)
    needed = [os.path.join(validators_dir, "validate-compose"),
              os.path.join(validators_dir, "compose-normalize"),
              os.path.join(state, "bin", "docker-compose-v2"),
              os.path.join(state, "bin", "docker-compose-v2-trixie"),
              os.path.join(state, "node", "node_modules", "dclint", "bin", "dclint.cjs"),
              os.path.join(state, "node", "node_modules", "ajv"),
              os.path.join(state, "schemas", "compose-spec.json")]
    missing = [p for p in needed if not os.path.exists(p)]
    if not shutil.which("node"):
        missing.append("node (on PATH)")
    if missing:
        raise Skip("compose validators not installed (set COMPOSE_VALIDATORS_HOME or run "
                   "%s/install.sh); missing: %s" % (validators_dir, ", ".join(missing)))


ADVISORY_VALIDATORS = ["compose-v1", "ajv-npm-2021", "dclint-rules"]


class Validators:
    def __init__(self, validators_dir, advisory=True):
        """advisory=False leaves out validate-compose's advisory validators (they never change
        its verdict; the self-test runs many cases and skips them for time)."""
        self.dir = validators_dir
        self.skip = [] if advisory else list(ADVISORY_VALIDATORS)
        self.state = compose_bins.validators_home(validators_dir)
        self.note = None
        # lib/ajv-validate.cjs loads its npm modules from validators/node/, next to itself, even
        # when install.sh put them under $COMPOSE_VALIDATORS_HOME (a read-only validators
        # folder). Then the ajv validators cannot start at all; this harness runs the gate one,
        # ajv-compose-spec, itself with NODE_PATH pointing at the installed modules.
        self.ajv_broken = not self._node_resolves(os.path.join(validators_dir, "node"), "yaml")
        if self.ajv_broken:
            self.note = ("NOTE: %s/lib/ajv-validate.cjs cannot load its modules from %s/node "
                         "(installed in %s/node); the ajv-compose-spec gate is run with NODE_PATH "
                         "instead, the advisory ajv-npm-2021 is not run"
                         % (validators_dir, validators_dir, self.state))

    @staticmethod
    def _node_resolves(package_dir, module):
        script = ("require('module').createRequire(process.argv[1] + '/package.json')"
                  ".resolve(process.argv[2])")
        p = subprocess.run(["node", "-e", script, package_dir, module], capture_output=True,
                           text=True, env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")})
        return p.returncode == 0

    def _run(self, tool, args):
        return subprocess.run([sys.executable, os.path.join(self.dir, tool)] + args,
                              capture_output=True, text=True)

    def normalize(self, compose, env_file=None, variables=False):
        """(exit status, parsed JSON or None, loader stderr) of compose-normalize."""
        args = [compose] + (["--env-file", env_file] if env_file else [])
        if variables:
            args.append("--variables")
        p = self._run("compose-normalize", args)
        model = json.loads(p.stdout) if p.returncode == 0 else None
        return p.returncode, model, p.stderr.strip()

    def validate(self, compose, env_file):
        """(exit status, report) of validate-compose: 0 when every gate passed."""
        skip = self.skip + (["ajv-compose-spec", "ajv-npm-2021"] if self.ajv_broken else [])
        args = [compose, "--env-file", env_file]
        if skip:
            args += ["--skip", ",".join(sorted(set(skip)))]
        p = self._run("validate-compose", args)
        if not self.ajv_broken:
            return p.returncode, (p.stdout + p.stderr).strip()
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8",
               "NODE_PATH": os.path.join(self.state, "node", "node_modules")}
        q = subprocess.run(["node", os.path.join(self.dir, "lib", "ajv-validate.cjs"), compose,
                            "--schema", os.path.join(self.state, "schemas", "compose-spec.json")],
                           capture_output=True, text=True, env=env)
        ajv = "ajv-compose-spec (NODE_PATH): " + (
            "ok" if q.returncode == 0 else "FAIL " + " | ".join((q.stdout + q.stderr).split("\n")))
        rc = p.returncode if q.returncode == 0 else 1
        return rc, "\n".join([(p.stdout + p.stderr).strip(), ajv, self.note])


# ------------------------------------------------------------------ helpers
def json_diff(a, b, path="$"):
    """Lines 'path: card=… ours=…' for every leaf where a (card) and b (ours) differ."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for k in sorted(set(a) | set(b)):
            p = "%s.%s" % (path, k)
            if k not in b:
                out.append("%s: only in the card (%s)" % (p, json.dumps(a[k], sort_keys=True)))
            elif k not in a:
                out.append("%s: only in ours (%s)" % (p, json.dumps(b[k], sort_keys=True)))
            else:
                out += json_diff(a[k], b[k], p)
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        out = []
        for i, (x, y) in enumerate(zip(a, b)):
            out += json_diff(x, y, "%s[%d]" % (path, i))
        return out
    if a == b and type(a) is type(b):
        return []
    return ["%s: card=%s ours=%s" % (path, json.dumps(a, sort_keys=True),
                                     json.dumps(b, sort_keys=True))]


def parse_env_file(path):
    """{name: value} of a .env file, read the way Docker Compose reads it (comments, blank
    lines, `export`, single/double quotes); raises Failure on a duplicate or malformed line."""
    values = {}
    with open(path, encoding="utf-8") as fh:
        for n, raw in enumerate(fh.read().splitlines(), 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("export "):
                line = line[len("export "):].lstrip()
            name, sep, value = line.partition("=")
            name = name.strip()
            if not sep or not name or not (name[0].isalpha() or name[0] == "_") or \
                    not all(c.isalnum() or c in "_." for c in name):
                raise Failure("%s:%d: not a NAME=value line: %r" % (path, n, raw))
            value = value.strip()
            if value[:1] in ("'", '"') and value.count(value[0]) >= 2:
                q = value[0]
                value = value[1:value.index(q, 1)]
                if q == '"':
                    value = value.replace("\\n", "\n").replace('\\"', '"')
            else:
                cut = value.find(" #")
                if cut >= 0:
                    value = value[:cut].rstrip()
            if name in values:
                raise Failure("%s:%d: %s is set twice" % (path, n, name))
            values[name] = value
    return values


def same_env_value(card, ours):
    if PLACEHOLDER in card and PLACEHOLDER in ours:
        return True
    return card == ours


# ------------------------------------------------------------------ the semantic checks
def check_pair(v, card_dir, ours_dir, params):
    """Checks (c)-(f) of our outputs against the card's; returns a list of failure lines."""
    slug = params["project_slug"]
    card_yml, card_env = os.path.join(card_dir, COMPOSE), os.path.join(card_dir, ENV_EXAMPLE)
    ours_yml, ours_env = os.path.join(ours_dir, COMPOSE), os.path.join(ours_dir, ENV_EXAMPLE)
    failures = []

    def fail(check, msg, details=()):
        failures.append("[%s] %s" % (check, msg))
        failures.extend("    " + d for d in details)

    # (c) the resolved model
    def model(check, yml, env, ours):
        rc, m, err = v.normalize(yml, env)
        who = "ours" if ours else "the card's"
        if rc != 0:
            fail(check, "compose-normalize of %s compose with %s failed (rc=%d): %s"
                 % (who, os.path.basename(env), rc, err))
            return None
        if ours:
            if "name" not in m:
                fail(check, "our compose file declares no top-level `name:` (expected %r)" % slug)
            elif m["name"] != slug:
                fail(check, "our top-level `name:` is %r, expected the project slug %r"
                     % (m["name"], slug))
            m.pop("name", None)  # the card has none: the deliberate difference
        elif "name" in m:
            fail(check, "the card's compose unexpectedly declares a name: %r" % m["name"])
        return m

    pairs = [("c:own-env", ours_env, card_env), ("c:card-env", card_env, card_env)]
    for check, env_ours, env_card in pairs:
        mo = model(check, ours_yml, env_ours, True)
        mc = model(check, card_yml, env_card, False)
        if mo is not None and mc is not None:
            diff = json_diff(mc, mo)
            if diff:
                fail(check, "normalized compose differs (ours with %s, card with %s):"
                     % (os.path.relpath(env_ours, os.path.dirname(ours_dir)),
                        os.path.relpath(env_card, os.path.dirname(card_dir))), diff)

    # (d) the env examples
    try:
        ec, eo = parse_env_file(card_env), parse_env_file(ours_env)
    except Failure as e:
        fail("d", str(e))
    else:
        for name in sorted(set(ec) | set(eo)):
            if name not in eo:
                fail("d", "%s=%s is in the card's env example, not in ours" % (name, ec[name]))
            elif name not in ec:
                fail("d", "%s=%s is in our env example, not in the card's" % (name, eo[name]))
            elif not same_env_value(ec[name], eo[name]):
                fail("d", "%s: card=%r ours=%r" % (name, ec[name], eo[name]))

    # (e) the variables and their defaults
    rc_c, vc, err_c = v.normalize(card_yml, variables=True)
    rc_o, vo, err_o = v.normalize(ours_yml, variables=True)
    if rc_c != 0:
        fail("e", "compose-normalize --variables of the card failed: %s" % err_c)
    if rc_o != 0:
        fail("e", "compose-normalize --variables of ours failed: %s" % err_o)
    if rc_c == 0 and rc_o == 0:
        expected = {(var, field): (card.format(**params) if isinstance(card, str) else card,
                                   ours.format(**params) if isinstance(ours, str) else ours)
                    for var, field, card, ours, _ in EXPECTED_VARIABLE_DIFFERENCES}
        for name in sorted(set(vc) | set(vo)):
            if name not in vo:
                fail("e", "variable %s (%s) is read by the card's compose, not ours"
                     % (name, json.dumps(vc[name], sort_keys=True)))
                continue
            if name not in vc:
                fail("e", "variable %s (%s) is read by our compose, not the card's"
                     % (name, json.dumps(vo[name], sort_keys=True)))
                continue
            for field in sorted(set(vc[name]) | set(vo[name])):
                c, o = vc[name].get(field), vo[name].get(field)
                if (name, field) in expected:
                    want_c, want_o = expected[(name, field)]
                    if c != want_c:
                        fail("e", "%s.%s of the card is %r, the table expects %r"
                             % (name, field, c, want_c))
                    if o != want_o:
                        fail("e", "%s.%s: ours=%r, expected the deliberate %r (card: %r)"
                             % (name, field, o, want_o, c))
                elif c != o:
                    fail("e", "%s.%s: card=%r ours=%r" % (name, field, c, o))
        for (name, field) in expected:
            if name not in vc or name not in vo:
                fail("e", "expected-difference row %s.%s names a variable not in both files"
                     % (name, field))

    # (f) validators on ours
    rc, out = v.validate(ours_yml, ours_env)
    if rc != 0:
        fail("f", "validate-compose %s --env-file %s failed (rc=%d):" % (COMPOSE, ENV_EXAMPLE, rc),
             out.splitlines())
    rc, _, err = v.normalize(ours_yml)  # empty environment, empty env file
    if rc == 0:
        fail("f", "Compose accepts our compose without any env file; it must refuse it")
    elif not any("required variable %s is missing" % r in err for r in REQUIRED_VARIABLES):
        fail("f", "without an env file Compose fails, but not on a required variable: %s" % err)
    try:
        env_values = parse_env_file(ours_env)
    except Failure:
        env_values = None  # reported by (d)
    if env_values is not None:
        with tempfile.TemporaryDirectory(prefix="seed-env.") as tmp:
            # Compose reports one missing variable per run (which one is not fixed), so each
            # required variable is left out alone.
            for missing in REQUIRED_VARIABLES:
                env_file = os.path.join(tmp, "without-" + missing)
                write_env(env_file, {k: x for k, x in env_values.items() if k != missing})
                rc, _, err = v.normalize(ours_yml, env_file)
                if rc == 0:
                    fail("f", "Compose accepts our compose with %s unset" % missing)
                elif "required variable %s is missing" % missing not in err:
                    fail("f", "with %s unset, Compose's error does not name it: %s"
                         % (missing, err))
            only = os.path.join(tmp, "only-required")
            write_env(only, {k: env_values.get(k, "x") for k in REQUIRED_VARIABLES})
            rc, _, err = v.normalize(ours_yml, only)
            if rc != 0:
                fail("f", "with only %s set, Compose refuses our compose: %s"
                     % (", ".join(REQUIRED_VARIABLES), err))
    return failures


def write_env(path, values):
    with open(path, "w", encoding="utf-8") as fh:
        for k, x in values.items():
            fh.write("%s=%s\n" % (k, x))


# ------------------------------------------------------------------ building
def card_values(param_set, combo):
    values = dict(render_card.DEFAULTS)
    values.update(PARAM_SETS[param_set])
    values.update(COMBOS[combo])
    return values


def define_args(param_set, combo):
    """-D arguments: the parameter set's values, then the flags (only `yes` ones for the
    `defaults` set, so the spec's flag defaults are exercised too)."""
    args = []
    for k, x in PARAM_SETS[param_set].items():
        args += ["-D", "%s=%s" % (k, x)]
    for k, x in COMBOS[combo].items():
        if param_set != "defaults" or x == "yes":
            args += ["-D", "%s=%s" % (k, x)]
    return args


def build(deployc, spec, out_dir, defines, cwd=None):
    cmd = [deployc, "build", spec, "-o", out_dir] + defines
    p = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd)
    if p.returncode != 0:
        raise Failure("`%s` failed (rc=%d):\n%s" % (" ".join(cmd), p.returncode,
                                                    (p.stdout + p.stderr).rstrip()))
    for name in OUTPUTS:
        if not os.path.isfile(os.path.join(cwd or ".", out_dir, name)):
            raise Failure("`%s` wrote no %s" % (" ".join(cmd), name))


def build_like_golden(deployc, tmp, combo, label):
    """Build the default parameter set of `combo` the way its golden folder is built from the
    repository root, `deployc build examples/acme-shop/app.deploy -o
    examples/acme-shop/expected/<combo> -D …`, in a copy of that layout under tmp/<label>: the
    output header names the spec relative to the output folder and repeats the arguments."""
    root = os.path.join(tmp, label)
    rel_spec = os.path.relpath(SPEC, REPO)
    rel_out = os.path.relpath(os.path.join(EXPECTED_DIR, combo), REPO)
    os.makedirs(os.path.join(root, rel_out))
    shutil.copyfile(SPEC, os.path.join(root, rel_spec))
    build(deployc, rel_spec, rel_out, define_args("defaults", combo), cwd=root)
    return os.path.join(root, rel_out)


def read_bytes(path):
    with open(path, "rb") as fh:
        return fh.read()


def first_difference(a, b):
    la, lb = a.decode("utf-8", "replace").splitlines(), b.decode("utf-8", "replace").splitlines()
    for i in range(max(len(la), len(lb))):
        x = la[i] if i < len(la) else "<end of file>"
        y = lb[i] if i < len(lb) else "<end of file>"
        if x != y:
            return "line %d: expected %r, got %r" % (i + 1, x, y)
    return "same lines, different bytes (line endings or final newline)"


# ------------------------------------------------------------------ commands
def cmd_semantic(a, param_sets, combos):
    require_validators(a.validators)
    v = Validators(a.validators)
    if v.note:
        print(v.note)
    failures = []
    with tempfile.TemporaryDirectory(prefix="seed-semantic.") as tmp:
        for ps in param_sets:
            for combo in combos:
                case = "%s/%s" % (ps, combo)
                values = card_values(ps, combo)
                card_dir = os.path.join(tmp, ps, combo, "card")
                ours_dir = os.path.join(tmp, ps, combo, "ours")
                render_card.write(render_card.render(a.card, values), card_dir)  # (a)
                try:
                    build(a.deployc, a.spec, ours_dir, define_args(ps, combo))  # (b)
                except Failure as e:
                    failures.append("%s: [b] %s" % (case, e))
                    continue
                found = check_pair(v, card_dir, ours_dir, values)
                if found:
                    count = sum(1 for f in found if f.startswith("["))
                    failures.append("%s: %d finding(s) against the card" % (case, count))
                    failures.extend("  " + f for f in found)
                else:
                    print("%s: equivalent to the card (checks c, d, e, f)" % case)
    return failures


def cmd_golden(a, combos):
    failures = []
    bless = os.environ.get("DEPLOYC_BLESS") == "1"
    with tempfile.TemporaryDirectory(prefix="seed-golden.") as tmp:
        for combo in combos:
            try:
                out = build_like_golden(a.deployc, tmp, combo, "fresh")
            except Failure as e:
                failures.append("%s: %s" % (combo, e))
                continue
            golden_dir = os.path.join(EXPECTED_DIR, combo)
            for name in OUTPUTS:
                fresh = read_bytes(os.path.join(out, name))
                golden = os.path.join(golden_dir, name)
                if bless:
                    os.makedirs(golden_dir, exist_ok=True)
                    if not os.path.exists(golden) or read_bytes(golden) != fresh:
                        with open(golden, "wb") as fh:
                            fh.write(fresh)
                        print("blessed %s" % os.path.relpath(golden, REPO))
                    continue
                if not os.path.exists(golden):
                    failures.append("%s: %s is missing (bless with DEPLOYC_BLESS=1)"
                                    % (combo, os.path.relpath(golden, REPO)))
                elif read_bytes(golden) != fresh:
                    failures.append("%s: %s differs from a fresh build: %s (bless with "
                                    "DEPLOYC_BLESS=1 once the change is intended)"
                                    % (combo, os.path.relpath(golden, REPO),
                                       first_difference(read_bytes(golden), fresh)))
                else:
                    print("%s: %s matches" % (combo, os.path.relpath(golden, REPO)))
            if not bless and all(os.path.exists(os.path.join(golden_dir, n)) for n in OUTPUTS):
                # the drift check a pull request gate runs must agree: the goldens are fresh
                cmd = [a.deployc, "check", os.path.relpath(SPEC, REPO), "-o",
                       os.path.relpath(golden_dir, REPO)] + define_args("defaults", combo)
                p = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO)
                if p.returncode != 0:
                    failures.append("%s: `%s` reports drift (rc=%d): %s"
                                    % (combo, " ".join(cmd[1:]), p.returncode,
                                       (p.stdout + p.stderr).strip()))
                else:
                    print("%s: deployc check finds %s up to date"
                          % (combo, os.path.relpath(golden_dir, REPO)))
    return failures


def cmd_determinism(a, combos):
    failures = []
    with tempfile.TemporaryDirectory(prefix="seed-determinism.") as tmp:
        for combo in combos:
            try:
                first = build_like_golden(a.deployc, tmp, combo, "first")
                second = build_like_golden(a.deployc, tmp, combo, "second")
            except Failure as e:
                failures.append("%s: %s" % (combo, e))
                continue
            for name in OUTPUTS:
                x, y = read_bytes(os.path.join(first, name)), read_bytes(os.path.join(second, name))
                if x != y:
                    failures.append("%s: two builds of %s differ: %s"
                                    % (combo, name, first_difference(x, y)))
                else:
                    print("%s: %s identical across two builds" % (combo, name))
    return failures


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="\n".join(__doc__.split("\n")[2:]))
    ap.add_argument("--shared", required=True, help="folder with seed/ and validators/")
    ap.add_argument("--deployc", required=True, help="the deployc binary")
    ap.add_argument("--spec", default=SPEC)
    ap.add_argument("command", choices=["semantic", "golden", "determinism"])
    ap.add_argument("--params", choices=sorted(PARAM_SETS), help="one parameter set (default all)")
    ap.add_argument("--combo", choices=list(COMBOS), help="one flag combination (default all)")
    a = ap.parse_args(argv)
    a.card = os.path.join(a.shared, CARD)
    a.validators = os.path.join(a.shared, "validators")
    a.deployc = os.path.realpath(a.deployc)
    a.spec = os.path.realpath(a.spec)
    combos = [a.combo] if a.combo else list(COMBOS)
    try:
        if not os.access(a.deployc, os.X_OK):
            raise Failure("no deployc binary at %s" % a.deployc)
        if a.command == "semantic":
            if not os.path.isfile(a.card):
                raise Failure("no task card at %s" % a.card)
            failures = cmd_semantic(a, [a.params] if a.params else list(PARAM_SETS), combos)
        elif a.command == "golden":
            failures = cmd_golden(a, combos)
        else:
            failures = cmd_determinism(a, combos)
    except Skip as e:
        print("SKIP: %s" % e)
        return SKIP
    except (Failure, render_card.CardError) as e:
        failures = [str(e)]
    if failures:
        print("FAILED (%s)" % a.command)
        for f in failures:
            print(f)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
