// Holds the precompiled header that the GoogleTest executables share (tests/CMakeLists.txt,
// cmake/precompiled_headers.cmake); compiles to nothing.
