CREATE TABLE groups (id serial PRIMARY KEY, name text UNIQUE NOT NULL);
CREATE TABLE stations (id text PRIMARY KEY, name text NOT NULL, commune text, group_id int REFERENCES groups(id),
  token text, revoked_at timestamptz, enrolled_at timestamptz, last_seen timestamptz, created_at timestamptz NOT NULL DEFAULT now(), zones jsonb);
CREATE TABLE enrol_codes (code_hash text PRIMARY KEY, station_id text REFERENCES stations(id), created_at timestamptz, expires_at timestamptz, used_at timestamptz, by text);
CREATE TABLE heartbeats (station_id text REFERENCES stations(id), at timestamptz NOT NULL, body jsonb NOT NULL);
CREATE TABLE asrun (station_id text REFERENCES stations(id), token text, occurrence text, attempt int, zone text, slot text, output text,
  scheduled timestamptz, started timestamptz, ended timestamptz, planned_seconds float, played_seconds float, status text, items jsonb, note text, error text, voice text, bulletin_id text,
  UNIQUE (station_id, token));
CREATE TABLE bulletins (id text PRIMARY KEY, title text, text text, audio bytea, audio_sha256 text, priority text, valid_from timestamptz, valid_until timestamptz, created_at timestamptz, by text);
CREATE TABLE deliveries (bulletin_id text REFERENCES bulletins(id), station_id text REFERENCES stations(id), seq int, zones jsonb, created_at timestamptz DEFAULT now(), UNIQUE (station_id, seq));
CREATE TABLE receipts (bulletin_id text, station_id text, zone text, state text, at timestamptz, reason text, asrun_token text);
