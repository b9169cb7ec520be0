#include "http/read_workers.h"

#include <exception>

#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace kindband::server {

struct ReadWorkers::Job {
  const std::function<void()>* run = nullptr;
  std::exception_ptr error;
  bool done = false;
  std::condition_variable finished;
};

ReadWorkers::ReadWorkers(int threads, int nice) {
  for (int i = 0; i < (threads < 1 ? 1 : threads); ++i) {
    threads_.emplace_back([this, nice] { work(nice); });
  }
}

ReadWorkers::~ReadWorkers() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& thread : threads_) thread.join();
}

void ReadWorkers::run(const std::function<void()>& job) {
  Job entry;
  entry.run = &job;
  std::unique_lock<std::mutex> lock(mutex_);
  queue_.push_back(&entry);
  wake_.notify_one();
  entry.finished.wait(lock, [&] { return entry.done; });
  if (entry.error) std::rethrow_exception(entry.error);
}

void ReadWorkers::work(int nice) {
#ifdef __linux__
  // On Linux a thread has its own nice value; lowering it needs no privilege. If it fails the
  // worker still runs, at normal priority.
  (void)setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), nice);
#else
  (void)nice;
#endif
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, nothing left
    Job* job = queue_.front();
    queue_.pop_front();
    lock.unlock();
    try {
      (*job->run)();
    } catch (...) {
      job->error = std::current_exception();
    }
    lock.lock();
    job->done = true;
    job->finished.notify_all();
  }
}

}  // namespace kindband::server
