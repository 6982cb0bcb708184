"""The province hub's ASGI app: /api/v1 for the stations (api.py), and the province console's pages,
which add their routes to the same app (app.create_app's `routes`)."""
