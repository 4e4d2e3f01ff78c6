// Status and Result: how the engine reports errors a user can cause.
//
// A bad file, a bad config or a wrong teacher contract is not a bug, so it is
// returned as a value with a message that names the file, the record and what
// was expected (see docs/errors.md). Impossible states use DST_CHECK instead.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

namespace distillery {

class Status {
 public:
  Status() = default;  // ok
  static Status error(std::string message) { return Status(std::move(message)); }

  bool ok() const { return !message_.has_value(); }
  explicit operator bool() const { return ok(); }
  const std::string& message() const {
    static const std::string kOk = "ok";
    return message_ ? *message_ : kOk;
  }

 private:
  explicit Status(std::string message) : message_(std::move(message)) {}
  std::optional<std::string> message_;
};

// Thrown only inside the engine and caught at its boundary, where it becomes a
// Status. Lets deep parsers bail out without threading Status through loops.
class UserError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

template <class T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}           // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {    // NOLINT: implicit by design
    if (status_.ok()) throw std::logic_error("Result built from an ok Status without a value");
  }

  bool ok() const { return value_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Status& status() const { return status_; }

  const T& value() const& { return checked(); }
  T& value() & { return checked(); }
  T&& value() && { return std::move(checked()); }
  const T& operator*() const& { return checked(); }
  T& operator*() & { return checked(); }
  const T* operator->() const { return &checked(); }
  T* operator->() { return &checked(); }

 private:
  T& checked() {
    if (!value_) throw std::logic_error("Result accessed without a value: " + status_.message());
    return *value_;
  }
  const T& checked() const { return const_cast<Result*>(this)->checked(); }

  std::optional<T> value_;
  Status status_;
};

}  // namespace distillery

// Loud check for states that cannot happen unless the code is wrong.
#define DST_CHECK(cond)                                                              \
  do {                                                                               \
    if (!(cond))                                                                     \
      throw std::logic_error(std::string(__FILE__) + ":" + std::to_string(__LINE__) + \
                             ": check failed: " #cond);                              \
  } while (0)
