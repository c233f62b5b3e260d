"""Storage: the connection, migrations, and one repository module per feature."""
