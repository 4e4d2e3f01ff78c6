#include "widgets/teacher/teacher_class_mapping.h"

#include <QComboBox>
#include <QHeaderView>
#include <QTableWidget>
#include <QVBoxLayout>
#include <algorithm>

namespace distillery {
namespace {

QString normalised(QString name) {
  return name.replace('_', ' ').simplified().toLower();
}

}  // namespace

TeacherClassMapping::TeacherClassMapping(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  table_ = new QTableWidget(0, 2, this);
  table_->setObjectName("classMappingTable");
  table_->setHorizontalHeaderLabels({tr("Teacher class"), tr("Project class")});
  table_->verticalHeader()->setVisible(false);
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  layout->addWidget(table_);
}

QComboBox* TeacherClassMapping::combo(int row) const {
  return qobject_cast<QComboBox*>(table_->cellWidget(row, 1));
}

void TeacherClassMapping::setClasses(const QStringList& teacherClasses,
                                     const QStringList& projectClasses) {
  teacher_ = teacherClasses;
  project_ = projectClasses;
  table_->setRowCount(static_cast<int>(teacher_.size()));
  for (int r = 0; r < teacher_.size(); ++r) {
    table_->setItem(r, 0, new QTableWidgetItem(teacher_[r]));
    auto* box = new QComboBox(table_);
    box->addItem(tr("ignore"), kIgnore);
    int match = kIgnore;
    for (int p = 0; p < project_.size(); ++p) {
      box->addItem(project_[p], p);
      if (match == kIgnore && normalised(project_[p]) == normalised(teacher_[r])) match = p;
    }
    box->setCurrentIndex(match + 1);
    connect(box, &QComboBox::currentIndexChanged, this, &TeacherClassMapping::mappingChanged);
    table_->setCellWidget(r, 1, box);
  }
  Q_EMIT mappingChanged();
}

QVector<int> TeacherClassMapping::mapping() const {
  QVector<int> m;
  for (int r = 0; r < table_->rowCount(); ++r) m << combo(r)->currentData().toInt();
  return m;
}

void TeacherClassMapping::setMapping(const QVector<int>& mapping) {
  for (int r = 0; r < std::min<int>(static_cast<int>(mapping.size()), table_->rowCount()); ++r) {
    const int p = mapping[r];
    const QSignalBlocker block(combo(r));
    combo(r)->setCurrentIndex(p >= 0 && p < project_.size() ? p + 1 : 0);
  }
  Q_EMIT mappingChanged();
}

int TeacherClassMapping::mappedCount() const {
  int n = 0;
  for (int p : mapping()) n += p != kIgnore;
  return n;
}

}  // namespace distillery
