#!/usr/bin/env python3
"""Tests of equivalence.py's comparison itself, without deployc: the card's rendered templates,
edited by hand into what deployc is meant to output (the deliberate differences only), must
pass every check; each single other edit must be caught by exactly the checks listed for it.

usage: selftest.py --shared DIR      exit 0 ok, 1 failure, 77 validators missing
"""
import argparse
import concurrent.futures
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.realpath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, HERE)
import equivalence as eq  # noqa: E402
import render_card  # noqa: E402

REQUIRED_SUFFIX = ":?set {0} in .env.production"


def deliberate(compose, env, params):
    """The card's files with exactly the deliberate differences of deployc's output."""
    compose = "name: %s\n" % params["project_slug"] + compose
    compose = replace(compose, "ghcr.io/OWNER/", "ghcr.io/your-org/", count=2)
    for var in eq.REQUIRED_VARIABLES:
        compose = replace(compose, "${%s}" % var, "${%s%s}" % (var, REQUIRED_SUFFIX.format(var)))
    return compose, env


def replace(text, old, new, count=1):
    if text.count(old) != count:
        raise AssertionError("expected %d of %r, found %d" % (count, old, text.count(old)))
    return text.replace(old, new)


def drop_line(text, line):
    return replace(text, line + "\n", "")


# (name, edit of (compose, env), the checks that must fail and only those)
MUTATIONS = [
    ("name is not the slug", lambda c, e: (replace(c, "name: acme_shop\n", "name: shop\n"), e),
     {"c"}),
    ("no top-level name", lambda c, e: (drop_line(c, "name: acme_shop"), e), {"c"}),
    ("health check interval", lambda c, e: (replace(c, "interval: 30s", "interval: 31s", 2), e),
     {"c"}),
    ("an optional variable made required",
     lambda c, e: (replace(c, "${LOG_LEVEL:-info}", "${LOG_LEVEL:?set it}"), e), {"e", "f"}),
    ("a tunable's default", lambda c, e: (replace(c, "BACKEND_CPU_LIMIT:-1.0", "BACKEND_CPU_LIMIT:-2.0"), e),
     {"e"}),
    ("another image owner",
     lambda c, e: (replace(c, "ghcr.io/your-org/acme_shop-backend", "ghcr.io/org/acme_shop-backend"), e),
     {"e"}),
    ("a required variable made optional",
     lambda c, e: (replace(c, "${REDIS_URL%s}" % REQUIRED_SUFFIX.format("REDIS_URL"), "${REDIS_URL}"), e),
     {"e", "f"}),
    ("an env example value", lambda c, e: (c, replace(e, "LOG_LEVEL=info", "LOG_LEVEL=debug")),
     {"c", "d"}),
    ("a secret placeholder replaced by a literal",
     lambda c, e: (c, replace(e, "app_user:CHANGE_ME@", "app_user:hunter2@")), {"c", "d"}),
    # the env examples compare placeholders loosely, the resolved models do not
    ("another spelling of a secret placeholder",
     lambda c, e: (c, replace(e, "app_user:CHANGE_ME@", "app_user:CHANGE_ME_app_password@")),
     {"c"}),
    ("a variable missing from the env example", lambda c, e: (c, drop_line(e, "BACKEND_PORT=8000")),
     {"d"}),
    ("an extra backend variable",
     lambda c, e: (replace(c, '      DEBUG: "false"\n', '      DEBUG: "false"\n      EXTRA: ${EXTRA:-x}\n'), e),
     {"c", "e"}),
    ("an invalid image in the env example",
     lambda c, e: (c, replace(e, "BACKEND_IMAGE=ghcr.io/your-org/", "BACKEND_IMAGE=ghcr.io/Your-Org/")),
     {"c", "d", "f"}),
    ("the network's key differs from its name",
     lambda c, e: (replace(replace(c, "  acme_shop-network:\n", "  main:\n"),
                           "      - acme_shop-network\n", "      - main\n", 2), e), {"c"}),
    ("a flag-dependent constant dropped",
     lambda c, e: (drop_line(c, "      SENTRY_ENVIRONMENT: production"), e), {"c"}),
]


def tags(failures):
    return {f[1:f.index("]")].split(":")[0] for f in failures if f.startswith("[")}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", required=True)
    a = ap.parse_args(argv)
    card = os.path.join(a.shared, eq.CARD)
    validators = os.path.join(a.shared, "validators")
    try:
        eq.require_validators(validators)
    except eq.Skip as e:
        print("SKIP: %s" % e)
        return eq.SKIP
    v = eq.Validators(validators, advisory=False)
    if v.note:
        print(v.note)
    problems = []
    with tempfile.TemporaryDirectory(prefix="seed-selftest.") as tmp:
        def case(label, params, edit=None):
            rendered = render_card.render(card, params)
            card_dir, ours_dir = os.path.join(tmp, label, "card"), os.path.join(tmp, label, "ours")
            render_card.write(rendered, card_dir)
            compose, env = deliberate(rendered[eq.COMPOSE], rendered[eq.ENV_EXAMPLE], params)
            if edit:
                compose, env = edit(compose, env)
            render_card.write({eq.COMPOSE: compose, eq.ENV_EXAMPLE: env}, ours_dir)
            return eq.check_pair(v, card_dir, ours_dir, params)

        cleans = [("defaults", "sentry+observability"), ("shop-42", "sentry")]
        params = eq.card_values("defaults", "sentry+observability")
        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
            clean_runs = [pool.submit(case, "clean-%s-%s" % c, eq.card_values(*c)) for c in cleans]
            mutation_runs = [pool.submit(case, "mutation-%d" % i, params, edit)
                             for i, (_, edit, _) in enumerate(MUTATIONS)]

        # the card against itself plus the deliberate differences: no finding
        for (ps, combo), run in zip(cleans, clean_runs):
            found = run.result()
            if found:
                problems.append("deliberate differences only (%s/%s) should pass, got:" % (ps, combo))
                problems.extend("  " + f for f in found)
            else:
                print("ok: %s/%s with the deliberate differences passes" % (ps, combo))

        # every other edit is caught, by the intended checks
        for (name, _, want), run in zip(MUTATIONS, mutation_runs):
            found = run.result()
            if tags(found) != want:
                problems.append("edit '%s' should fail checks %s, failed %s:"
                                % (name, sorted(want), sorted(tags(found))))
                problems.extend("  " + f for f in found)
            else:
                print("ok: edit '%s' caught by %s" % (name, ", ".join(sorted(want))))
    if problems:
        print("FAILED (selftest)")
        print("\n".join(problems))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
