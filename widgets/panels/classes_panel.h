// The classes dock: the project's classes with their colour swatches; the first
// nine show their digit shortcut (1-9 picks the class). Adding, renaming and
// recolouring only emit requests: the app turns each into an undoable command
// and calls setClasses() with the result.
#pragma once

#include <cstdint>
#include <functional>

#include <QColor>
#include <QList>
#include <QString>
#include <QWidget>

class QLabel;
class QLineEdit;
class QListWidget;
class QListWidgetItem;
class QToolButton;

namespace distillery {

struct ClassEntry {
  int64_t id = 0;
  QString name;
  QColor colour;
  int instanceCount = -1;  // shown when >= 0
};

class ClassesPanel : public QWidget {
  Q_OBJECT

 public:
  // Asks the user for a colour; returns an invalid QColor on cancel.
  using ColourPicker = std::function<QColor(const QColor& initial, QWidget* parent)>;

  explicit ClassesPanel(QWidget* parent = nullptr);

  // Replaces the list; the current class stays current if it is still there.
  void setClasses(const QList<ClassEntry>& classes);
  const QList<ClassEntry>& classes() const { return classes_; }

  // -1 when there is none.
  qint64 currentClassId() const;
  void setCurrentClass(qint64 classId);
  // Digit key 1-9: the class in that row; false if there is none.
  bool selectByShortcut(int digit);

  // Replaces QColorDialog (tests, or an app-wide palette picker).
  void setColourPicker(ColourPicker picker) { pickColour_ = std::move(picker); }
  // A colour far from those in use, for a new class.
  QColor suggestColour() const;

  // Why the last add or rename was refused; empty when it was not.
  QString lastProblem() const;

 public Q_SLOTS:
  // Validates the name (not empty, not taken) and emits addRequested.
  bool requestAdd(const QString& name);
  bool requestRename(qint64 classId, const QString& name);
  // Asks for a colour for the class and emits recolourRequested unless cancelled.
  void requestRecolour(qint64 classId);

 Q_SIGNALS:
  void addRequested(const QString& name, const QColor& colour);
  void renameRequested(qint64 classId, const QString& name);
  void recolourRequested(qint64 classId, const QColor& colour);
  void currentClassChanged(qint64 classId);

 private:
  void buildUi();
  void rebuildItems();
  void onItemEdited(QListWidgetItem* item);
  void showContextMenu(const QPoint& pos);
  QString checkName(const QString& name, qint64 exceptId) const;
  int rowOf(qint64 classId) const;
  void showProblem(const QString& problem);

  QList<ClassEntry> classes_;
  QListWidget* list_ = nullptr;
  QLineEdit* newName_ = nullptr;
  QToolButton* addButton_ = nullptr;
  QToolButton* renameButton_ = nullptr;
  QToolButton* colourButton_ = nullptr;
  QLabel* problem_ = nullptr;
  ColourPicker pickColour_;
  bool rebuilding_ = false;
  qint64 emittedClass_ = -1;
};

}  // namespace distillery
