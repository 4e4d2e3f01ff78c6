// Undo commands for the classes dock: add, rename, recolour. Same pattern as
// annotation_commands.h: a symmetric swap that writes the store each time.
#pragma once

#include <QColor>
#include <QCoreApplication>
#include <QString>
#include <QUndoCommand>
#include <cstdint>

namespace distillery {

class ProjectSession;

class AddClassCommand : public QUndoCommand {
  Q_DECLARE_TR_FUNCTIONS(AddClassCommand)

 public:
  AddClassCommand(ProjectSession* session, QString name, QColor colour);
  void redo() override;
  // Fails (and is dropped from the stack) while labels use the class.
  void undo() override;
  int64_t classId() const { return id_; }

 private:
  ProjectSession* session_;
  QString name_;
  QColor colour_;
  int64_t id_ = 0;  // kept, so a redo brings the class back under the same id
};

class RenameClassCommand : public QUndoCommand {
  Q_DECLARE_TR_FUNCTIONS(RenameClassCommand)

 public:
  RenameClassCommand(ProjectSession* session, int64_t id, QString name);
  void redo() override { swap(); }
  void undo() override { swap(); }

 private:
  void swap();
  ProjectSession* session_;
  int64_t id_;
  QString name_;
};

class RecolourClassCommand : public QUndoCommand {
  Q_DECLARE_TR_FUNCTIONS(RecolourClassCommand)

 public:
  RecolourClassCommand(ProjectSession* session, int64_t id, QColor colour);
  void redo() override { swap(); }
  void undo() override { swap(); }

 private:
  void swap();
  ProjectSession* session_;
  int64_t id_;
  QColor colour_;
};

}  // namespace distillery
