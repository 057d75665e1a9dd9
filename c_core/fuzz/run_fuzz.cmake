# SPDX-License-Identifier: MIT
# cmake -DFUZZER=... -DSEEDS=dir -DWORK=dir -DRUNS=n -P run_fuzz.cmake
# Copies the seed corpus to WORK/corpus, runs the libFuzzer binary there and
# fails (non-zero exit) if it reports a crash, a leak, a timeout or an
# invariant violation; the reproducer is left in WORK as crash-*/timeout-*.
foreach(v FUZZER SEEDS WORK RUNS)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "run_fuzz.cmake: -D${v}= missing")
  endif()
endforeach()
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
file(COPY ${SEEDS}/ DESTINATION ${WORK}/corpus)
execute_process(
  COMMAND ${FUZZER} -runs=${RUNS} -seed=1 -max_len=4096 -timeout=30
          -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix=${WORK}/
          ${WORK}/corpus
  WORKING_DIRECTORY ${WORK}
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  file(GLOB found ${WORK}/crash-* ${WORK}/timeout-* ${WORK}/leak-*
       ${WORK}/oom-* ${WORK}/slow-unit-*)
  get_filename_component(name ${FUZZER} NAME)
  message(FATAL_ERROR "${name} failed (exit ${rc}); reproducer(s): "
    "${found}\nrerun: ${FUZZER} <file>")
endif()
