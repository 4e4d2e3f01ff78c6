#include "widgets/pipeline/stage_progress.h"

#include <QLabel>
#include <QProgressBar>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

namespace distillery {

QString formatEta(double seconds) {
  if (!(seconds >= 0) || !std::isfinite(seconds)) return "--";
  const qint64 s = static_cast<qint64>(std::llround(seconds));
  const qint64 h = s / 3600, m = (s % 3600) / 60, sec = s % 60;
  if (h > 0)
    return QString("%1:%2:%3").arg(h).arg(m, 2, 10, QChar('0')).arg(sec, 2, 10, QChar('0'));
  return QString("%1:%2").arg(m).arg(sec, 2, 10, QChar('0'));
}

StageProgress::StageProgress(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(2);
  label_ = new QLabel(this);
  label_->setObjectName("stageLabel");
  bar_ = new QProgressBar(this);
  bar_->setObjectName("stageBar");
  bar_->setTextVisible(true);
  layout->addWidget(label_);
  layout->addWidget(bar_);
  reset();
}

void StageProgress::reset() {
  stage_.clear();
  bar_->setRange(0, 100);
  bar_->setValue(0);
  label_->setText(tr("No run"));
}

void StageProgress::setProgress(const QString& stage, qint64 done, qint64 total,
                                double etaSeconds) {
  if (stage != stage_ || !clock_.isValid() || done < firstDone_) {
    stage_ = stage;
    firstDone_ = done;
    clock_.start();
  }
  if (total <= 0) {
    bar_->setRange(0, 0);  // busy indicator: the amount of work is unknown
  } else {
    bar_->setRange(0, 1000);
    bar_->setValue(static_cast<int>(1000.0 * std::clamp<qint64>(done, 0, total) / total));
  }
  if (etaSeconds < 0 && total > 0 && done > firstDone_) {
    const double perStep = clock_.elapsed() / 1000.0 / static_cast<double>(done - firstDone_);
    etaSeconds = perStep * static_cast<double>(total - done);
  }
  QString text = QString("%1  %2").arg(stage).arg(done);
  if (total > 0) text += QString(" / %1").arg(total);
  text +=
      QString("  eta %1").arg(total > 0 && done >= total ? QString("0:00") : formatEta(etaSeconds));
  label_->setText(text);
}

void StageProgress::setMessage(const QString& message) {
  label_->setText(message);
}

QString StageProgress::text() const {
  return label_->text();
}

int StageProgress::percent() const {
  if (bar_->maximum() <= 0) return 0;
  return static_cast<int>(100.0 * bar_->value() / bar_->maximum());
}

}  // namespace distillery
