// kernel_image.h — the kernels `lab kernels` boots: what the user named, found or fetched.
//
// A kernel is named as the running one ("running"), a Debian package ("linux-image-6.1.0-56-
// cloud-amd64": fetched with `apt-get download` into a cache and unpacked with `dpkg-deb -x`,
// never installed), a .deb file, a directory holding an unpacked package (boot/vmlinuz-*,
// lib/modules/RELEASE/), or a kernel image file alone (then the guest has no modules). The
// release is read from the image itself (the bzImage header's version string), not from a name.
#pragma once

#include <string>
#include <vector>

namespace lab {

struct KernelImage {
    std::string given;        // as the user named it
    std::string release;      // "6.1.0-56-cloud-amd64"
    std::string vmlinuz;      // "" for the running kernel
    std::string modules_dir;  // lib/modules/RELEASE of the package; "" when it has none
    std::string not_available;  // why this kernel cannot be booted here ("" when it can)
    bool running() const { return given == "running"; }
};

// What `lab kernels` runs when no --kernel is given: "running", then the newest
// linux-image-X.Y.Z...-cloud-amd64 of each X.Y series apt knows ("6.1", "6.12" on Debian 12).
// Empty of packages (only "running") where apt knows none.
std::vector<std::string> default_kernels();

// Of the package names given (apt-cache pkgnames linux-image-), the newest cloud image of each
// series, oldest series first: {"linux-image-6.1.0-56-cloud-amd64", "linux-image-6.12.117+deb12-
// cloud-amd64"}. Metapackages ("linux-image-cloud-amd64", "linux-image-6.12-cloud-amd64"), -dbg
// and -unsigned packages are not images to boot.
std::vector<std::string> newest_cloud_images(const std::vector<std::string>& packages);
// The newest cloud image of each series apt knows here (newest_cloud_images of apt-cache's list).
std::vector<std::string> debian_cloud_images();
// "linux-image-6.1.0-56-cloud-amd64" -> "6.1"; "" for a name that is not a cloud image.
std::string cloud_series(const std::string& package);

// Throws ScenarioError (exit 2) when `given` is neither "running", an existing path, nor a word
// that could be a Debian package name: checked for every --kernel before anything runs.
void check_kernel_name(const std::string& given);

// Finds or fetches the kernel named `given`. Packages and .deb files are unpacked once into
// `cache_dir` (build/kernels/PACKAGE); a kernel that cannot be had says so in not_available.
// Throws ScenarioError (exit 2) when `given` is neither "running", an existing path, nor a word
// that could be a Debian package name.
KernelImage find_kernel(const std::string& given, const std::string& cache_dir);

// The release a bzImage says it is ("6.1.0-56-cloud-amd64"), from its setup header; "" when the
// file is not a bzImage.
std::string bzimage_release(const std::string& path);

}  // namespace lab
