#!/usr/bin/env python3
"""Round-trips the env writer's tricky values through the real Docker Compose loader.

usage: env_roundtrip.py EMIT_FIXTURE WORKDIR

The fixture writes tricky.env (every value quoted by the env writer) and a compose file whose
service environment reads each variable; `docker compose config --format json` must report
every value exactly. Runs each Compose build installed with the validators
(compose_bins.validators_home()); exits 77 (skipped) when none is.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
import compose_bins  # noqa: E402


if __name__ == "__main__":
    sys.exit(compose_bins.probe_roundtrip(sys.argv[1], sys.argv[2], "tricky.env", project="probe"))
