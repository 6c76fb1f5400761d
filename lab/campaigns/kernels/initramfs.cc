// initramfs.cc — the modules a guest needs, and the newc archive that carries them.
#include "campaigns/kernels/initramfs.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "base/files.h"
#include "base/text.h"
#include "system/child.h"

namespace lab {

namespace fs = std::filesystem;

namespace {

// "kernel/drivers/block/virtio_blk.ko.xz" -> "virtio_blk" (modinfo's names use '_' for '-').
std::string module_name(const std::string& path)
{
    std::string name = fs::path(path).filename().string();
    name = name.substr(0, name.find(".ko"));
    for (char& c : name)
        if (c == '-') c = '_';
    return name;
}

struct ModuleTree {
    std::map<std::string, std::string> shipped;  // name -> path relative to the modules dir
    std::set<std::string> builtin;
    std::string dir;
    std::string error;
    std::vector<std::string> order;
    std::set<std::string> visited;

    // `name` after its dependencies, depth first.
    void add(const std::string& name)
    {
        if (!error.empty() || builtin.count(name) || !visited.insert(name).second) return;
        auto found = shipped.find(name);
        if (found == shipped.end()) {
            error = "the kernel has no module " + name + " (neither built in nor under " + dir + ")";
            return;
        }
        CommandResult depends = run_command({"modinfo", "-F", "depends", dir + "/" + found->second}, "", std::chrono::seconds(30));
        if (!depends.ok()) {
            error = "modinfo -F depends " + found->second + " failed: " +
                    (depends.spawn_error.empty() ? printable(depends.err, 160) : depends.spawn_error + " (Debian package kmod)");
            return;
        }
        std::string list = depends.out.substr(0, depends.out.find('\n'));
        for (size_t at = 0; at < list.size();) {
            size_t comma = list.find(',', at);
            if (comma == std::string::npos) comma = list.size();
            if (comma > at) add(list.substr(at, comma - at));
            at = comma + 1;
        }
        order.push_back(found->second);
    }
};

void put_entry(std::string* archive, unsigned inode, const std::string& name, unsigned mode, const std::string& data)
{
    char header[111];
    std::snprintf(header, sizeof header, "070701%08X%08X%08X%08X%08X%08X%08zX%08X%08X%08X%08X%08zX%08X", inode, mode, 0u, 0u, 1u, 0u,
                  data.size(), 0u, 0u, 0u, 0u, name.size() + 1, 0u);
    archive->append(header, 110);
    archive->append(name);
    archive->push_back('\0');
    archive->append((4 - archive->size() % 4) % 4, '\0');
    archive->append(data);
    archive->append((4 - archive->size() % 4) % 4, '\0');
}

}  // namespace

std::vector<std::string> guest_modules(const std::string& modules_dir, std::string* error)
{
    ModuleTree tree;
    tree.dir = modules_dir;
    std::error_code failed;
    if (!modules_dir.empty())
        for (auto entry = fs::recursive_directory_iterator(modules_dir, failed); !failed && entry != fs::recursive_directory_iterator();
             entry.increment(failed))
            if (entry->path().filename().string().find(".ko") != std::string::npos)
                tree.shipped.emplace(module_name(entry->path()), fs::relative(entry->path(), modules_dir).string());
    std::ifstream builtin(modules_dir + "/modules.builtin");
    for (std::string line; std::getline(builtin, line);) tree.builtin.insert(module_name(line));
    if (modules_dir.empty() || !fs::exists(modules_dir + "/modules.builtin")) {
        // A kernel image alone: whatever it needs must be built in; the guest says if not.
        return {};
    }
    for (const char* name : {"virtio_pci", "virtio_blk", "ext4"}) tree.add(name);
    // ext4 asks for crc32c when it mounts (metadata_csum): through modprobe, which a guest has
    // not. Where it is a module, it is loaded beforehand.
    if (tree.shipped.count("crc32c_generic")) tree.add("crc32c_generic");
    *error = tree.error;
    return tree.order;
}

std::string write_newc(const std::string& path, const std::vector<ArchiveFile>& files)
{
    std::string archive;
    unsigned inode = 1;
    std::set<std::string> directories;
    for (const auto& file : files) {
        std::vector<std::string> parents;  // outermost first
        for (fs::path dir = fs::path(file.name).parent_path(); !dir.empty(); dir = dir.parent_path()) parents.insert(parents.begin(), dir.string());
        for (const auto& dir : parents)
            if (directories.insert(dir).second) put_entry(&archive, inode++, dir, 040755, "");
        put_entry(&archive, inode++, file.name, 0100000 | file.mode, file.source.empty() ? file.text : read_file(file.source));
    }
    put_entry(&archive, inode, "TRAILER!!!", 0, "");
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(archive.data(), static_cast<std::streamsize>(archive.size()));
    return out.good() ? "" : "cannot write " + path;
}

}  // namespace lab
