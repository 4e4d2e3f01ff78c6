#include "engine/training/checkpoint.h"

#include <gtest/gtest.h>

#include <fstream>

#include "engine/losses/set_criterion.h"
#include "engine/modeling/instance_segmenter.h"
#include "tests/support/test_paths.h"

namespace distillery {
namespace {

// Four fixed images with one square each; the step picks two of them with the std RNG.
struct Data {
  torch::Tensor images;
  std::vector<TargetInstances> targets;
};

Data makeData() {
  torch::manual_seed(123);
  Data d;
  d.images = torch::rand({4, 3, 64, 64});
  for (int i = 0; i < 4; ++i) {
    TargetInstances t{torch::tensor({i % 2}, torch::kInt64), torch::zeros({1, 64, 64})};
    t.masks[0].narrow(0, 4 + 8 * i, 20).narrow(1, 10, 24).fill_(1);
    d.targets.push_back(t);
  }
  return d;
}

struct TrainingRun {
  InstanceSegmenter model{nullptr};
  std::unique_ptr<torch::optim::AdamW> optimizer;
  std::mt19937_64 rng{99};
  int64_t step = 0;

  explicit TrainingRun(uint64_t seed) {
    torch::manual_seed(seed);
    model = InstanceSegmenter(presetConfig("tiny", 2).value());
    optimizer = std::make_unique<torch::optim::AdamW>(
        model->parameters(), torch::optim::AdamWOptions(1e-3).weight_decay(0.05));
  }

  void train(const Data& d, int steps, const SetCriterion& criterion) {
    for (int s = 0; s < steps; ++s, ++step) {
      const int64_t a = static_cast<int64_t>(rng() % 4), b = static_cast<int64_t>(rng() % 4);
      torch::Tensor images = torch::stack({d.images[a], d.images[b]});
      auto out = model->forward(images);
      torch::Tensor loss =
          criterion.total(criterion(out.predictions(), {d.targets[a], d.targets[b]}));
      optimizer->zero_grad();
      loss.backward();
      optimizer->step();
    }
  }
};

TEST(CheckpointTest, ResumingContinuesExactlyAsAnUninterruptedRun) {
  const Data data = makeData();
  SetCriterionOptions co;
  co.numClasses = 2;
  const SetCriterion criterion(co);
  const auto dir = test::freshTempDir("ckpt");

  torch::manual_seed(7);
  TrainingRun straight(1);
  torch::manual_seed(7);
  straight.train(data, 6, criterion);

  torch::manual_seed(7);
  TrainingRun first(1);
  torch::manual_seed(7);
  first.train(data, 3, criterion);
  TrainingState saved;
  saved.step = first.step;
  saved.meta = {{"model_config", toJson(first.model->config())},
                {"class_names", nlohmann::json::array({"a", "b"})}};
  saved.rng = &first.rng;
  ASSERT_TRUE(
      saveCheckpoint(dir / "run" / "step3.ckpt", *first.model, first.optimizer.get(), saved).ok());

  // Fresh objects, a different initialisation and a disturbed global RNG.
  TrainingRun resumed(999);
  torch::rand({1000});
  resumed.rng.seed(5);
  TrainingState loaded;
  loaded.rng = &resumed.rng;
  Status s =
      loadCheckpoint(dir / "run" / "step3.ckpt", *resumed.model, resumed.optimizer.get(), loaded);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(loaded.step, 3);
  EXPECT_EQ(loaded.meta["class_names"][1], "b");
  resumed.step = loaded.step;
  resumed.train(data, 3, criterion);

  auto a = straight.model->named_parameters();
  auto b = resumed.model->named_parameters();
  ASSERT_EQ(a.size(), b.size());
  for (const auto& p : a) {
    const torch::Tensor& q = b[p.key()];
    EXPECT_TRUE(torch::equal(p.value(), q))
        << p.key() << " max diff " << (p.value() - q).abs().max();
  }
}

TEST(CheckpointTest, MetaIsReadableWithoutAModelAndErrorsNameTheFile) {
  const auto dir = test::freshTempDir("ckpt");
  TrainingRun r(1);
  TrainingState st;
  st.meta = {{"arch", "tiny"}};
  ASSERT_TRUE(saveCheckpoint(dir / "a.ckpt", *r.model, nullptr, st).ok());
  auto meta = readCheckpointMeta(dir / "a.ckpt");
  ASSERT_TRUE(meta.ok());
  EXPECT_EQ((*meta)["arch"], "tiny");

  // No optimiser state saved, one requested.
  TrainingState loaded;
  Status s = loadCheckpoint(dir / "a.ckpt", *r.model, r.optimizer.get(), loaded);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("no optimizer state"), std::string::npos) << s.message();

  // A different architecture.
  InstanceSegmenter other(presetConfig("student-s", 2).value());
  s = loadCheckpoint(dir / "a.ckpt", *other, nullptr, loaded);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("a.ckpt: model parameters do not fit"), std::string::npos)
      << s.message();

  std::ofstream(dir / "junk.ckpt") << "junk";
  s = loadCheckpoint(dir / "junk.ckpt", *r.model, nullptr, loaded);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("junk.ckpt"), std::string::npos);
  EXPECT_FALSE(loadCheckpoint(dir / "none.ckpt", *r.model, nullptr, loaded).ok());
  for (const auto& f : std::filesystem::directory_iterator(dir))  // no temporary left behind
    EXPECT_EQ(f.path().filename().string().find(".tmp"), std::string::npos) << f.path();
}

}  // namespace
}  // namespace distillery
