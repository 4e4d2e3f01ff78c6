#include "app/gui/about_dialog.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QVBoxLayout>
#include <QtGlobal>

#include "engine/api/device.h"

namespace distillery {

QString AboutDialog::versionsText() {
  const LibraryVersions v = libraryVersions();
  const DeviceInfo& device = computeDevice();
  return QString("Distillery %1\nQt %2\nLibTorch %3\nOpenCV %4\nSQLite %5\nDevice: %6 (%7)")
      .arg(QString::fromStdString(v.distillery), qVersion(), QString::fromStdString(v.torch),
           QString::fromStdString(v.opencv), QString::fromStdString(v.sqlite),
           QString::fromStdString(device.name), QString::fromStdString(device.reason));
}

AboutDialog::AboutDialog(QWidget* parent) : QDialog(parent) {
  setWindowTitle(tr("About Distillery"));
  auto* layout = new QVBoxLayout(this);
  auto* title = new QLabel(tr("<h2>Distillery</h2>"
                              "<p>Distil a large vision foundation model into a compact, fast "
                              "student expert for instance segmentation, from a few labelled "
                              "seed images and a pool of unlabelled ones.</p>"),
                           this);
  title->setWordWrap(true);
  layout->addWidget(title);
  auto* versions = new QLabel(versionsText(), this);
  versions->setObjectName("versions");
  versions->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(versions);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  layout->addWidget(buttons);
}

}  // namespace distillery
