// Builds the main window's menus, toolbar and keyboard shortcuts (WORKBENCH.md's
// conventions). Every action has an object name; a shortcut can be rebound in the
// settings file under [shortcuts], e.g. `actionNextImage=Right` (several: "D; Right").
#pragma once

#include <QKeySequence>
#include <QList>
#include <QString>

class QAction;
class QMenu;
class QObject;

namespace distillery {

class MainWindow;

class ActionsBuilder {
 public:
  explicit ActionsBuilder(MainWindow* window) : w_(window) {}
  // Creates every menu; docks must exist (the View menu lists them).
  void build();

  // The settings' binding for `name`, else `defaults`.
  static QList<QKeySequence> shortcutsFor(const QString& name, const QList<QKeySequence>& defaults);

 private:
  QAction* make(QMenu* menu, const QString& name, const QString& text,
                const QList<QKeySequence>& keys = {});
  void buildFile();
  void buildEdit();
  void buildView();
  void buildTools();
  void buildModels();
  void buildPipeline();
  void buildHelp();

  MainWindow* w_;
};

}  // namespace distillery
