// Runs the kindband command line as a real process and captures what it printed and its exit code.
#ifndef KINDBAND_TESTS_CLI_RUN_H_
#define KINDBAND_TESTS_CLI_RUN_H_

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace kindband_test {

struct CliRun {
  int exit_code;
  std::string out;
  std::string err;
};

inline std::string read_all(const std::string& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// A file name in the test's temporary folder, unique to this process.
inline std::string temp_path(const std::string& name) {
  return ::testing::TempDir() + "kindband_cli_" + std::to_string(::getpid()) + "_" + name;
}

// Runs `binary args` through the shell; stdout and stderr go to temporary files.
inline CliRun run_cli(const std::string& binary, const std::string& args) {
  std::string out = temp_path("out"), err = temp_path("err");
  std::string command = binary + " " + args + " >" + out + " 2>" + err;
  int status = std::system(command.c_str());
  return CliRun{WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_all(out), read_all(err)};
}

inline bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace kindband_test

#endif  // KINDBAND_TESTS_CLI_RUN_H_
