#include "widgets/export/export_options.h"

#include <QObject>

namespace distillery {

QStringList validate(const ExportOptions& o) {
  QStringList problems;
  if (o.kind == ExportOptions::Kind::Student) {
    if (o.modelPath.trimmed().isEmpty())
      problems << QObject::tr("Choose where to write the student model (.pt).");
    if (o.sidecarPath.trimmed().isEmpty())
      problems << QObject::tr("Choose where to write the JSON sidecar.");
    if (!o.modelPath.isEmpty() && o.modelPath == o.sidecarPath)
      problems << QObject::tr("The model and its sidecar need different files.");
    return problems;
  }
  if (o.format != "coco" && o.format != "labelme")
    problems << QObject::tr("Unknown label format '%1', expected coco or labelme.").arg(o.format);
  if (o.labelsPath.trimmed().isEmpty())
    problems << (o.format == "labelme"
                     ? QObject::tr("Choose a folder for the LabelMe files.")
                     : QObject::tr("Choose where to write the COCO file (.json)."));
  if (o.sources.isEmpty())
    problems << QObject::tr("Pick at least one source (human, teacher or student).");
  const bool modelSources = o.sources.contains("teacher") || o.sources.contains("student");
  if (modelSources && o.statuses.isEmpty())
    problems << QObject::tr("Pick at least one review status for teacher or student labels.");
  return problems;
}

}  // namespace distillery
