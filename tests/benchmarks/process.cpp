#include "process.hpp"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <stdexcept>

extern char** environ;

namespace sightline::bench {

namespace {

volatile sig_atomic_t g_interrupted = 0;

void on_signal(int) { g_interrupted = 1; }

double seconds_of(const timeval& tv) { return static_cast<double>(tv.tv_sec) + tv.tv_usec / 1e6; }

// Tells the parent which step failed, and errno, through the close-on-exec pipe.
[[noreturn]] void child_failed(int report_fd, int stage) {
    const int codes[2] = {stage, errno};
    ssize_t ignored = ::write(report_fd, codes, sizeof codes);
    (void)ignored;
    _exit(127);
}

// Only async-signal-safe calls between fork and execve.
[[noreturn]] void child(char* const* argv, const char* out, const char* err, const char* cwd,
                        int report_fd) {
    auto fail = [report_fd](int stage) { child_failed(report_fd, stage); };
    const int in = ::open("/dev/null", O_RDONLY);
    if (in < 0 || ::dup2(in, STDIN_FILENO) < 0) fail(1);
    const int o = ::open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (o < 0 || ::dup2(o, STDOUT_FILENO) < 0) fail(2);
    const int e = ::open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (e < 0 || ::dup2(e, STDERR_FILENO) < 0) fail(3);
    if (cwd && ::chdir(cwd) != 0) fail(4);
    ::execve(argv[0], argv, environ);
    child_failed(report_fd, 5);
}

}  // namespace

std::string ProcessResult::describe() const {
    if (exited) return "exit " + std::to_string(exit_code);
    return "killed by signal " + std::to_string(signal) + " (" + strsignal(signal) + ")";
}

bool interrupted() { return g_interrupted != 0; }

void install_interrupt_handlers() {
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;  // no SA_RESTART: wait4 returns EINTR and is retried below
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
}

std::string find_in_path(const std::string& name) {
    if (name.find('/') != std::string::npos) return name;
    const char* path = std::getenv("PATH");
    std::string dirs = path ? path : "/usr/local/bin:/usr/bin:/bin";
    size_t start = 0;
    while (start <= dirs.size()) {
        size_t end = dirs.find(':', start);
        if (end == std::string::npos) end = dirs.size();
        std::string dir = dirs.substr(start, end - start);
        if (dir.empty()) dir = ".";
        const std::string candidate = dir + "/" + name;
        struct stat st {};
        if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
            ::access(candidate.c_str(), X_OK) == 0)
            return candidate;
        start = end + 1;
    }
    return "";
}

ProcessResult run_process(const ProcessSpec& spec) {
    if (spec.argv.empty()) throw std::runtime_error("run_process: empty argv");
    // Everything the child needs is prepared before fork.
    std::vector<std::string> args = spec.argv;
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    const std::string out = spec.stdout_path.empty() ? "/dev/null" : spec.stdout_path;
    const std::string err = spec.stderr_path.empty() ? "/dev/null" : spec.stderr_path;
    int report[2];
    if (::pipe2(report, O_CLOEXEC) != 0)
        throw std::runtime_error(std::string("pipe: ") + strerror(errno));

    const auto started = std::chrono::steady_clock::now();
    const pid_t pid = ::fork();
    if (pid < 0) {
        const int saved = errno;
        ::close(report[0]);
        ::close(report[1]);
        throw std::runtime_error(std::string("fork: ") + strerror(saved));
    }
    if (pid == 0) {
        ::close(report[0]);
        child(argv.data(), out.c_str(), err.c_str(), spec.cwd.empty() ? nullptr : spec.cwd.c_str(),
              report[1]);
    }
    ::close(report[1]);
    int status = 0;
    struct rusage usage {};
    pid_t waited;
    do {
        waited = ::wait4(pid, &status, 0, &usage);
    } while (waited < 0 && errno == EINTR);
    const auto ended = std::chrono::steady_clock::now();
    if (waited < 0) {
        const int saved = errno;
        ::close(report[0]);
        throw std::runtime_error(std::string("wait4: ") + strerror(saved));
    }

    int codes[2] = {0, 0};
    ssize_t n;
    do {
        n = ::read(report[0], codes, sizeof codes);
    } while (n < 0 && errno == EINTR);
    ::close(report[0]);
    if (n == static_cast<ssize_t>(sizeof codes)) {
        std::string what;
        switch (codes[0]) {
            case 1:
                what = "cannot open /dev/null";
                break;
            case 2:
                what = "cannot open " + out;
                break;
            case 3:
                what = "cannot open " + err;
                break;
            case 4:
                what = "cannot change to folder " + spec.cwd;
                break;
            default:
                what = "cannot execute " + spec.argv[0];
                break;
        }
        throw std::runtime_error(what + ": " + strerror(codes[1]));
    }

    ProcessResult r;
    r.wall_s = std::chrono::duration<double>(ended - started).count();
    r.user_s = seconds_of(usage.ru_utime);
    r.sys_s = seconds_of(usage.ru_stime);
    r.maxrss_kib = usage.ru_maxrss;
    if (WIFEXITED(status)) {
        r.exited = true;
        r.exit_code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        r.signal = WTERMSIG(status);
    }
    return r;
}

}  // namespace sightline::bench
