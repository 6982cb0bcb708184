"""The province hub's web app: the stations' API (/api/v1) and the province console."""
