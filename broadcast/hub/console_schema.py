"""The province console's tables (issue 30, hub-console): users with the province's roles, their
sessions, sign-in throttling and the audit log; recordings held for an emergency's confirmation.
Appended after the hub core's migrations (names 0100_…), each applied once by name."""

from __future__ import annotations

MIGRATIONS: list[tuple[str, str]] = [
    ("0100_30_console_users", """
        CREATE TABLE console_users (
            name text PRIMARY KEY,
            role text NOT NULL CHECK (role IN ('quan-tri-tinh', 'bien-tap-tinh', 'xem')),
            password_hash text NOT NULL,
            disabled boolean NOT NULL DEFAULT false,
            created_at timestamptz NOT NULL
        );
        CREATE TABLE console_sessions (
            token_hash text PRIMARY KEY,
            name text NOT NULL REFERENCES console_users (name) ON DELETE CASCADE,
            csrf text NOT NULL,
            created_at timestamptz NOT NULL,
            expires_at timestamptz NOT NULL
        );
        CREATE TABLE console_sign_in_failures (
            id bigserial PRIMARY KEY,
            name text NOT NULL,
            address text,
            at timestamptz NOT NULL
        );
        CREATE INDEX console_sign_in_failures_name ON console_sign_in_failures (name, at);
        CREATE INDEX console_sign_in_failures_address ON console_sign_in_failures (address, at);
        CREATE TABLE console_sign_in_addresses (
            name text NOT NULL,
            address text NOT NULL,
            at timestamptz NOT NULL,
            PRIMARY KEY (name, address)
        );
        CREATE TABLE console_audit (
            id bigserial PRIMARY KEY,
            at timestamptz NOT NULL,
            name text,
            action text NOT NULL,
            target text,
            detail text
        );
        CREATE INDEX console_audit_at ON console_audit (at);
    """),
    ("0101_30_held_uploads", """
        CREATE TABLE console_held_uploads (
            token text PRIMARY KEY,
            name text NOT NULL,
            filename text NOT NULL,
            data bytea NOT NULL,
            at timestamptz NOT NULL
        );
    """),
]
