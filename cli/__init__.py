"""The `haven` command line: one module per command, registered in cli.main."""
