#include "app/gui/student_export.h"

#include <QDateTime>
#include <QObject>
#include <algorithm>
#include <filesystem>

#include "engine/export/torchscript_export.h"
#include "engine/modeling/model_sidecar.h"
#include "engine/modeling/teacher_contract.h"
#include "engine/store/project.h"

namespace distillery {
namespace {

namespace fs = std::filesystem;

QString qs(const std::string& s) {
  return QString::fromStdString(s);
}
QString qs(const fs::path& p) {
  return QString::fromStdString(p.string());
}

// Copies with the parent folder made; the error names both files.
QString copyFile(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  if (to.has_parent_path()) fs::create_directories(to.parent_path(), ec);
  if (fs::exists(to) && fs::equivalent(from, to, ec)) return {};
  fs::copy_file(from, to, fs::copy_options::overwrite_existing, ec);
  if (ec)
    return QObject::tr("%1: cannot write it from %2: %3").arg(qs(to), qs(from), qs(ec.message()));
  return {};
}

}  // namespace

std::vector<RunStudent> runStudents(const Project& project) {
  std::vector<RunStudent> out;
  auto runs = project.runs().list();
  if (!runs.ok()) return out;
  for (const RunRecord& r : *runs) {
    RunStudent s;
    s.runId = r.id;
    fs::path model = project.modelsDir() / ("run-" + std::to_string(r.id) + "-student.pt");
    if (auto checkpoints = project.runs().checkpoints(r.id); checkpoints.ok())
      for (const CheckpointRecord& c : *checkpoints)
        if (c.stage == "student" && fs::path(c.file).extension() == ".pt")
          model = fs::path(c.file).is_absolute() ? fs::path(c.file) : project.dir() / c.file;
    const fs::path ckpt = fs::path(model).replace_extension(".ckpt");
    if (fs::exists(model)) s.model = qs(model);
    if (fs::exists(ckpt)) s.checkpoint = qs(ckpt);
    if (s.model.isEmpty() && s.checkpoint.isEmpty()) continue;
    const QString when =
        r.endedAtMs ? QDateTime::fromMSecsSinceEpoch(*r.endedAtMs).toString("yyyy-MM-dd hh:mm")
                    : QString();
    s.label = QObject::tr("run %1 (%2, %3%4)")
                  .arg(r.id)
                  .arg(qs(r.recipe), QString::fromUtf8(toString(r.status)),
                       when.isEmpty() ? QString() : QStringLiteral(", ") + when);
    out.push_back(s);
  }
  std::sort(out.begin(), out.end(),
            [](const RunStudent& a, const RunStudent& b) { return a.runId > b.runId; });
  return out;
}

ExportReport writeStudentExport(const RunStudent& student, const ExportOptions& o) {
  ExportReport report;
  auto fail = [&report](const QString& error) {
    report.error = error;
    return report;
  };
  const fs::path model = o.modelPath.toStdString();
  const fs::path sidecar = o.sidecarPath.toStdString();
  const fs::path besideModel = sidecarPath(model);  // FILE.json: where loaders look
  if (!student.model.isEmpty()) {
    const fs::path from = student.model.toStdString();
    const auto fromSidecar = findSidecar(from);
    if (!fromSidecar) {
      report.error =
          QObject::tr("%1: the student has no sidecar (FILE.json) beside it").arg(student.model);
      return report;
    }
    if (QString e = copyFile(from, model); !e.isEmpty()) return fail(e);
    if (QString e = copyFile(*fromSidecar, sidecar); !e.isEmpty()) return fail(e);
    report.notes
        << QObject::tr("the student of %1, copied from %2").arg(student.label, student.model);
  } else {
    // Only the checkpoint is left (its TorchScript export failed or was removed).
    ExportRequest r;
    r.checkpoint = student.checkpoint.toStdString();
    r.out = model;
    auto exported = exportModel(r);
    if (!exported.ok()) {
      report.error = qs(exported.status().message());
      return report;
    }
    if (sidecar != besideModel) {
      if (QString e = copyFile(besideModel, sidecar); !e.isEmpty()) return fail(e);
      std::error_code ec;
      fs::remove(besideModel, ec);
    }
    report.notes << QObject::tr("the student of %1, exported from its checkpoint %2")
                        .arg(student.label, student.checkpoint);
  }
  report.files << o.modelPath << o.sidecarPath;
  if (sidecar != besideModel && sidecar != fs::path(model.string() + ".json"))
    report.notes << QObject::tr(
                        "the sidecar is not beside the model as %1: loaders (and the check "
                        "below) look for it there, so keep the two together")
                        .arg(qs(besideModel.filename()));
  // The same check as `distillery-cli teacher check FILE`.
  auto check = checkTeacher(model);
  if (!check.ok()) {
    report.error = QObject::tr("%1 was written but does not meet the teacher contract:\n%2")
                       .arg(o.modelPath, qs(check.status().message()));
    return report;
  }
  QStringList classes;
  for (const std::string& c : check->classNames) classes << qs(c);
  report.notes << QObject::tr(
                      "teacher check passed: %1 parameters, %2 queries, %3 classes (%4), "
                      "pred_masks %5x%6 for a %7 px input%8")
                      .arg(check->params)
                      .arg(check->numQueries)
                      .arg(check->numClasses)
                      .arg(classes.join(", "))
                      .arg(check->maskHeight)
                      .arg(check->maskWidth)
                      .arg(check->probeSize)
                      .arg(check->hasPixelEmbed
                               ? QObject::tr(", pixel_embed %1 channels").arg(check->embedDim)
                               : QString());
  return report;
}

}  // namespace distillery
