#include "widgets/teacher/contract_status.h"

#include <QLabel>
#include <QListWidget>
#include <QVBoxLayout>

namespace distillery {

ContractStatus::ContractStatus(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  headline_ = new QLabel(this);
  headline_->setObjectName("contractHeadline");
  headline_->setWordWrap(true);
  headline_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  errors_ = new QListWidget(this);
  errors_->setObjectName("contractErrors");
  errors_->setWordWrap(true);
  errors_->setMaximumHeight(90);
  layout->addWidget(headline_);
  layout->addWidget(errors_);
  clear();
}

void ContractStatus::clear() {
  passed_ = false;
  headline_->setStyleSheet({});
  headline_->setText(tr("No teacher loaded."));
  errors_->clear();
  errors_->hide();
}

void ContractStatus::setChecking(const QString& path) {
  clear();
  headline_->setText(tr("Checking %1 against the teacher contract...").arg(path));
}

void ContractStatus::setPassed(const QString& summary) {
  passed_ = true;
  errors_->clear();
  errors_->hide();
  headline_->setStyleSheet("color: #2e7d32;");
  headline_->setText(QString::fromUtf8("\u2714 ") + tr("Contract OK: %1").arg(summary));
}

void ContractStatus::setFailed(const QStringList& errors) {
  passed_ = false;
  headline_->setStyleSheet("color: #c62828; font-weight: bold;");
  headline_->setText(
      QString::fromUtf8("\u2716 ") +
      (errors.size() == 1
           ? tr("The teacher does not meet the contract (1 problem):")
           : tr("The teacher does not meet the contract (%1 problems):").arg(errors.size())));
  errors_->clear();
  for (const QString& e : errors) {
    auto* item = new QListWidgetItem(e, errors_);
    item->setForeground(QColor(198, 40, 40));
    item->setToolTip(e);
  }
  errors_->setVisible(!errors.isEmpty());
}

QString ContractStatus::headline() const {
  return headline_->text();
}

QStringList ContractStatus::errors() const {
  QStringList out;
  for (int i = 0; i < errors_->count(); ++i) out << errors_->item(i)->text();
  return out;
}

}  // namespace distillery
