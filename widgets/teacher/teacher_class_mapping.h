// Maps the teacher's class names onto the project's classes: one row per teacher
// class with a combo of the project classes plus "ignore". Names that match (case,
// spaces and underscores aside) are mapped on load; everything else starts ignored,
// so a teacher never writes labels into a class the user did not choose.
#pragma once

#include <QStringList>
#include <QVector>
#include <QWidget>

class QComboBox;
class QTableWidget;

namespace distillery {

class TeacherClassMapping : public QWidget {
  Q_OBJECT

 public:
  static constexpr int kIgnore = -1;

  explicit TeacherClassMapping(QWidget* parent = nullptr);

  void setClasses(const QStringList& teacherClasses, const QStringList& projectClasses);
  // Per teacher class, the project class index or kIgnore.
  QVector<int> mapping() const;
  // Entries out of range become kIgnore; a short vector leaves the rest as they are.
  void setMapping(const QVector<int>& mapping);
  int mappedCount() const;

  QStringList teacherClasses() const { return teacher_; }
  QStringList projectClasses() const { return project_; }

 Q_SIGNALS:
  void mappingChanged();

 private:
  QComboBox* combo(int row) const;

  QTableWidget* table_ = nullptr;
  QStringList teacher_;
  QStringList project_;
};

}  // namespace distillery
