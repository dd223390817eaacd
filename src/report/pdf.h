// Prints the HTML report to PDF with headless Chromium. Chromium runs with
// no sandbox, no GPU, no first-run, background networking, component update
// or sync, and a throw-away profile folder, so it makes no network request
// and leaves nothing behind. The PDF is written beside the destination and
// renamed into place. Blocks until Chromium exits (at most `timeout_s`).
//
// Example:
//   TF_ASSIGN_OR_RETURN(std::string chromium, FindChromium(""));
//   TF_RETURN_IF_ERROR(PrintPdf(chromium, out / "report.html", out / "report.pdf"));
#pragma once

#include <filesystem>
#include <string>

#include "common/status.h"

namespace talentflow::report {

// The Chromium executable: `preferred` when non-empty, else
// $TALENTFLOW_CHROMIUM, else chromium, chromium-browser, google-chrome found
// on PATH. kNotFound with an installation hint when there is none.
StatusOr<std::string> FindChromium(const std::string& preferred);

Status PrintPdf(const std::string& chromium, const std::filesystem::path& html,
                const std::filesystem::path& pdf, int timeout_s = 120);

}  // namespace talentflow::report
