// Runs one program (fork/execve, no shell) and measures it: wall time, CPU time, peak RSS.
#pragma once

#include <string>
#include <vector>

namespace sightline::bench {

struct ProcessResult {
    bool exited = false;  // ended by exit() (else by a signal)
    int exit_code = -1;   // when exited
    int signal = 0;       // when killed by a signal
    double wall_s = 0;    // fork to wait4, steady_clock
    double user_s = 0;    // ru_utime of the child (and the children it waited for)
    double sys_s = 0;     // ru_stime, likewise
    long maxrss_kib = 0;  // ru_maxrss from wait4: peak resident set of the child, KiB
    bool ok() const { return exited && exit_code == 0; }
    std::string describe() const;  // "exit 0", "killed by signal 9"
};

struct ProcessSpec {
    std::vector<std::string> argv;  // argv[0] is the program's path (no PATH search)
    std::string stdout_path;        // empty: /dev/null
    std::string stderr_path;        // empty: /dev/null
    std::string cwd;                // empty: the benchmark's own
};

// Runs the program to its end. Throws std::runtime_error when it cannot be started at all
// (fork failed, or execve failed in the child: reported through a close-on-exec pipe).
ProcessResult run_process(const ProcessSpec& spec);

// Set when SIGINT or SIGTERM reached the benchmark (the child gets it too, from the terminal).
bool interrupted();
void install_interrupt_handlers();

// The first match of name in PATH, or "" (a name with a '/' is returned as it is).
std::string find_in_path(const std::string& name);

}  // namespace sightline::bench
