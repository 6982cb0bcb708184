"""The station's side of the link to the province hub (docs/hub.md): link.yaml (mode 600), the
hub client, the sync state in station.db and the sync loop. Applying bulletins to the station
(scripts, queue, emergency) is the service layer's (broadcast/service/link_bulletins.py)."""
