"""The station: settings from station.yaml, the database (station.db) and its migrations, topics."""
