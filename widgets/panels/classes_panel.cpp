#include "widgets/panels/classes_panel.h"

#include <cmath>

#include <QColorDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QPainter>
#include <QToolButton>
#include <QVBoxLayout>

#include "widgets/panels/classes_delegate.h"

namespace distillery {
namespace {

constexpr int kIdRole = Qt::UserRole + 1;

QIcon swatch(const QColor& colour) {
  QPixmap pixmap(14, 14);
  pixmap.fill(Qt::transparent);
  QPainter p(&pixmap);
  p.setPen(colour.darker(160));
  p.setBrush(colour);
  p.drawRect(0, 0, 13, 13);
  return QIcon(pixmap);
}

}  // namespace

ClassesPanel::ClassesPanel(QWidget* parent) : QWidget(parent) {
  pickColour_ = [](const QColor& initial, QWidget* parentWidget) {
    return QColorDialog::getColor(initial, parentWidget, tr("Class colour"));
  };
  buildUi();
}

void ClassesPanel::buildUi() {
  list_ = new QListWidget(this);
  list_->setObjectName("classList");
  list_->setItemDelegate(new ClassesDelegate(list_));
  list_->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);
  list_->setContextMenuPolicy(Qt::CustomContextMenu);
  list_->setToolTip(tr("Digit keys 1-9 pick a class; double-click or F2 renames"));

  newName_ = new QLineEdit(this);
  newName_->setObjectName("newClassName");
  newName_->setPlaceholderText(tr("New class…"));
  addButton_ = new QToolButton(this);
  addButton_->setObjectName("addClassButton");
  addButton_->setText(tr("Add"));
  renameButton_ = new QToolButton(this);
  renameButton_->setObjectName("renameClassButton");
  renameButton_->setText(tr("Rename"));
  colourButton_ = new QToolButton(this);
  colourButton_->setObjectName("recolourClassButton");
  colourButton_->setText(tr("Colour…"));
  problem_ = new QLabel(this);
  problem_->setObjectName("classProblem");
  problem_->setWordWrap(true);
  problem_->setStyleSheet(QStringLiteral("color: #d63a3a"));
  problem_->hide();

  auto* addRow = new QHBoxLayout;
  addRow->addWidget(newName_, 1);
  addRow->addWidget(addButton_);
  auto* editRow = new QHBoxLayout;
  editRow->addWidget(renameButton_);
  editRow->addWidget(colourButton_);
  editRow->addStretch(1);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(2, 2, 2, 2);
  layout->setSpacing(2);
  layout->addWidget(list_, 1);
  layout->addLayout(editRow);
  layout->addLayout(addRow);
  layout->addWidget(problem_);

  connect(newName_, &QLineEdit::returnPressed, addButton_, &QToolButton::click);
  connect(addButton_, &QToolButton::clicked, this, [this] {
    if (requestAdd(newName_->text())) newName_->clear();
  });
  connect(renameButton_, &QToolButton::clicked, this, [this] {
    if (QListWidgetItem* item = list_->currentItem()) list_->editItem(item);
  });
  connect(colourButton_, &QToolButton::clicked, this, [this] {
    if (currentClassId() >= 0) requestRecolour(currentClassId());
  });
  connect(list_, &QListWidget::itemChanged, this, &ClassesPanel::onItemEdited);
  connect(list_, &QListWidget::customContextMenuRequested, this, &ClassesPanel::showContextMenu);
  connect(list_, &QListWidget::currentRowChanged, this, [this] {
    if (rebuilding_) return;
    const qint64 id = currentClassId();
    if (id != emittedClass_) {
      emittedClass_ = id;
      emit currentClassChanged(id);
    }
  });
  rebuildItems();
}

void ClassesPanel::setClasses(const QList<ClassEntry>& classes) {
  classes_ = classes;
  rebuildItems();
}

