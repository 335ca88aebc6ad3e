"""Haven's HTTP service, web chat and command line. Importing it stays cheap: models load lazily."""
