"""Database triggers that make the audit tables append-only (privacy invariant 6).

They refuse every UPDATE except the sealer's (setting `seq` and `chain` once, nothing else) and
every DELETE except the retention purge's (rows older than an open `PurgeWindow`). PostgreSQL and
SQLite have one trigger set each. The triggers guard against mistakes and casual tampering; someone
able to drop a trigger is caught by the HMAC chain instead (`verify_audit`).

SQLite rebuilds a table for many schema changes, which drops its triggers: a migration that alters
an audit table must call `install` again (a test checks that the triggers hold after all migrations).
"""

MESSAGE = "le journal d''audit est en ajout seul"

POSTGRES_FUNCTION = f"""
CREATE OR REPLACE FUNCTION parcours_audit_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        RAISE EXCEPTION '{MESSAGE} (TRUNCATE refusé sur %)', TG_TABLE_NAME;
    END IF;
    IF TG_OP = 'DELETE' THEN
        IF EXISTS (
            SELECT 1 FROM audit_purgewindow w
            WHERE (to_jsonb(OLD) ->> TG_ARGV[0])::timestamptz < w.before
        ) THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION '{MESSAGE} (DELETE refusé sur %)', TG_TABLE_NAME;
    END IF;
    IF OLD.seq IS NULL AND NEW.seq IS NOT NULL
       AND (to_jsonb(NEW) - 'seq' - 'chain') = (to_jsonb(OLD) - 'seq' - 'chain') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '{MESSAGE} (UPDATE refusé sur %)', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
"""


def _postgres(table: str, time_column: str) -> list[str]:
    return [
        POSTGRES_FUNCTION,
        f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};",
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION parcours_audit_append_only('{time_column}');",
        f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};",
        f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION parcours_audit_append_only('{time_column}');",
    ]


def _sqlite(table: str, time_column: str, columns: list[str]) -> list[str]:
    unchanged = " OR ".join(
        f'NEW."{column}" IS NOT OLD."{column}"' for column in columns if column not in ("seq", "chain")
    )
    return [
        f"DROP TRIGGER IF EXISTS {table}_no_update;",
        f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
        f"WHEN OLD.seq IS NOT NULL OR NEW.seq IS NULL OR {unchanged} "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE} (UPDATE refusé sur {table})'); END;",
        f"DROP TRIGGER IF EXISTS {table}_no_delete;",
        f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
        f'WHEN NOT EXISTS (SELECT 1 FROM audit_purgewindow WHERE OLD."{time_column}" < before) '
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE} (DELETE refusé sur {table})'); END;",
    ]


# Historical models in migrations lack class attributes, hence this table rather than `TIME_FIELD`.
TIME_FIELDS = {"Event": "at", "ChangeEntry": "timestamp"}


def statements(vendor: str, model) -> list[str]:
    table = model._meta.db_table
    time_column = model._meta.get_field(TIME_FIELDS[model.__name__]).column
    if vendor == "postgresql":
        return _postgres(table, time_column)
    if vendor == "sqlite":
        return _sqlite(table, time_column, [field.column for field in model._meta.concrete_fields])
    raise NotImplementedError(f"no audit triggers for the {vendor} database")


def install(apps, schema_editor):
    """Migration operation: (re)create the triggers on every audit table."""
    for name in TIME_FIELDS:
        model = apps.get_model("audit", name)
        for sql in statements(schema_editor.connection.vendor, model):
            schema_editor.execute(sql, params=None)
