// json_reader.h — reading a lab's JSON output back (a result, a campaign's file) by dotted path:
// a missing step is null; a value of the wrong type is a ScenarioError naming the file and the
// whole path ("runs.lazy.hosts.process1.calls.2.t_ns"), so a damaged file is one clear line.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace lab {

struct Reader {
    using json = nlohmann::ordered_json;
    const std::string& file;
    std::string prefix;  // "runs.lazy." for one run of several, so that an error names the whole path

    // The member at a dotted path ("hosts.process1.calls.2"; a number steps into an array), or
    // null when a step is missing.
    const json& lookup(const json& from, const std::string& path) const;
    std::string text(const json& from, const std::string& path) const;  // "" for null
    long long number(const json& from, const std::string& path) const;  // 0 for null
    std::uint64_t address(const json& from, const std::string& path) const;  // "0x1140"
    const json& object(const json& from, const std::string& path) const;  // null or an object
    const json& array(const json& from, const std::string& path) const;   // null or an array
    bool flag(const json& from, const std::string& path) const;           // false for null
};

}  // namespace lab
