# Reliability, run for real: tests/reliability/reliability_test.py runs the deployc binary in
# temporary directories against secrets (every output byte scanned for sentinel values), hostile
# input (huge lines, deep nesting, deep and wide imports, bad bytes, CRLF/BOM, symlinks) and
# file-system faults (outputs that are folders, a file size limit, .env.production). Each case is
# one CTest, named reliability/<case>; the list comes from the script (`--list`). Exit code 77
# (a tool such as prlimit is missing) counts as skipped.
deployc_python_cases(AREA reliability SCRIPT ${CMAKE_CURRENT_LIST_DIR}/reliability_test.py
                     LABEL reliability SKIP_RETURN_CODE 77 TIMEOUT 600)
