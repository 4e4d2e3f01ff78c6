// The classes dock over the session: add / rename / recolour requests become undo
// commands, and the list follows the database (also after undo).
#pragma once

#include <QObject>

class QUndoStack;

namespace distillery {

class ClassesPanel;
class ProjectSession;

class ClassesController : public QObject {
  Q_OBJECT

 public:
  ClassesController(ClassesPanel* panel, QUndoStack* undoStack, QObject* parent = nullptr);
  void setSession(ProjectSession* session);

 Q_SIGNALS:
  void message(const QString& text);

 private:
  void reload();
  bool editable();

  ClassesPanel* panel_;
  QUndoStack* undo_;
  ProjectSession* session_ = nullptr;
};

}  // namespace distillery
