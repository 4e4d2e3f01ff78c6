#include "widgets/gallery/gallery_types.h"

#include <QCoreApplication>

namespace distillery {

QString galleryStatusName(GalleryStatus status) {
  switch (status) {
    case GalleryStatus::Unlabelled:
      return QCoreApplication::translate("Gallery", "Unlabelled");
    case GalleryStatus::Human:
      return QCoreApplication::translate("Gallery", "Seed-labelled");
    case GalleryStatus::Pending:
      return QCoreApplication::translate("Gallery", "Pseudo pending");
    case GalleryStatus::Accepted:
      return QCoreApplication::translate("Gallery", "Accepted");
    case GalleryStatus::Rejected:
      return QCoreApplication::translate("Gallery", "Rejected");
  }
  return {};
}

}  // namespace distillery
