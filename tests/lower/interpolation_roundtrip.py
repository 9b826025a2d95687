#!/usr/bin/env python3
"""Checks lowering's interpolation against the real Docker Compose loader.

usage: interpolation_roundtrip.py LOWER_FIXTURE WORKDIR

The fixture lowers literals, defaults and required variables holding tricky strings (`$`,
`${X}`, quotes, newlines, YAML specials, Unicode) and writes the compose file and env example;
`docker compose config --format json` must resolve every environment entry to the original
string. Exits 77 (skipped) when no Compose build is installed with the validators
(compose_bins.validators_home()).
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
import compose_bins  # noqa: E402


if __name__ == "__main__":
    sys.exit(compose_bins.probe_roundtrip(sys.argv[1], sys.argv[2], ".env"))
