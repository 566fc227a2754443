from django.urls import path

from actlocal.web.views import network

urlpatterns = [
    path("map/", network.network_map, name="network-map"),
    path("map/data.json", network.map_data, name="network-map-data"),
    path("map/public/", network.public_map, name="network-map-public"),
    path("map/public/data.json", network.public_map_data, name="network-map-public-data"),
    path("map/public/players/<uuid:uuid>/", network.public_player, name="network-player-public"),
    path("map/export/", network.export, name="network-export"),
    path("map/players/<uuid:uuid>/", network.player, name="network-player"),
    path("network/graph/", network.graph, name="network-graph"),
]
