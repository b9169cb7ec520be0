# nlohmann/json is header-only (Debian nlohmann-json3-dev). Under Emscripten find_package does not work and
# -I/usr/include would pull in glibc headers, so we expose it through a private include dir holding a
# symlink (TOOLCHAIN.md).
set(KINDBAND_NLOHMANN_DIR ${CMAKE_BINARY_DIR}/nlohmann-include)
if(NOT EXISTS /usr/include/nlohmann/json.hpp)
  message(FATAL_ERROR "nlohmann/json not found: apt-get install nlohmann-json3-dev")
endif()
file(MAKE_DIRECTORY ${KINDBAND_NLOHMANN_DIR})
file(CREATE_LINK /usr/include/nlohmann ${KINDBAND_NLOHMANN_DIR}/nlohmann SYMBOLIC)
add_library(nlohmann_json_private INTERFACE)
target_include_directories(nlohmann_json_private SYSTEM INTERFACE ${KINDBAND_NLOHMANN_DIR})
