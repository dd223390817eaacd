# One helper per kind of target, so every module is declared the same way.

# talentflow_library(NAME SOURCES a.cc b.cc DEPS other_lib ...)
# Creates static library talentflow_NAME, with src/ on the include path.
function(talentflow_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(talentflow_${name} STATIC ${ARG_SOURCES})
  target_include_directories(talentflow_${name} PUBLIC ${CMAKE_SOURCE_DIR}/src)
  target_link_libraries(talentflow_${name} PUBLIC ${ARG_DEPS})
  target_compile_definitions(talentflow_${name} PUBLIC
    TALENTFLOW_VERSION="${PROJECT_VERSION}"
    TALENTFLOW_DATA_DIR="${TALENTFLOW_DATA_DIR}")
endfunction()

# talentflow_test(NAME SOURCES a_test.cc DEPS talentflow_x ...)
# Creates test executable NAME_test registered with CTest, run from the
# source tree so fixtures resolve as tests/... and data/...
function(talentflow_test name)
  if(NOT TALENTFLOW_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name}_test ${ARG_SOURCES})
  target_link_libraries(${name}_test PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main GTest::gmock)
  target_compile_definitions(${name}_test PRIVATE TALENTFLOW_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
  gtest_discover_tests(${name}_test WORKING_DIRECTORY ${CMAKE_SOURCE_DIR} DISCOVERY_TIMEOUT 60)
endfunction()

# talentflow_benchmark(NAME SOURCES a_benchmark.cc DEPS ...)
function(talentflow_benchmark name)
  if(NOT TALENTFLOW_BUILD_BENCHMARKS)
    return()
  endif()
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  find_package(benchmark REQUIRED)
  add_executable(${name}_benchmark ${ARG_SOURCES})
  target_link_libraries(${name}_benchmark PRIVATE ${ARG_DEPS} benchmark::benchmark benchmark::benchmark_main)
endfunction()

# talentflow_fuzzer(NAME SOURCES a_fuzzer.cc DEPS talentflow_x ...)
# Creates libFuzzer target NAME_fuzzer in <build>/fuzz/ (only with
# TALENTFLOW_BUILD_FUZZERS, which also instruments every library), all in one
# folder so scripts/fuzz.sh finds them by name.
function(talentflow_fuzzer name)
  if(NOT TALENTFLOW_BUILD_FUZZERS)
    return()
  endif()
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name}_fuzzer ${ARG_SOURCES})
  set_target_properties(${name}_fuzzer PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/fuzz)
  target_link_libraries(${name}_fuzzer PRIVATE ${ARG_DEPS})
  target_compile_options(${name}_fuzzer PRIVATE -fsanitize=fuzzer,address,undefined)
  target_link_options(${name}_fuzzer PRIVATE -fsanitize=fuzzer,address,undefined)
  target_compile_definitions(${name}_fuzzer PRIVATE TALENTFLOW_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
endfunction()
