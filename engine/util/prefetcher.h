// Runs a producer on a background thread, `depth` items ahead of the consumer, so
// image decoding and augmentation stay off the training thread's critical path.
// Items come out in index order. The producer must be thread-safe for one thread.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>

namespace distillery {

template <class T>
class Prefetcher {
 public:
  using Producer = std::function<T(int64_t index)>;

  Prefetcher(Producer producer, int64_t firstIndex, size_t depth = 2)
      : producer_(std::move(producer)), next_(firstIndex), depth_(depth == 0 ? 1 : depth) {
    worker_ = std::thread([this] { run(); });
  }
  ~Prefetcher() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    changed_.notify_all();
    worker_.join();
  }
  Prefetcher(const Prefetcher&) = delete;
  Prefetcher& operator=(const Prefetcher&) = delete;

  // The next item; rethrows what the producer threw for it.
  T next() {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [this] { return !queue_.empty() || error_; });
    if (queue_.empty() && error_) std::rethrow_exception(error_);
    T item = std::move(queue_.front());
    queue_.pop_front();
    changed_.notify_all();
    return item;
  }

 private:
  void run() {
    for (;;) {
      int64_t index;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        changed_.wait(lock, [this] { return stop_ || queue_.size() < depth_; });
        if (stop_) return;
        index = next_++;
      }
      try {
        T item = producer_(index);
        std::lock_guard<std::mutex> lock(mutex_);
        queue_.push_back(std::move(item));
      } catch (...) {
        std::lock_guard<std::mutex> lock(mutex_);
        error_ = std::current_exception();
        changed_.notify_all();
        return;
      }
      changed_.notify_all();
    }
  }

  Producer producer_;
  int64_t next_;
  size_t depth_;
  std::deque<T> queue_;
  std::exception_ptr error_;
  bool stop_ = false;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::thread worker_;
};

}  // namespace distillery
