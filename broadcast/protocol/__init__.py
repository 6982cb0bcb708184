"""The wire between a station and the province hub (protocol v1, docs/hub.md): signed requests
and the typed records both sides send. Imported by the station's sync loop (broadcast.link) and
by the hub (broadcast.hub); it imports neither."""