void ClassesPanel::rebuildItems() {
  const qint64 keep = emittedClass_;
  rebuilding_ = true;
  list_->clear();
  for (int row = 0; row < classes_.size(); ++row) {
    const ClassEntry& c = classes_[row];
    auto* item = new QListWidgetItem(swatch(c.colour), c.name, list_);
    item->setData(kIdRole, QVariant::fromValue<qint64>(c.id));
    item->setData(ClassesDelegate::ShortcutRole, row < 9 ? row + 1 : 0);
    if (c.instanceCount >= 0) item->setData(ClassesDelegate::CountRole, c.instanceCount);
    item->setFlags(item->flags() | Qt::ItemIsEditable);
    item->setToolTip(row < 9 ? tr("%1 (key %2)").arg(c.name).arg(row + 1) : c.name);
  }
  int row = rowOf(keep);
  if (row < 0 && !classes_.isEmpty()) row = 0;
  list_->setCurrentRow(row);
  rebuilding_ = false;
  renameButton_->setEnabled(!classes_.isEmpty());
  colourButton_->setEnabled(!classes_.isEmpty());
  const qint64 now = currentClassId();
  if (now != emittedClass_) {
    emittedClass_ = now;
    emit currentClassChanged(now);
  }
}

qint64 ClassesPanel::currentClassId() const {
  const QListWidgetItem* item = list_->currentItem();
  return item ? item->data(kIdRole).toLongLong() : -1;
}

int ClassesPanel::rowOf(qint64 classId) const {
  for (int row = 0; row < classes_.size(); ++row)
    if (classes_[row].id == classId) return row;
  return -1;
}

void ClassesPanel::setCurrentClass(qint64 classId) {
  const int row = rowOf(classId);
  if (row >= 0) list_->setCurrentRow(row);
}

bool ClassesPanel::selectByShortcut(int digit) {
  if (digit < 1 || digit > 9 || digit > classes_.size()) return false;
  list_->setCurrentRow(digit - 1);
  return true;
}

QColor ClassesPanel::suggestColour() const {
  // Golden-angle hue steps keep neighbours apart however many classes there are.
  const int hue = static_cast<int>(std::fmod(classes_.size() * 137.508, 360.0));
  return QColor::fromHsv(hue, 190, 230);
}

QString ClassesPanel::checkName(const QString& name, qint64 exceptId) const {
  const QString trimmed = name.trimmed();
  if (trimmed.isEmpty()) return tr("A class name cannot be empty.");
  for (const ClassEntry& c : classes_)
    if (c.id != exceptId && c.name.compare(trimmed, Qt::CaseInsensitive) == 0)
      return tr("There is already a class named \"%1\".").arg(c.name);
  return {};
}

void ClassesPanel::showProblem(const QString& problem) {
  problem_->setText(problem);
  problem_->setVisible(!problem.isEmpty());
}

QString ClassesPanel::lastProblem() const {
  return problem_->text();
}

bool ClassesPanel::requestAdd(const QString& name) {
  const QString problem = checkName(name, -1);
  showProblem(problem);
  if (!problem.isEmpty()) return false;
  emit addRequested(name.trimmed(), suggestColour());
  return true;
}

bool ClassesPanel::requestRename(qint64 classId, const QString& name) {
  const int row = rowOf(classId);
  if (row < 0) return false;
  const QString problem = checkName(name, classId);
  showProblem(problem);
  if (!problem.isEmpty()) return false;
  if (name.trimmed() == classes_[row].name) return false;  // nothing to do
  emit renameRequested(classId, name.trimmed());
  return true;
}

void ClassesPanel::requestRecolour(qint64 classId) {
  const int row = rowOf(classId);
  if (row < 0) return;
  const QColor colour = pickColour_(classes_[row].colour, this);
  if (colour.isValid() && colour != classes_[row].colour) emit recolourRequested(classId, colour);
}

// An in-place edit finished: ask for the rename, or put the old name back.
void ClassesPanel::onItemEdited(QListWidgetItem* item) {
  if (rebuilding_) return;
  const qint64 id = item->data(kIdRole).toLongLong();
  const int row = rowOf(id);
  if (row < 0 || item->text() == classes_[row].name) return;
  const QString wanted = item->text();
  rebuilding_ = true;
  item->setText(classes_[row].name);  // the list shows what is committed
  rebuilding_ = false;
  requestRename(id, wanted);
}

void ClassesPanel::showContextMenu(const QPoint& pos) {
  QListWidgetItem* item = list_->itemAt(pos);
  if (!item) return;
  const qint64 id = item->data(kIdRole).toLongLong();
  QMenu menu(this);
  menu.addAction(tr("Rename"), this, [this, item] { list_->editItem(item); });
  menu.addAction(tr("Change colour…"), this, [this, id] { requestRecolour(id); });
  menu.exec(list_->viewport()->mapToGlobal(pos));
}

}  // namespace distillery
