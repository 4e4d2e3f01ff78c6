// What the export dialog asks the app to write, and what the app reports back.
// Source and status names are the store's: sources "human", "teacher", "student";
// review statuses "pending", "accepted", "edited", "rejected".
#pragma once

#include <QString>
#include <QStringList>

namespace distillery {

struct ExportOptions {
  enum class Kind { Student, Labels };
  Kind kind = Kind::Labels;

  QString modelPath;    // Student: the TorchScript file (student.pt)
  QString sidecarPath;  // Student: the JSON sidecar (classes, input size, preprocessing)

  QString format = "coco";  // Labels: "coco" (one .json file) or "labelme" (a folder)
  QString labelsPath;
  QStringList sources{"human", "teacher", "student"};
  QStringList statuses{"pending", "accepted", "edited"};
  bool includeImagesWithoutAnnotations = false;
};

struct ExportReport {
  QString error;  // non-empty: nothing usable was written, and why
  int imagesWritten = 0;
  int instancesWritten = 0;
  QStringList files;    // what was written
  QStringList skipped;  // "file: record: reason" for everything left out
  QStringList notes;    // deliberate, lossy choices ("crowd kept as RLE")
};

// Problems that stop an export before it starts ("choose where to write the labels").
QStringList validate(const ExportOptions& options);

}  // namespace distillery
