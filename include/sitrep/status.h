// Status and Result: how every fallible sitrep library call reports failure.
//
// The library never throws across its public boundary, never exits and never
// prints. A function that can fail returns a Status (or a Result<T>, which
// holds either a value or a non-OK Status); the caller decides what to do.
#ifndef SITREP_STATUS_H_
#define SITREP_STATUS_H_

#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace sitrep {

class Status {
 public:
  // NOTE: values are part of the CLI's exit-status contract; do not renumber.
  enum class Code : int {
    kOk = 0,
    kInvalidArgument = 1,  // the caller's input is malformed (bad JSON, bad date)
    kNotFound = 2,         // a file or record does not exist
    kIOError = 3,          // the operating system refused a read or write
    kCorruption = 4,       // stored data (model, lexicon, archive) is damaged
    kUnsupported = 5,      // a format or version this build cannot handle
    kResourceExhausted = 6 // input over a configured limit (e.g. article size)
  };

  // Creates an OK status.
  Status() = default;

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string_view msg) { return Status(Code::kInvalidArgument, msg); }
  static Status NotFound(std::string_view msg) { return Status(Code::kNotFound, msg); }
  static Status IOError(std::string_view msg) { return Status(Code::kIOError, msg); }
  static Status Corruption(std::string_view msg) { return Status(Code::kCorruption, msg); }
  static Status Unsupported(std::string_view msg) { return Status(Code::kUnsupported, msg); }
  static Status ResourceExhausted(std::string_view msg) {
    return Status(Code::kResourceExhausted, msg);
  }

  // Returns true iff the status indicates success.
  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

  // Returns "OK" or "<code name>: <message>".
  std::string ToString() const;

  // Returns a copy whose message is "<context>: <message>"; OK stays OK.
  Status WithContext(std::string_view context) const;

 private:
  Status(Code code, std::string_view msg) : code_(code), message_(msg) {}
  Code code_ = Code::kOk;
  std::string message_;
};

// Result<T> holds either a T or a non-OK Status.
template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  // REQUIRES: !status.ok()
  Result(Status status) : v_(std::move(status)) {  // NOLINT: implicit by design
    assert(!std::get<Status>(v_).ok());
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  // Returns OK when a value is held.
  Status status() const { return ok() ? Status::Ok() : std::get<Status>(v_); }

  // REQUIRES: ok()
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace sitrep

#endif  // SITREP_STATUS_H_
