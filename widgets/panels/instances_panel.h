// The instances dock: a table of the current image's instances. Picking a row
// emits instanceSelected(id); the canvas's selection is mirrored back with
// setSelectedInstance(id), which does not echo a signal (no feedback loop).
#pragma once

#include <QList>
#include <QWidget>

#include "widgets/panels/instances_model.h"

class QLabel;
class QSortFilterProxyModel;
class QTableView;

namespace distillery {

class InstancesPanel : public QWidget {
  Q_OBJECT

 public:
  explicit InstancesPanel(QWidget* parent = nullptr);

  // The instances of the image now on the canvas; the selected instance stays
  // selected if it is among them.
  void setInstances(const QList<InstanceRow>& rows);
  // -1 when none is selected.
  qint64 selectedInstanceId() const;

  QTableView* view() const { return view_; }
  InstancesModel* model() const { return model_; }

 public Q_SLOTS:
  // Mirrors the canvas: selects the row (-1 clears) without emitting.
  void setSelectedInstance(qint64 instanceId);

 Q_SIGNALS:
  // The user picked a row; -1 when the selection was cleared.
  void instanceSelected(qint64 instanceId);

 private:
  void onSelectionChanged();
  void updateSummary();

  InstancesModel* model_ = nullptr;
  QSortFilterProxyModel* proxy_ = nullptr;
  QTableView* view_ = nullptr;
  QLabel* summary_ = nullptr;
  bool mirroring_ = false;
  qint64 emitted_ = -1;
};

}  // namespace distillery
