// Timing for the writers' accounting (SQLite's group-commit writer and PostgreSQL's): wall seconds
// since a moment, and the CPU seconds the calling thread has used.
#ifndef KINDBAND_SERVER_STORE_WRITER_TIMING_H_
#define KINDBAND_SERVER_STORE_WRITER_TIMING_H_

#include <time.h>

#include <chrono>

namespace kindband::server {

inline double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

inline double thread_cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

}  // namespace kindband::server

#endif  // KINDBAND_SERVER_STORE_WRITER_TIMING_H_
