# Runs derive_university_ranks on tests/refdata/derive and compares the
# output with the hand-computed expected file.
execute_process(
  COMMAND ${TOOL} --sources ${SRC}/tests/refdata/derive
          --gazetteer ${SRC}/data/gazetteer/places.csv
          --aliases ${SRC}/tests/refdata/derive/aliases.csv --out ${OUT}
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "derive_university_ranks failed: ${rc}")
endif()
execute_process(
  COMMAND ${CMAKE_COMMAND} -E compare_files ${OUT}
          ${SRC}/tests/refdata/derive/expected_university_ranks.csv
  RESULT_VARIABLE diff)
if(NOT diff EQUAL 0)
  file(READ ${OUT} got)
  message(FATAL_ERROR "output differs from expected_university_ranks.csv:\n${got}")
endif()
