// scan.h — lab scan: which running processes run on a library (or executable) that was replaced,
// or that was overwritten in place, after they mapped it. Read from /proc only: no ptrace, no
// signal, nothing that stops, slows or changes the process.
//
// For each process, each file it maps with an executable segment (a shared object, or the
// executable) is judged from what can be observed now:
//   replaced           the mapped file is not the file at that path any more: "(deleted)" in
//                      maps, or the path names another (st_dev, st_ino) than the mapped file
//                      (opened through /proc/PID/map_files where readable; else maps' numbers)
//   copied-up          on overlayfs: the path leads to an upper-layer copy, the process maps the
//                      lower file
//   modified-in-place  the same file, changed after the process mapped it. Looked for only where
//                      the file's inode changed after the process started (ctime, which no tool
//                      can set back); then each signal says what it saw, and how sure it is:
//                        certain   the file is now shorter than what the process maps (its pages
//                                  past the end give SIGBUS), or its PT_LOAD segments are no
//                                  longer what the process mapped (a layout that moved)
//                        likely    the private copies of its relocated pages (RELRO) are gone:
//                                  a truncation took them (Linux unmaps even COW pages)
//                        possible  written (mtime) after the process started: alone, this is also
//                                  what a library installed, then dlopen()ed later, looks like
// Nothing is reported for a mapping where none of these holds.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace lab {

enum class ScanStatus { replaced, copied_up, modified_in_place };
const char* to_string(ScanStatus status);  // "replaced", "copied-up", "modified-in-place"

struct ScanEvidence {
    std::string signal;     // "deleted", "identity", "overlay-upper", "shorter", "layout", "private-pages", "mtime"
    std::string certainty;  // "certain", "likely", "possible"
    std::string detail;     // what was seen, in a sentence
};

struct ScannedLibrary {
    std::string path;
    ScanStatus status = ScanStatus::replaced;
    std::vector<ScanEvidence> evidence;
};

struct ScannedProcess {
    pid_t pid = 0;
    std::string comm, exe;
    std::vector<ScannedLibrary> libraries;  // only those with a finding
};

struct ScanResult {
    std::vector<ScannedProcess> processes;  // only those with a finding
    size_t scanned = 0;     // processes whose mappings were read
    size_t unreadable = 0;  // processes whose mappings could not be read (another user's, as a user)
    size_t gone = 0;        // processes that ended while being scanned
    nlohmann::ordered_json to_json() const;
};

// Scans the processes `pids`, or every process when empty (not the scanner itself). A pid given
// that does not exist is counted as gone.
ScanResult scan_processes(const std::vector<pid_t>& pids);
// One process; nullopt when its mappings cannot be read (or it is gone: `gone` says which).
std::optional<ScannedProcess> scan_process(pid_t pid, bool* gone = nullptr);

// The table (pid, command, library, status, evidence) as lab scan prints it on a terminal.
std::string scan_table(const ScanResult& result);
// needrestart's batch format: "NEEDRESTART-PID: comm=pid,pid" per command, sorted.
std::string scan_batch(const ScanResult& result);

}  // namespace lab
