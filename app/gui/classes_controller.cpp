#include "app/gui/classes_controller.h"

#include <QUndoStack>

#include "app/gui/class_commands.h"
#include "app/gui/project_session.h"
#include "widgets/panels/classes_panel.h"

namespace distillery {

ClassesController::ClassesController(ClassesPanel* panel, QUndoStack* undoStack, QObject* parent)
    : QObject(parent), panel_(panel), undo_(undoStack) {
  connect(panel_, &ClassesPanel::addRequested, this, [this](const QString& name, const QColor& c) {
    if (editable()) undo_->push(new AddClassCommand(session_, name, c));
  });
  connect(panel_, &ClassesPanel::renameRequested, this, [this](qint64 id, const QString& name) {
    if (editable()) undo_->push(new RenameClassCommand(session_, id, name));
  });
  connect(panel_, &ClassesPanel::recolourRequested, this, [this](qint64 id, const QColor& c) {
    if (editable()) undo_->push(new RecolourClassCommand(session_, id, c));
  });
}

void ClassesController::setSession(ProjectSession* session) {
  if (session_) disconnect(session_, nullptr, this, nullptr);
  session_ = session;
  if (session_)
    connect(session_, &ProjectSession::classesChanged, this, &ClassesController::reload);
  reload();
}

void ClassesController::reload() {
  panel_->setClasses(session_ ? session_->classes() : QList<ClassEntry>{});
  // New labels need a class: start with the first.
  if (panel_->currentClassId() < 0 && !panel_->classes().isEmpty())
    panel_->setCurrentClass(panel_->classes().front().id);
}

bool ClassesController::editable() {
  if (!session_) return false;
  if (session_->readOnly()) {
    emit message(tr("The project is open read-only (%1); classes cannot change")
                     .arg(session_->readOnlyReason()));
    return false;
  }
  return true;
}

}  // namespace distillery
