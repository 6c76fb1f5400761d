# Runs every scenario with the lab and fails at the end if any did not PASS or CONF.
set(failed "")
foreach(name ${NAMES})
  execute_process(COMMAND ${LAB} run ${SOURCE_DIR}/scenarios/${name}.json --out ${RESULTS_DIR}/${name}.json
                  WORKING_DIRECTORY ${SOURCE_DIR} RESULT_VARIABLE status)
  message("")
  if(NOT status EQUAL 0)
    list(APPEND failed ${name})
  endif()
endforeach()
if(failed)
  message(FATAL_ERROR "scenarios that did not pass: ${failed}")
endif()
