// Failures inside an action, and the library's message for one.
#pragma once

#include <string>

extern "C" {  // harmless if the header already declares C linkage
#include "autorestore.h"
}

namespace autorestore_ofx {

// A failure with a message for the user.
struct RenderError {
  std::string message;
};
// The host asked us to stop: fail quietly.
struct RenderAborted {};

// "Auto Restore: <what> failed (<status>): <the library's last error>".
inline std::string libraryError(const char *what, AutorestoreStatus st) {
  std::string msg = std::string("Auto Restore: ") + what + " failed (" +
                    autorestore_status_name(st) + ")";
  const char *detail = autorestore_last_error();
  if (detail && *detail) msg += std::string(": ") + detail;
  return msg;
}

}  // namespace autorestore_ofx
