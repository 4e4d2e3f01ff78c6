// The workbench's main window: menus, docks, status bar and the current project.
#pragma once

#include <QMainWindow>
#include <QString>
#include <QStringList>

class QDockWidget;
class QLabel;
class QMenu;
class QUndoStack;

namespace distillery {

class LogPanel;

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  // Opens the project folder; on failure the reason goes to the log panel and a
  // message box, and the current project stays open.
  bool openProject(const QString& dir);

  QString projectDir() const { return projectDir_; }
  QStringList recentProjects() const;
  LogPanel* logPanel() const { return log_; }
  QUndoStack* undoStack() const { return undoStack_; }
  QDockWidget* dock(const QString& objectName) const;

  // Shows an error to the user: log panel, status bar, and a non-blocking message box.
  void showError(const QString& title, const QString& message);

 protected:
  void closeEvent(QCloseEvent* event) override;

 private:
  void createActions();
  void createDocks();
  void createStatusBar();
  void restoreLayout();
  void saveLayout();
  void updateTitle();
  void rememberRecent(const QString& dir);
  void rebuildRecentMenu();

  void newProject();
  void chooseProject();
  void importDataset();
  void exportDataset();
  void about();

  QString projectDir_;
  QString currentImage_;
  LogPanel* log_ = nullptr;
  QUndoStack* undoStack_ = nullptr;
  QMenu* recentMenu_ = nullptr;
  QMenu* viewMenu_ = nullptr;
  QLabel* deviceLabel_ = nullptr;
};

}  // namespace distillery
