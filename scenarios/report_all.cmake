# `make -f Makefile.demo report`: every result in RESULTS_DIR (the scenarios', and the claims,
# survey and matrix files), drawn by `lab report` into RESULTS_DIR/report/. bench.json is not
# drawn.
file(GLOB results ${RESULTS_DIR}/*.json)
list(FILTER results EXCLUDE REGEX "/bench\\.json$")
if(NOT results)
  message(FATAL_ERROR "No results in ${RESULTS_DIR} yet: run a scenario first (make -f Makefile.demo scenario-inplace, or scenarios)")
endif()
execute_process(COMMAND ${LAB} report ${results} --out ${RESULTS_DIR}/report RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "lab report failed")
endif()
