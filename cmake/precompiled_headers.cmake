# Precompiled headers for the native build (issue 28: the suite's compile time). nlohmann/json,
# cpp-httplib (it pulls in OpenSSL's headers) and GoogleTest cost 1.3-2 s of CPU to parse in every
# translation unit that includes them; a precompiled header parses them once per target family.
# A header is only ever added on top of what a file includes itself, so every file still names its
# own includes (and compiles with -DKINDBAND_PCH=OFF, which a check may want to try now and then).
#
# ccache caches these compilations only with `sloppiness = pch_defines,time_macros` (without it,
# ccache 4.7 compiles every such file uncached: "could_not_use_precompiled_header"). When the
# launcher is ccache, it is run through `env CCACHE_SLOPPINESS=...` below (keeping any sloppiness
# already configured), so a plain `-DCMAKE_CXX_COMPILER_LAUNCHER=ccache` keeps working. No source
# here uses __DATE__ or __TIME__, which time_macros would let ccache serve stale.
# Not under Emscripten (the wasm build is small and its toolchain is pinned) and only for GCC: the
# fuzz build (clang) goes without.
option(KINDBAND_PCH "Precompile nlohmann/json, cpp-httplib and GoogleTest headers" ON)

set(KINDBAND_PCH_ACTIVE OFF)
if(KINDBAND_PCH AND NOT EMSCRIPTEN AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  set(KINDBAND_PCH_ACTIVE ON)
endif()

if(KINDBAND_PCH_ACTIVE AND CMAKE_CXX_COMPILER_LAUNCHER MATCHES "(^|/)ccache$")
  execute_process(COMMAND ${CMAKE_CXX_COMPILER_LAUNCHER} --get-config sloppiness
                  OUTPUT_VARIABLE kindband_sloppiness OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(DEFINED ENV{CCACHE_SLOPPINESS})
    set(kindband_sloppiness "$ENV{CCACHE_SLOPPINESS}")
  endif()
  string(REPLACE "," ";" kindband_sloppiness "${kindband_sloppiness};pch_defines;time_macros")
  list(REMOVE_ITEM kindband_sloppiness "")
  list(REMOVE_DUPLICATES kindband_sloppiness)
  string(REPLACE ";" "," kindband_sloppiness "${kindband_sloppiness}")
  set(CMAKE_CXX_COMPILER_LAUNCHER env CCACHE_SLOPPINESS=${kindband_sloppiness}
      ${CMAKE_CXX_COMPILER_LAUNCHER})
endif()

# kindband_precompile(<target> HEADERS <header>...): <target> makes a precompiled header of these.
# kindband_precompile(<target> REUSE <holder>): <target> uses <holder>'s (same compiler flags; the
# compile definitions may differ as long as the headers do not read them).
function(kindband_precompile target)
  if(NOT KINDBAND_PCH_ACTIVE)
    return()
  endif()
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "REUSE" "HEADERS")
  if(arg_REUSE)
    target_precompile_headers(${target} REUSE_FROM ${arg_REUSE})
  else()
    target_precompile_headers(${target} PRIVATE ${arg_HEADERS})
  endif()
endfunction()
