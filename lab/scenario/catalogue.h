// catalogue.h — the libfoo variants this build made (build/libfoo/catalogue.json, written by
// libfoo/CMakeLists.txt) and where their files are.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace lab {

struct Variant {
    std::string name;  // "v2"
    int edition = 0;   // its answers are FOO_VALUE(edition, chapter)
    int grow_chapter = 0, grow_pages = 0, align = 16;
    // Chapters before changed_from are the base variant's, byte for byte (libfoo/CMakeLists.txt).
    std::string base_name;
    int base_edition = 0, changed_from = 1;
    std::string description;
    std::string shared_object;  // build/libfoo/v2/libfoo.so
    std::string object;         // build/libfoo/v2/foo.o

    // A user's own edition (a C source or a shared object named by a scenario): what each chapter
    // answered when it was called in a throwaway process, chapter 1 first; empty for the built-ins.
    std::vector<std::pair<std::string, long>> answers;
    std::string file;  // the user's file it was made from ("" for the built-ins)
    std::map<int, std::string> probe_failures;  // chapter -> how the throwaway process1 ended calling it ("died of SIGABRT")

    // What chapter `chapter` of this variant answers: the variant name and the value.
    std::string name_of(int chapter) const;
    long value_of(int chapter) const;
};

class Catalogue {
public:
    // Reads DIR/catalogue.json; throws ScenarioError (file, field, problem) on any problem.
    static Catalogue load(const std::string& dir);
    // The same from the file's text.
    static Catalogue parse(const std::string& dir, const std::string& text);

    const Variant* find(const std::string& name) const;
    // A user's edition, found by `key` (the absolute path of its file) from now on.
    void add(const std::string& key, const Variant& variant) { variants_[key] = variant; }
    const std::string& include_dir() const { return include_dir_; }  // libfoo/include: foo.h
    const std::string& cflags() const { return cflags_; }            // libfoo's compiler flags
    const std::string& dir() const { return dir_; }                  // build/libfoo
    const std::map<std::string, Variant>& variants() const { return variants_; }
    int chapters() const { return chapters_; }

private:
    std::map<std::string, Variant> variants_;
    int chapters_ = 0;
    std::string include_dir_, cflags_ = "-O2 -g -fPIC", dir_;
};

}  // namespace lab
