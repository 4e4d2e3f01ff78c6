#include "widgets/pipeline/runs_history.h"

#include <QHeaderView>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>
#include <algorithm>

namespace distillery {

RunsHistory::RunsHistory(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  table_ = new QTableWidget(0, 5, this);
  table_->setObjectName("runsTable");
  table_->setHorizontalHeaderLabels({tr("Run"), tr("Recipe"), tr("Status"), tr("Started"), tr("Result")});
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::SingleSelection);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->verticalHeader()->setVisible(false);
  table_->horizontalHeader()->setStretchLastSection(true);
  layout->addWidget(table_, 1);
  auto* refresh = new QPushButton(tr("Refresh"), this);
  refresh->setObjectName("refreshRuns");
  layout->addWidget(refresh, 0, Qt::AlignRight);
  connect(refresh, &QPushButton::clicked, this, &RunsHistory::refresh);
  connect(table_, &QTableWidget::itemSelectionChanged, this, [this] {
    if (refreshing_) return;
    const QString id = selectedRun();
    if (!id.isEmpty()) Q_EMIT runSelected(id);
  });
}

void RunsHistory::setProvider(Provider provider) {
  provider_ = std::move(provider);
  refresh();
}

void RunsHistory::refresh() {
  std::vector<RunSummary> runs = provider_ ? provider_() : std::vector<RunSummary>{};
  std::stable_sort(runs.begin(), runs.end(),
                   [](const RunSummary& a, const RunSummary& b) { return a.started > b.started; });
  const QString keep = selectedRun();
  refreshing_ = true;
  table_->clearContents();
  table_->setRowCount(static_cast<int>(runs.size()));
  int keepRow = -1;
  for (int r = 0; r < static_cast<int>(runs.size()); ++r) {
    const RunSummary& s = runs[static_cast<size_t>(r)];
    table_->setItem(r, 0, new QTableWidgetItem(s.id));
    table_->setItem(r, 1, new QTableWidgetItem(s.recipe));
    auto* status = new QTableWidgetItem(s.status);
    if (s.status == "failed") status->setForeground(QColor(220, 50, 47));
    if (s.status == "cancelled") status->setForeground(QColor(181, 110, 0));
    table_->setItem(r, 2, status);
    table_->setItem(r, 3, new QTableWidgetItem(s.started.toString("yyyy-MM-dd HH:mm")));
    auto* detail = new QTableWidgetItem(s.detail);
    detail->setToolTip(s.detail);
    table_->setItem(r, 4, detail);
    if (s.id == keep) keepRow = r;
  }
  if (keepRow >= 0) table_->selectRow(keepRow);
  refreshing_ = false;
}

int RunsHistory::rowCount() const {
  return table_->rowCount();
}

QString RunsHistory::runId(int row) const {
  const QTableWidgetItem* item = table_->item(row, 0);
  return item ? item->text() : QString();
}

QString RunsHistory::selectedRun() const {
  const QList<QTableWidgetItem*> items = table_->selectedItems();
  return items.isEmpty() ? QString() : runId(items.first()->row());
}

bool RunsHistory::selectRun(const QString& id) {
  for (int r = 0; r < table_->rowCount(); ++r) {
    if (runId(r) == id) {
      table_->selectRow(r);
      return true;
    }
  }
  return false;
}

}  // namespace distillery
