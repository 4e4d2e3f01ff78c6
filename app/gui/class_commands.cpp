#include "app/gui/class_commands.h"

#include "app/gui/project_session.h"

namespace distillery {
namespace {

const ClassEntry* findClass(const QList<ClassEntry>& classes, int64_t id) {
  for (const ClassEntry& c : classes)
    if (c.id == id) return &c;
  return nullptr;
}

Status missing(int64_t id) {
  return Status::error("class " + std::to_string(id) + " does not exist in the project");
}

}  // namespace

AddClassCommand::AddClassCommand(ProjectSession* session, QString name, QColor colour)
    : QUndoCommand(tr("Add class \"%1\"").arg(name)),
      session_(session),
      name_(std::move(name)),
      colour_(std::move(colour)) {}

void AddClassCommand::redo() {
  auto id = session_->addClass(name_, colour_, id_);
  if (session_->keepOrDrop(this, id.status())) id_ = *id;
}

void AddClassCommand::undo() {
  session_->keepOrDrop(this, session_->removeClass(id_));
}

RenameClassCommand::RenameClassCommand(ProjectSession* session, int64_t id, QString name)
    : QUndoCommand(tr("Rename class to \"%1\"").arg(name)),
      session_(session),
      id_(id),
      name_(std::move(name)) {}

void RenameClassCommand::swap() {
  const QList<ClassEntry> classes = session_->classes();
  const ClassEntry* now = findClass(classes, id_);
  if (!session_->keepOrDrop(this, now ? session_->renameClass(id_, name_) : missing(id_))) return;
  name_ = now->name;
}

RecolourClassCommand::RecolourClassCommand(ProjectSession* session, int64_t id, QColor colour)
    : QUndoCommand(tr("Recolour class")), session_(session), id_(id), colour_(std::move(colour)) {}

void RecolourClassCommand::swap() {
  const QList<ClassEntry> classes = session_->classes();
  const ClassEntry* now = findClass(classes, id_);
  if (!session_->keepOrDrop(this, now ? session_->recolourClass(id_, colour_) : missing(id_)))
    return;
  colour_ = now->colour;
}

}  // namespace distillery
