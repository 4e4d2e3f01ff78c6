// distillery: the workbench GUI.
#include <QApplication>
#include <QCommandLineParser>
#include <QThread>

#include <algorithm>

#include "app/gui/main_window.h"
#include "engine/api/demo_project.h"

int main(int argc, char** argv) {
  // A desktop program leaves one core to the window: OpenMP threads that outnumber the
  // free cores spin-wait on each other (a 70 ms forward took 6.9 s beside a training
  // run). DISTILLERY_THREADS (or OMP_NUM_THREADS) still decides when set.
  if (qEnvironmentVariableIsEmpty("DISTILLERY_THREADS") && qEnvironmentVariableIsEmpty("OMP_NUM_THREADS"))
    qputenv("DISTILLERY_THREADS", QByteArray::number(std::max(1, QThread::idealThreadCount() - 1)));
  QApplication app(argc, argv);
  // The resources live in the static distillery_app library: register them explicitly,
  // or the linker drops them and the window has no icon.
  Q_INIT_RESOURCE(resources);
  QApplication::setOrganizationName("Distillery");
  QApplication::setApplicationName("Distillery");
  QApplication::setApplicationVersion(DISTILLERY_VERSION);
  QApplication::setWindowIcon(QIcon(":/icons/distillery.svg"));

  QCommandLineParser parser;
  parser.setApplicationDescription(
      "Distil a vision foundation model into a compact student expert.");
  parser.addHelpOption();
  parser.addVersionOption();
  parser.addPositionalArgument("project", "Project folder to open.", "[PROJECT_DIR]");
  QCommandLineOption demo("demo", "Open the built-in demo project.");
  parser.addOption(demo);
  parser.process(app);

  distillery::MainWindow window;
  window.show();
  const QStringList args = parser.positionalArguments();
  if (!args.isEmpty()) {
    window.openProject(args.first());
  } else if (parser.isSet(demo)) {
    // The demo project is made once (under a second at this size) and then reused with its edits.
    auto dir = distillery::ensureDemoProject();
    if (dir.ok()) window.openProject(QString::fromStdString(dir->string()));
    else window.showError(QObject::tr("Demo"), QString::fromStdString(dir.status().message()));
  }
  return app.exec();
}
