# deployc in build steps and CI, run for real: tests/buildsteps/buildsteps_test.py runs the
# deployc binary in temporary directories (imports and the standard library, --emit, --stdout,
# --depfile, DEPLOYMENT.md, dump, vars). Each case is one CTest, named buildsteps/<case>; the list
# comes from the script itself (`buildsteps_test.py --list`).
deployc_python_cases(AREA buildsteps SCRIPT ${CMAKE_CURRENT_LIST_DIR}/buildsteps_test.py
                     LABEL buildsteps)
