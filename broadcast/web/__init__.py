"""The web console (`broadcast web`): a Starlette app over the same station folder and
station.db as the daemon. Server-rendered pages in Vietnamese, one view module per page; every
action goes through broadcast.service, as the CLI's do."""
