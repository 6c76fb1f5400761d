// junit.cc — the testsuite, its counts, and a testcase per case.
#include "junit/junit.h"

#include <cstdio>
#include <sstream>

#include <pugixml.hpp>

#include "result/result_file.h"

namespace lab {

namespace {

std::string seconds_text(double seconds)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.3f", seconds);
    return text;
}

void add_case(pugi::xml_node suite, const JunitCase& one)
{
    pugi::xml_node testcase = suite.append_child("testcase");
    testcase.append_attribute("classname") = one.classname.c_str();
    testcase.append_attribute("name") = one.name.c_str();
    testcase.append_attribute("time") = seconds_text(one.seconds).c_str();
    const std::string outcome(to_string(one.outcome));
    if (one.outcome == Outcome::FAIL || one.outcome == Outcome::BROK) {
        pugi::xml_node failure = testcase.append_child("failure");
        failure.append_attribute("type") = outcome.c_str();
        failure.append_attribute("message") = (outcome + ": " + one.reason).c_str();
        failure.text() = one.reason.c_str();
    } else if (one.outcome == Outcome::CONF) {
        testcase.append_child("skipped").append_attribute("message") = ("CONF: " + one.reason).c_str();
    }
}

}  // namespace

std::string junit_xml(const std::string& suite_name, const std::vector<JunitCase>& cases)
{
    size_t failures = 0, skipped = 0;
    double seconds = 0;
    for (const auto& one : cases) {
        failures += one.outcome == Outcome::FAIL || one.outcome == Outcome::BROK;
        skipped += one.outcome == Outcome::CONF;
        seconds += one.seconds;
    }
    pugi::xml_document document;
    pugi::xml_node suites = document.append_child("testsuites");
    pugi::xml_node suite = suites.append_child("testsuite");
    suite.append_attribute("name") = suite_name.c_str();
    suite.append_attribute("tests") = static_cast<unsigned long long>(cases.size());
    suite.append_attribute("failures") = static_cast<unsigned long long>(failures);
    suite.append_attribute("errors") = 0;
    suite.append_attribute("skipped") = static_cast<unsigned long long>(skipped);
    suite.append_attribute("time") = seconds_text(seconds).c_str();
    for (const auto& one : cases) add_case(suite, one);
    std::ostringstream out;
    document.save(out, "  ", pugi::format_default, pugi::encoding_utf8);
    return out.str();
}

void write_junit(const std::string& path, const std::string& suite, const std::vector<JunitCase>& cases)
{
    write_text_atomically(path, junit_xml(suite, cases));
}

}  // namespace lab
