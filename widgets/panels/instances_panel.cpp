#include "widgets/panels/instances_panel.h"

#include <QHeaderView>
#include <QLabel>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace distillery {

InstancesPanel::InstancesPanel(QWidget* parent) : QWidget(parent) {
  model_ = new InstancesModel(this);
  proxy_ = new QSortFilterProxyModel(this);
  proxy_->setSourceModel(model_);
  proxy_->setSortRole(InstancesModel::SortRole);

  view_ = new QTableView(this);
  view_->setObjectName("instancesView");
  view_->setModel(proxy_);
  view_->setSelectionBehavior(QAbstractItemView::SelectRows);
  view_->setSelectionMode(QAbstractItemView::SingleSelection);
  view_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  view_->setSortingEnabled(true);
  view_->sortByColumn(-1, Qt::AscendingOrder);  // provider order until a header is clicked
  view_->verticalHeader()->hide();
  view_->verticalHeader()->setDefaultSectionSize(view_->fontMetrics().height() + 6);
  view_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  view_->horizontalHeader()->setSectionResizeMode(InstancesModel::ClassColumn,
                                                  QHeaderView::Stretch);
  view_->horizontalHeader()->setHighlightSections(false);
  view_->setAlternatingRowColors(true);

  summary_ = new QLabel(this);
  summary_->setObjectName("instancesSummary");
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(2, 2, 2, 2);
  layout->setSpacing(2);
  layout->addWidget(view_, 1);
  layout->addWidget(summary_);

  connect(view_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
          &InstancesPanel::onSelectionChanged);
  updateSummary();
}

void InstancesPanel::setInstances(const QList<InstanceRow>& rows) {
  const qint64 keep = selectedInstanceId();
  mirroring_ = true;
  model_->setInstances(rows);
  mirroring_ = false;
  setSelectedInstance(keep);
  // The selected instance went away with the rows: say so once.
  if (keep >= 0 && selectedInstanceId() < 0) emit instanceSelected(-1);
  updateSummary();
}

qint64 InstancesPanel::selectedInstanceId() const {
  const QModelIndexList rows = view_->selectionModel()->selectedRows();
  return rows.isEmpty() ? -1 : rows.first().data(InstancesModel::IdRole).toLongLong();
}

void InstancesPanel::setSelectedInstance(qint64 instanceId) {
  mirroring_ = true;
  const int sourceRow = model_->rowOf(instanceId);
  if (sourceRow < 0) {
    view_->clearSelection();
  } else {
    const QModelIndex i = proxy_->mapFromSource(model_->index(sourceRow, 0));
    view_->selectionModel()->setCurrentIndex(
        i, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    view_->scrollTo(i);
  }
  emitted_ = selectedInstanceId();
  mirroring_ = false;
}

void InstancesPanel::onSelectionChanged() {
  if (mirroring_) return;
  const qint64 id = selectedInstanceId();
  if (id == emitted_) return;
  emitted_ = id;
  emit instanceSelected(id);
}

void InstancesPanel::updateSummary() {
  int human = 0, model = 0, pending = 0;
  for (const InstanceRow& r : model_->instances()) {
    if (r.source == Source::Human) {
      ++human;
    } else {
      ++model;
      if (r.review == LabelReview::Pending) ++pending;
    }
  }
  summary_->setText(
      tr("%n instance(s): %1 human, %2 model (%3 pending)", nullptr, model_->rowCount())
          .arg(human)
          .arg(model)
          .arg(pending));
}

}  // namespace distillery
