-- On cluster "reader": the table "writer" made, found through the shared metastore.
SELECT id, name FROM shared_rows ORDER BY id;
