// Process exit codes of the talentflow command, documented in --help.
#pragma once

#include "common/status.h"

namespace talentflow {

inline constexpr int kExitOk = 0;
inline constexpr int kExitInternal = 1;  // a bug in talentflow; please report it
inline constexpr int kExitUsage = 2;     // bad command line
inline constexpr int kExitInput = 3;     // input missing or unusable (file, table, column)
inline constexpr int kExitIo = 4;        // could not read or write (permissions, disk full)
inline constexpr int kExitFailed = 5;    // the run completed but a check failed (e.g. a test case)

inline int ExitCodeFor(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk:
      return kExitOk;
    case StatusCode::kInvalidArgument:
      return kExitUsage;
    case StatusCode::kNotFound:
    case StatusCode::kDataError:
      return kExitInput;
    case StatusCode::kIoError:
      return kExitIo;
    case StatusCode::kInternal:
      return kExitInternal;
  }
  return kExitInternal;
}

inline constexpr const char* kExitCodesHelp =
    "Exit codes: 0 success; 1 internal error (a bug); 2 bad command line; "
    "3 input missing or unusable; 4 read/write failure; 5 run finished but a check failed.";

}  // namespace talentflow
