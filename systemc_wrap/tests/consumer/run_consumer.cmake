# SPDX-License-Identifier: MIT
# Test unit/install/find_package: install the hdm build HDM_BUILD_DIR into a
# fresh prefix under HDM_WORK_DIR, then configure, build and run the
# consumer project HDM_CONSUMER_SOURCE against it (find_package(hdm)).
# Compilers, build type and flags are the hdm build's, so that sanitizer
# builds link. Run with cmake -P (see systemc_wrap/CMakeLists.txt).
foreach(v HDM_BUILD_DIR HDM_WORK_DIR HDM_CONSUMER_SOURCE HDM_GENERATOR)
  if(NOT DEFINED ${v} OR "${${v}}" STREQUAL "")
    message(FATAL_ERROR "run_consumer.cmake: ${v} not set")
  endif()
endforeach()

set(prefix ${HDM_WORK_DIR}/prefix)
set(build ${HDM_WORK_DIR}/build)
file(REMOVE_RECURSE ${HDM_WORK_DIR})
file(MAKE_DIRECTORY ${HDM_WORK_DIR})

function(step what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "hdm consumer: ${what} failed (${rc})")
  endif()
endfunction()

step("cmake --install" ${CMAKE_COMMAND} --install ${HDM_BUILD_DIR}
  --prefix ${prefix})
if(NOT HDM_LIBDIR)
  set(HDM_LIBDIR lib)
endif()
foreach(f ${HDM_LIBDIR}/cmake/hdm/hdmConfig.cmake
    ${HDM_LIBDIR}/cmake/hdm/hdmConfigVersion.cmake
    ${HDM_LIBDIR}/cmake/hdm/hdmTargets.cmake include/hdm/pl011.h
    include/hdm/pl011_regs.h include/hdm/hpet_regs.h
    include/hdm/systemc/pl011_tlm.h)
  if(NOT EXISTS ${prefix}/${f})
    message(FATAL_ERROR "hdm consumer: ${f} was not installed")
  endif()
endforeach()

step("configure" ${CMAKE_COMMAND} -S ${HDM_CONSUMER_SOURCE} -B ${build}
  -G ${HDM_GENERATOR}
  -DCMAKE_PREFIX_PATH=${prefix}
  -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF
  -DCMAKE_C_COMPILER=${HDM_C_COMPILER}
  -DCMAKE_CXX_COMPILER=${HDM_CXX_COMPILER}
  -DCMAKE_BUILD_TYPE=${HDM_BUILD_TYPE}
  -DCMAKE_C_FLAGS=${HDM_C_FLAGS}
  -DCMAKE_CXX_FLAGS=${HDM_CXX_FLAGS}
  -DCMAKE_EXE_LINKER_FLAGS=${HDM_EXE_LINKER_FLAGS})
step("build" ${CMAKE_COMMAND} --build ${build})
step("consumer_core" ${build}/consumer_core)
step("consumer_systemc" ${build}/consumer_systemc)
message(STATUS "hdm consumer: ok")
