// The benchmark protocol in parallel lanes: one recipe trains on one thread at a time
// about as fast as on two (docs/methods.md), so on N cores N single-thread child
// processes finish the table about N times sooner than one call.
#include <fcntl.h>
#include <nlohmann/json.hpp>
#include <spawn.h>
#include <spdlog/fmt/fmt.h>
#include <spdlog/spdlog.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "engine/api/distillation.h"

extern char** environ;

namespace distillery {
namespace {

// Single-thread wall times at default scale with student-m, from per-step times measured
// in two lanes on this project's reference machine (docs/methods.md); only their order
// matters.
double minutesOf(const std::string& task) {
  static const std::map<std::string, double> kMinutes{{"cast-adaptation", 13}, {"cast", 23},
                                                      {"guided-distillation", 17}, {"pseudo-label", 10},
                                                      {"supervised", 6}};
  auto it = kMinutes.find(task);
  if (it != kMinutes.end()) return it->second;
  return task.rfind("ablation-", 0) == 0 ? 22 : 10;
}

// The lanes' wall time, into the report the last step wrote: "wall" in the JSON (minutes,
// lanes, threads per lane, each task's minutes; a task reused from a kept run takes
// seconds) and a line under the Markdown table.
Status addWallTime(const std::filesystem::path& out, double minutes, int lanes, int threads,
                   const nlohmann::json& tasks) {
  nlohmann::json report;
  {
    std::ifstream in(out);
    report = nlohmann::json::parse(in, nullptr, false);
  }
  if (report.is_discarded()) return Status::error(out.string() + ": cannot read the report back");
  report["wall"] = {{"minutes", minutes}, {"lanes", lanes}, {"threads_per_lane", threads}, {"task_minutes", tasks}};
  std::ofstream json(out);
  json << report.dump(2) << "\n";
  std::ofstream md(std::filesystem::path(out).replace_extension(".md"), std::ios::app);
  md << fmt::format("\nWall time: {:.1f} min in {} lanes of {} thread(s), the one-time pretraining excluded.\n",
                    minutes, lanes, threads);
  if (!json || !md) return Status::error(out.string() + ": cannot write the report");
  return {};
}

std::vector<std::string> lastLines(const std::filesystem::path& file, size_t n) {
  std::ifstream in(file);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  if (lines.size() > n) lines.erase(lines.begin(), lines.end() - static_cast<long>(n));
  return lines;
}

// CAST's student and the ablations distil from CAST's adapted teacher.
bool needsAdaptedTeacher(const std::string& recipe) {
  return recipe == "cast" || recipe.rfind("ablation-", 0) == 0;
}

std::string joined(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

Result<pid_t> spawn(const std::vector<std::string>& args, const std::filesystem::path& log) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, args[0].c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return Status::error(args[0] + ": cannot start a lane logging to " + log.string() + ": " + std::strerror(rc));
  return pid;
}

struct Running {
  ProtocolTask task;
  std::filesystem::path log;
  std::chrono::steady_clock::time_point started;
};

}  // namespace

std::vector<std::string> protocolTaskArguments(const ProtocolOptions& o, const ProtocolTask& t, int threads,
                                               const std::filesystem::path& exe, const std::filesystem::path& out) {
  // fmt's "{}" writes the fraction so that it reads back exactly: it keys the kept runs.
  std::vector<std::string> a{exe.string(), "--threads", std::to_string(threads), "bench", "protocol",
                             "--scale", o.scale, "--target", o.target, "--labelled", fmt::format("{}", o.labelledFraction),
                             "--cache", o.cacheDir.string(), "--recipes", joined(t.recipes, ","), "--out", out.string(),
                             "--jobs", "1"};  // a lane is one process
  if (!o.dataset.empty()) a.insert(a.end(), {"--dataset", o.dataset.string()});
  if (!o.category.empty()) a.insert(a.end(), {"--category", o.category});
  if (!o.classMap.empty()) a.insert(a.end(), {"--class-map", o.classMap});
  if (!o.student.empty()) a.insert(a.end(), {"--student", o.student});
  if (!o.config.empty()) a.insert(a.end(), {"--config", o.config.string()});
  if (o.studentPretrainSteps >= 0)
    a.insert(a.end(), {"--student-pretrain-steps", std::to_string(o.studentPretrainSteps)});
  if (t.adaptOnly) a.push_back("--adapted-teacher-only");
  if (o.fresh || !o.takeOverStages) a.push_back("--no-stage-takeover");
  return a;
}

std::vector<ProtocolTask> protocolTasks(const std::vector<std::string>& recipes) {
  std::vector<ProtocolTask> tasks;
  if (std::any_of(recipes.begin(), recipes.end(), needsAdaptedTeacher))
    tasks.push_back({"cast-adaptation", {"cast"}, true, {}, minutesOf("cast-adaptation")});
  for (const auto& r : recipes) {
    ProtocolTask t{r, {r}, false, {}, minutesOf(r)};
    if (needsAdaptedTeacher(r)) t.after = {"cast-adaptation"};
    tasks.push_back(std::move(t));
  }
  return tasks;
}

size_t nextProtocolTask(const std::vector<ProtocolTask>& pending, const std::set<std::string>& done) {
  // The longest way to the end: a task's own time and its longest waiting task's.
  auto path = [&](const ProtocolTask& t) {
    double tail = 0;
    for (const auto& p : pending)
      if (std::find(p.after.begin(), p.after.end(), t.name) != p.after.end()) tail = std::max(tail, p.minutes);
    return t.minutes + tail;
  };
  size_t best = pending.size();
  for (size_t i = 0; i < pending.size(); ++i) {
    const auto& after = pending[i].after;
    const bool ready = std::all_of(after.begin(), after.end(), [&](const std::string& d) { return done.count(d) > 0; });
    if (ready && (best == pending.size() || path(pending[i]) > path(pending[best]))) best = i;
  }
  return best;
}

Result<ProtocolReport> runProtocolInLanes(const ProtocolOptions& options, int jobs, const std::filesystem::path& exe) {
  ProtocolOptions o = options;
  if (o.cacheDir.empty()) o.cacheDir = defaultCacheDir();
  auto recipes = protocolRecipes(o);
  if (!recipes.ok()) return recipes.status();
  std::vector<ProtocolTask> pending = protocolTasks(*recipes);
  if (jobs <= 1 || pending.size() <= 1) return runProtocol(o);

  // 1. What every lane needs, made once: worlds, teacher, student init (and with --fresh,
  // the call's kept runs cleared, so the lanes themselves never clear one another's).
  ProtocolOptions prepare = o;
  prepare.prepareOnly = true;
  if (auto p = runProtocol(prepare); !p.ok()) return p.status();
  const auto lanesStarted = std::chrono::steady_clock::now();  // after the one-time pretraining
  nlohmann::json taskMinutes = nlohmann::json::object();
  if (o.fresh) {  // cleared above; the lanes retrain without clearing or taking stages over
    o.fresh = false;
    o.takeOverStages = false;
  }

  // 2. The tasks, `jobs` at a time.
  const int cores = std::max(1u, std::thread::hardware_concurrency());
  const int threads = std::max(1, cores / jobs);
  const auto stem = o.out.parent_path() / o.out.stem();
  if (!o.out.parent_path().empty()) std::filesystem::create_directories(o.out.parent_path());
  spdlog::info("protocol: {} tasks in {} lanes of {} thread(s); logs {}.<task>.log", pending.size(), jobs, threads,
               stem.string());
  std::set<std::string> done;
  std::map<pid_t, Running> running;
  std::string failure;
  auto lastReport = std::chrono::steady_clock::now();
  while ((!pending.empty() && failure.empty()) || !running.empty()) {
    // Start the next ready task while a lane is free.
    while (failure.empty() && static_cast<int>(running.size()) < jobs) {
      const size_t next = nextProtocolTask(pending, done);
      if (next == pending.size()) break;
      const auto best = pending.begin() + static_cast<std::ptrdiff_t>(next);
      const auto log = std::filesystem::path(stem).concat("." + best->name + ".log");
      const auto out = std::filesystem::path(stem).concat("." + best->name + ".json");
      auto pid = spawn(protocolTaskArguments(o, *best, threads, exe, out), log);
      if (!pid.ok()) {
        failure = pid.status().message();
        break;
      }
      spdlog::info("protocol: started {} (log {})", best->name, log.string());
      running[*pid] = {*best, log, std::chrono::steady_clock::now()};
      pending.erase(best);
    }
    if (running.empty()) break;
    // Only this call's lanes are waited for: other children of the process stay theirs.
    int status = 0;
    auto it = std::find_if(running.begin(), running.end(),
                           [&](const auto& lane) { return waitpid(lane.first, &status, WNOHANG) == lane.first; });
    if (it == running.end()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      if (std::chrono::steady_clock::now() - lastReport > std::chrono::minutes(2)) {
        lastReport = std::chrono::steady_clock::now();
        for (const auto& [p, r] : running) {
          const auto line = lastLines(r.log, 1);
          spdlog::info("protocol: {} running: {}", r.task.name, line.empty() ? "(no output yet)" : line[0]);
        }
      }
      continue;
    }
    const Running r = it->second;
    running.erase(it);
    const double minutes = std::chrono::duration<double>(std::chrono::steady_clock::now() - r.started).count() / 60;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
      spdlog::info("protocol: {} finished in {:.1f} min", r.task.name, minutes);
      taskMinutes[r.task.name] = minutes;
      done.insert(r.task.name);
      continue;
    }
    if (failure.empty()) {
      failure = "protocol task '" + r.task.name + "' failed (" +
                (WIFEXITED(status) ? "exit code " + std::to_string(WEXITSTATUS(status))
                                   : "signal " + std::to_string(WTERMSIG(status))) +
                "); its log " + r.log.string() + " ends:";
      for (const auto& line : lastLines(r.log, 8)) failure += "\n  " + line;
      // The others stop too; their checkpoints stay, so a second call resumes them.
      for (const auto& [p, other] : running) kill(p, SIGTERM);
    }
  }
  if (!failure.empty()) return Status::error(failure);

  // 3. The table, from the kept runs (and this machine's ms / image, timed alone), with
  // the call's wall time beside it.
  auto report = runProtocol(o);
  if (!report.ok()) return report;
  const double minutes = std::chrono::duration<double>(std::chrono::steady_clock::now() - lanesStarted).count() / 60;
  spdlog::info("protocol: {:.1f} min in {} lanes (the worlds' and pretrainings' one-time work excluded)", minutes, jobs);
  if (Status st = addWallTime(o.out, minutes, jobs, threads, taskMinutes); !st.ok()) return st;
  return report;
}

}  // namespace distillery
