// Large professional reads (the day view, a family page, the inbox list, an export) run on a few
// worker threads at a lower CPU priority than the request threads (nice +10 on Linux), so that a
// parent's share and the single writer always get a core first while big pages are read: the
// safety channel does not slow down because a professional opened a long day view (issue 22). The
// request thread hands the job over and waits for it; the job may touch the request's response.
#ifndef KINDBAND_SERVER_HTTP_READ_WORKERS_H_
#define KINDBAND_SERVER_HTTP_READ_WORKERS_H_

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace kindband::server {

class ReadWorkers {
 public:
  // threads workers (at least 1), each lowering its own priority by `nice` when it starts.
  explicit ReadWorkers(int threads, int nice = 10);
  ~ReadWorkers();
  ReadWorkers(const ReadWorkers&) = delete;
  ReadWorkers& operator=(const ReadWorkers&) = delete;

  // Runs job on a worker and returns when it is done (jobs run in arrival order). An exception
  // thrown by job is rethrown here.
  void run(const std::function<void()>& job);

 private:
  struct Job;
  void work(int nice);

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job*> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace kindband::server

#endif  // KINDBAND_SERVER_HTTP_READ_WORKERS_H_
