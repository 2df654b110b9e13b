// Replays a libFuzzer corpus through a fuzz target built by the ordinary
// build (GCC, ASan, UBSan), without clang or libFuzzer: every file given, or
// every file in each directory given, is passed once to
// LLVMFuzzerTestOneInput. A target aborts on what it finds, so a replay that
// returns has found nothing in its corpus. `make test` runs this; fuzzing
// itself (new inputs, clang) is opt-in: SWITCHYARD_FUZZ=ON, or run.sh.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv);
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

std::vector<std::filesystem::path> inputs(const std::filesystem::path& given) {
    std::vector<std::filesystem::path> out;
    if (std::filesystem::is_directory(given)) {
        for (const auto& entry : std::filesystem::directory_iterator(given))
            if (entry.is_regular_file()) out.push_back(entry.path());
    } else {
        out.push_back(given);
    }
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s CORPUS_DIR_OR_FILE...\n", argv[0]);
        return 2;
    }
    LLVMFuzzerInitialize(&argc, &argv);
    std::size_t replayed = 0;
    for (int i = 1; i < argc; ++i) {
        for (const auto& path : inputs(argv[i])) {
            std::ifstream in(path, std::ios::binary);
            std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
            LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
            ++replayed;
        }
    }
    std::printf("replayed %zu inputs, none failed\n", replayed);
    // An empty corpus proves nothing: say so by failing.
    return replayed > 0 ? 0 : 1;
}
