package db

// KnownColumnTypes is what the database knows of a table's column types without asking the catalogue.
func (d *DB) KnownColumnTypes(table string) map[string]string {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return d.colTypes[table]
}

// TruncateWAL is the checkpointer's decision to empty the WAL, for its table test.
var TruncateWAL = truncateWAL
