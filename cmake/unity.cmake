# Unity builds (issue 28): a target's sources compiled a batch at a time as one translation unit,
# so that the heavy headers they share (cpp-httplib, GoogleTest, nlohmann/json) are parsed once per
# batch. Each file keeps its file-local names in a namespace of its own, so batches compile as the
# files do alone. -DKINDBAND_UNITY_BUILD=OFF compiles file by file (e.g. to check a file's includes).
option(KINDBAND_UNITY_BUILD "Compile the big targets in unity batches" ON)
set(KINDBAND_UNITY_BATCH_SIZE 8 CACHE STRING "Source files per unity batch")

function(kindband_unity_build target)
  if(KINDBAND_UNITY_BUILD)
    set_target_properties(${target} PROPERTIES UNITY_BUILD ON
                                               UNITY_BUILD_BATCH_SIZE ${KINDBAND_UNITY_BATCH_SIZE})
  endif()
endfunction()
