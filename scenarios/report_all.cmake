# `make -f Makefile.demo report`: every scenario's result in RESULTS_DIR, drawn by `lab report` into
# RESULTS_DIR/report/. The campaigns' own files (claims, survey, matrix, bench) are not results of
# one scenario and are left out.
file(GLOB results ${RESULTS_DIR}/*.json)
list(FILTER results EXCLUDE REGEX "/(claims|survey|matrix|bench)\\.json$")
if(NOT results)
  message(FATAL_ERROR "No results in ${RESULTS_DIR} yet: run a scenario first (make -f Makefile.demo scenario-inplace, or scenarios)")
endif()
execute_process(COMMAND ${LAB} report ${results} --out ${RESULTS_DIR}/report RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "lab report failed")
endif()
