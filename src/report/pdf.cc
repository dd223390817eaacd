#include "report/pdf.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <thread>
#include <vector>

namespace talentflow::report {
namespace fs = std::filesystem;

namespace {

bool IsExecutable(const fs::path& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec) && access(path.c_str(), X_OK) == 0;
}

}  // namespace

StatusOr<std::string> FindChromium(const std::string& preferred) {
  if (!preferred.empty()) {
    if (IsExecutable(preferred)) return preferred;
    return NotFound(fmt::format("chromium \"{}\": not an executable file", preferred));
  }
  if (const char* env = std::getenv("TALENTFLOW_CHROMIUM"); env && *env) {
    if (IsExecutable(env)) return std::string(env);
    return NotFound(fmt::format("TALENTFLOW_CHROMIUM=\"{}\": not an executable file", env));
  }
  const char* path_env = std::getenv("PATH");
  std::string path_list = path_env ? path_env : "/usr/bin:/bin";
  for (const char* name : {"chromium", "chromium-browser", "google-chrome"}) {
    size_t start = 0;
    while (start <= path_list.size()) {
      size_t end = path_list.find(':', start);
      if (end == std::string::npos) end = path_list.size();
      fs::path candidate = fs::path(path_list.substr(start, end - start)) / name;
      if (end > start && IsExecutable(candidate)) return candidate.string();
      start = end + 1;
    }
  }
  return NotFound(
      "--pdf needs headless Chromium, which is not installed (Debian: apt-get install chromium; "
      "or set TALENTFLOW_CHROMIUM to the browser's path); report.html was written");
}

Status PrintPdf(const std::string& chromium, const fs::path& html, const fs::path& pdf,
                int timeout_s) {
  std::error_code ec;
  fs::path html_abs = fs::absolute(html, ec);
  fs::path pdf_abs = fs::absolute(pdf, ec);
  fs::path tmp_pdf = pdf_abs;
  tmp_pdf += fmt::format(".tmp{}", static_cast<long>(getpid()));
  std::string profile_template =
      (fs::temp_directory_path(ec) / "talentflow-chromium-XXXXXX").string();
  std::vector<char> profile_buf(profile_template.begin(), profile_template.end());
  profile_buf.push_back('\0');
  if (!mkdtemp(profile_buf.data())) {
    return IoError(fmt::format("{}: cannot create a temporary profile folder", profile_template));
  }
  fs::path profile(profile_buf.data());
  std::vector<std::string> args = {chromium,
                                   "--headless",
                                   "--no-sandbox",
                                   "--disable-gpu",
                                   "--no-first-run",
                                   "--disable-background-networking",
                                   "--disable-component-update",
                                   "--disable-sync",
                                   "--no-pdf-header-footer",
                                   "--user-data-dir=" + profile.string(),
                                   "--print-to-pdf=" + tmp_pdf.string(),
                                   "file://" + html_abs.string()};
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  pid_t pid = fork();
  if (pid < 0) {
    fs::remove_all(profile, ec);
    return IoError("cannot start chromium: fork failed");
  }
  if (pid == 0) {
    int devnull = open("/dev/null", O_RDWR);
    if (devnull >= 0) {
      dup2(devnull, STDIN_FILENO);
      dup2(devnull, STDOUT_FILENO);
      dup2(devnull, STDERR_FILENO);
    }
    execv(argv[0], argv.data());
    _exit(127);
  }
  int wait_status = 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  bool timed_out = false;
  while (true) {
    pid_t done = waitpid(pid, &wait_status, WNOHANG);
    if (done == pid) break;
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &wait_status, 0);
      timed_out = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  fs::remove_all(profile, ec);
  if (timed_out) {
    fs::remove(tmp_pdf, ec);
    return IoError(
        fmt::format("chromium did not finish printing {} within {} s", pdf.string(), timeout_s));
  }
  if (!WIFEXITED(wait_status) || WEXITSTATUS(wait_status) != 0 || !fs::exists(tmp_pdf, ec) ||
      fs::file_size(tmp_pdf, ec) == 0) {
    fs::remove(tmp_pdf, ec);
    return IoError(fmt::format("chromium ({}) failed to print {} (exit status {})", chromium,
                               pdf.string(),
                               WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : -1));
  }
  fs::rename(tmp_pdf, pdf_abs, ec);
  if (ec) return IoError(fmt::format("{}: rename: {}", pdf.string(), ec.message()));
  return Status::Ok();
}

}  // namespace talentflow::report
