from django.urls import path

from actlocal.orga.views import network, network_dedupe

urlpatterns = [
    path("network/imports/", network.imports, name="network-imports"),
    path("network/imports/<uuid:uuid>/", network.import_run, name="network-import"),
    path(
        "network/imports/<uuid:uuid>/errors.csv",
        network.import_errors,
        name="network-import-errors",
    ),
    path("network/imports/<uuid:uuid>/undo/", network.import_undo, name="network-import-undo"),
    path("network/imports/<uuid:uuid>/apply/", network.import_apply, name="network-import-apply"),
    path("network/review/", network.review_queue, name="network-review"),
    path("network/review/<int:pk>/", network.review_pair, name="network-review-pair"),
    path("network/merges/<uuid:uuid>/undo/", network.unmerge, name="network-unmerge"),
    path("network/dedupe/", network_dedupe.dedupe_now, name="network-dedupe"),
    path("network/dedupe/<uuid:uuid>/", network_dedupe.dedupe_run, name="network-dedupe-run"),
    path("network/players/<uuid:uuid>/edit/", network.edit_player, name="network-player-edit"),
    path(
        "network/players/<uuid:uuid>/relationships/add/",
        network.add_relationship,
        name="network-relationship-add",
    ),
]
