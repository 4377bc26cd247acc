-- On cluster "writer": a managed table in the shared metastore (its data goes to the
-- metastore's warehouse), filled with three rows.
CREATE TABLE IF NOT EXISTS shared_rows (id INT, name STRING) USING parquet;
INSERT OVERWRITE TABLE shared_rows VALUES (1, 'alpha'), (2, 'beta'), (3, 'gamma');
