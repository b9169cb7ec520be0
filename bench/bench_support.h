// Pieces both server benchmarks use: a random share id, running a command (kindband-admin) with
// input on stdin, and the disk's own fsync rate. Benchmarks print figures; they assert nothing.
#ifndef KINDBAND_BENCH_BENCH_SUPPORT_H_
#define KINDBAND_BENCH_BENCH_SUPPORT_H_

#include <fcntl.h>
#include <sodium.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

namespace kindband::bench {

// A random lower-case UUID (v4), as the widget makes share ids.
inline std::string uuid() {
  unsigned char b[16];
  randombytes_buf(b, sizeof b);
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
  char out[37];
  std::snprintf(out, sizeof out,
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
                b[15]);
  return out;
}

// Runs argv with input on stdin and waits; stdout and stderr go to log when given (appended).
// Returns the exit code, or -1.
inline int run_command(const std::vector<std::string>& argv, const std::string& input,
                       const std::string& log = "") {
  int in[2];
  if (pipe(in) != 0) return -1;
  pid_t pid = fork();
  if (pid == 0) {
    dup2(in[0], 0);
    close(in[0]);
    close(in[1]);
    if (!log.empty()) {
      int out = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
      dup2(out, 1);
      dup2(out, 2);
      close(out);
    }
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  close(in[0]);
  ssize_t ignored = write(in[1], input.data(), input.size());
  (void)ignored;
  close(in[1]);
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// fdatasync calls per second on a 4 KB rewrite of a file in dir: what one commit's fsync costs.
inline double fdatasync_per_second(const std::filesystem::path& dir, double seconds) {
  std::string path = (dir / "fsync-probe").string();
  int fd = open(path.c_str(), O_CREAT | O_WRONLY | O_TRUNC, 0600);
  if (fd < 0) return 0;
  char block[4096];
  std::fill(std::begin(block), std::end(block), 'x');
  long count = 0;
  auto start = std::chrono::steady_clock::now();
  double elapsed = 0;
  while (elapsed < seconds) {
    if (pwrite(fd, block, sizeof block, (count % 16) * 4096) != sizeof block) break;
    if (fdatasync(fd) != 0) break;
    ++count;
    elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  close(fd);
  unlink(path.c_str());
  return elapsed > 0 ? count / elapsed : 0;
}

}  // namespace kindband::bench

#endif  // KINDBAND_BENCH_BENCH_SUPPORT_H_
