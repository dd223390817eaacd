// Status and StatusOr<T>: expected failures as values.
//
// A Status is either OK or carries a code from a small fixed set and a
// message. Context is prepended as the error travels up, so a final message
// reads like:
//   individual_positions/part-3.csv line 88412: enddate "2019-13": month must be 01-12
// Status and StatusOr are plain values; they are safe to move between threads
// but a single object is not synchronised.
//
// Example:
//   StatusOr<Month> m = ParseMonth(text);
//   if (!m.ok()) return m.status().WithContext("enddate");
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace talentflow {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,  // bad command-line value or request
  kNotFound,         // a file, table or column that must exist does not
  kDataError,        // input content is malformed (bad CSV, bad rule file, ...)
  kIoError,          // reading or writing failed at the OS level
  kInternal,         // a bug: an invariant of our own code does not hold
};

std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // Returns a copy whose message is "context: message". OK stays OK.
  Status WithContext(std::string_view context) const;

  // "not found: individual_user.csv: no such file"
  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status InvalidArgument(std::string msg) {
  return {StatusCode::kInvalidArgument, std::move(msg)};
}
inline Status NotFound(std::string msg) { return {StatusCode::kNotFound, std::move(msg)}; }
inline Status DataError(std::string msg) { return {StatusCode::kDataError, std::move(msg)}; }
inline Status IoError(std::string msg) { return {StatusCode::kIoError, std::move(msg)}; }
inline Status Internal(std::string msg) { return {StatusCode::kInternal, std::move(msg)}; }

template <typename T>
class [[nodiscard]] StatusOr {
 public:
  // REQUIRES: !status.ok()
  StatusOr(Status status) : status_(std::move(status)) { assert(!status_.ok()); }
  StatusOr(T value) : value_(std::move(value)) {}

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }

  // REQUIRES: ok()
  T& value() & {
    assert(ok());
    return *value_;
  }
  const T& value() const& {
    assert(ok());
    return *value_;
  }
  T&& value() && {
    assert(ok());
    return std::move(*value_);
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace talentflow

// Propagates a non-OK Status from an expression returning Status.
#define TF_RETURN_IF_ERROR(expr)              \
  do {                                        \
    ::talentflow::Status tf_status_ = (expr); \
    if (!tf_status_.ok()) return tf_status_;  \
  } while (0)

#define TF_CONCAT_INNER_(a, b) a##b
#define TF_CONCAT_(a, b) TF_CONCAT_INNER_(a, b)
// TF_ASSIGN_OR_RETURN(auto x, MaybeX());
#define TF_ASSIGN_OR_RETURN(lhs, expr) \
  TF_ASSIGN_OR_RETURN_IMPL_(TF_CONCAT_(tf_or_, __LINE__), lhs, expr)
#define TF_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                              \
  if (!tmp.ok()) return tmp.status();             \
  lhs = std::move(tmp).value()
