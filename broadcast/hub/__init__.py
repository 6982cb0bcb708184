"""The province hub's core (docs/hub.md): PostgreSQL through psycopg 3, named migrations, stations
and groups, enrolment codes, tokens, signed-request checks, heartbeats, as-run, bulletins and their
deliveries, receipts. Every function takes a psycopg connection and the time; the front ends
(broadcast.service.hub, broadcast.web.hub, the CLI) hold the connections."""
