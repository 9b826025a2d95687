#!/usr/bin/env python3
"""Render the P4-05 task card's two cookiecutter templates as cookiecutter would.

usage: render_card.py CARD OUT_DIR [--set name=value]...

CARD is the task card (markdown). The templates are the first ```yaml block under the heading
"### 1." (compose.production.yml) and the first ```bash block under "### 2."
(.env.production.example). Unset variables take the cookiecutter defaults in DEFAULTS.

Rendering matches cookiecutter's: a plain Jinja2 Environment (no trim_blocks, no
lstrip_blocks, so each `{% if %}` line leaves its newline behind), keep_trailing_newline=True,
StrictUndefined, and the values under the `cookiecutter` name.
"""
import argparse
import os
import re
import sys

import jinja2

COMPOSE = "compose.production.yml"
ENV_EXAMPLE = ".env.production.example"

# The cookiecutter variables the two templates read, with the values of the reference project.
DEFAULTS = {
    "project_slug": "acme_shop",
    "project_name": "Acme Shop",
    "backend_api_prefix": "/api/v1",
    "keycloak_realm_name": "acme",
    "include_sentry": "no",
    "include_observability": "no",
}

# (output file, heading prefix, fence language)
TEMPLATES = [
    (COMPOSE, "### 1.", "yaml"),
    (ENV_EXAMPLE, "### 2.", "bash"),
]


class CardError(Exception):
    pass


def extract_block(lines, heading, lang):
    """Text of the first ```lang block after the line starting with `heading`."""
    start = next((i for i, l in enumerate(lines) if l.startswith(heading)), None)
    if start is None:
        raise CardError("no heading starting with %r" % heading)
    fence = next((i for i in range(start + 1, len(lines)) if lines[i].rstrip() == "```" + lang),
                 None)
    if fence is None:
        raise CardError("no ```%s block after %r" % (lang, heading))
    # the next heading of the same or a higher level bounds the search
    for i in range(start + 1, fence):
        if re.match(r"#{1,3} ", lines[i]):
            raise CardError("no ```%s block between %r and %r" % (lang, heading, lines[i]))
    end = next((i for i in range(fence + 1, len(lines)) if lines[i].rstrip() == "```"), None)
    if end is None:
        raise CardError("unterminated ```%s block after %r" % (lang, heading))
    # a file written from the block ends with a newline, like the file in the template tree
    return "".join(l + "\n" for l in lines[fence + 1:end])


def extract_templates(card_path):
    """{output file name: template source}"""
    with open(card_path, encoding="utf-8") as fh:
        lines = fh.read().splitlines()
    return {name: extract_block(lines, heading, lang) for name, heading, lang in TEMPLATES}


def render(card_path, values):
    """{output file name: rendered text} for the cookiecutter `values` (merged over DEFAULTS)."""
    context = dict(DEFAULTS)
    unknown = sorted(set(values) - set(DEFAULTS))
    if unknown:
        raise CardError("unknown cookiecutter variable(s): %s" % ", ".join(unknown))
    context.update(values)
    env = jinja2.Environment(keep_trailing_newline=True, undefined=jinja2.StrictUndefined,
                             autoescape=False)
    return {name: env.from_string(src).render(cookiecutter=context)
            for name, src in extract_templates(card_path).items()}


def write(rendered, out_dir):
    os.makedirs(out_dir, exist_ok=True)
    for name, text in rendered.items():
        with open(os.path.join(out_dir, name), "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)


def parse_sets(items):
    values = {}
    for item in items or []:
        name, sep, value = item.partition("=")
        if not sep:
            raise CardError("--set expects name=value, got %r" % item)
        values[name] = value
    return values


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("card")
    ap.add_argument("out_dir")
    ap.add_argument("--set", action="append", metavar="NAME=VALUE",
                    help="a cookiecutter variable (%s)" % ", ".join(DEFAULTS))
    a = ap.parse_args(argv)
    try:
        write(render(a.card, parse_sets(a.set)), a.out_dir)
    except (CardError, OSError, jinja2.TemplateError) as e:
        print("render_card: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
